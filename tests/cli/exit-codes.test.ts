import { describe, expect, it } from 'vitest'
import { EXIT, exitCodeForError, exitCodeForReport } from '../../src/cli/exit-codes.js'
import { ConfigError, StoreError, TonghopError } from '../../src/errors.js'
import type { RunReport, SourceOutcome, SourceStatus } from '../../src/types.js'

function source(id: string, status: SourceStatus): SourceOutcome {
  return {
    id,
    url: `https://${id}.example.vn/rss`,
    status,
    ...(status === 'failed' ? { code: 'ERR_FETCH_HTTP_STATUS', httpStatus: 404 } : {}),
    items: { total: 0, new: 0, updated: 0, duplicates: 0, skipped: 0 },
    durationMs: 1,
    warnings: [],
  }
}

function report(statuses: SourceStatus[], outputs: ('written' | 'unchanged' | 'failed')[] = ['written']) {
  return {
    sources: statuses.map((s, i) => source(`s${i}`, s)),
    outputs: outputs.map((o, i) => ({
      path: `/out/${i}.xml`,
      format: 'rss' as const,
      written: o === 'written',
      items: 1,
      ...(o === 'failed' ? { code: 'ERR_PUBLISH_WRITE', message: 'EACCES' } : {}),
    })),
  } satisfies Pick<RunReport, 'sources' | 'outputs'>
}

describe('exit codes', () => {
  it('has the documented values', () => {
    expect(EXIT).toEqual({ OK: 0, FAILED: 1, CONFIG: 2, PARTIAL: 3, LOCKED: 75 })
  })

  it('is 0 when every source is fine, whatever its status', () => {
    expect(exitCodeForReport(report(['ok', 'not-modified', 'unchanged', 'skipped', 'gone']))).toBe(0)
    expect(exitCodeForReport(report(['ok'], ['unchanged']), { strict: true })).toBe(0)
  })

  it('is 0 with some failed sources, 3 with --strict', () => {
    expect(exitCodeForReport(report(['ok', 'failed']))).toBe(0)
    expect(exitCodeForReport(report(['ok', 'failed']), { strict: true })).toBe(3)
  })

  it('is 1 when every source failed', () => {
    expect(exitCodeForReport(report(['failed', 'failed']))).toBe(1)
    expect(exitCodeForReport(report(['failed']), { strict: true })).toBe(1)
  })

  it('treats a failed output like a failed source, and every output failing as a failure', () => {
    expect(exitCodeForReport(report(['ok'], ['written', 'failed']))).toBe(0)
    expect(exitCodeForReport(report(['ok'], ['written', 'failed']), { strict: true })).toBe(3)
    expect(exitCodeForReport(report(['ok'], ['failed', 'failed']))).toBe(1)
  })

  it('is 0 for a config without sources or outputs', () => {
    expect(exitCodeForReport(report([], []))).toBe(0)
  })

  it('maps run-level errors: config → 2, lock → 75, anything else → 1', () => {
    expect(exitCodeForError(new ConfigError('ERR_CONFIG_INVALID', 'x'))).toBe(2)
    expect(exitCodeForError(new ConfigError('ERR_CONFIG_NOT_FOUND', 'x'))).toBe(2)
    expect(exitCodeForError(new ConfigError('ERR_CONFIG_PARSE', 'x'))).toBe(2)
    expect(exitCodeForError(new StoreError('ERR_STORE_LOCKED', 'x'))).toBe(75)
    expect(exitCodeForError(new StoreError('ERR_STORE_UNAVAILABLE', 'x'))).toBe(1)
    expect(exitCodeForError(new TonghopError('ERR_INTERNAL', 'x'))).toBe(1)
    expect(exitCodeForError(new Error('boom'))).toBe(1)
    expect(exitCodeForError('boom')).toBe(1)
  })
})
