import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildErrorReport, buildReport, reportPath, writeReport } from '../../src/cli/report.js'
import { createUi } from '../../src/cli/ui.js'
import type { RunReport } from '../../src/types.js'
import { tempDir } from '../helpers/tmp.js'

const run: RunReport = {
  startedAt: new Date('2026-11-26T01:00:00.000Z'),
  finishedAt: new Date('2026-11-26T01:00:02.500Z'),
  sources: [
    {
      id: 'thai-binh',
      url: 'https://baothaibinh.example.vn/rss',
      status: 'ok',
      httpStatus: 200,
      items: { total: 5, new: 3, updated: 1, duplicates: 1, skipped: 0 },
      durationMs: 120.4,
      warnings: [],
    },
    {
      id: 'nam-dinh',
      url: 'https://namdinh.example.vn/rss',
      status: 'failed',
      httpStatus: 404,
      code: 'ERR_FETCH_HTTP_STATUS',
      message: 'HTTP 404',
      items: { total: 0, new: 0, updated: 0, duplicates: 0, skipped: 0 },
      durationMs: 8,
      warnings: [],
    },
    {
      id: 'ha-nam',
      url: 'https://hanam.example.vn/rss',
      status: 'not-modified',
      httpStatus: 304,
      items: { total: 0, new: 0, updated: 0, duplicates: 0, skipped: 0 },
      durationMs: 5,
      warnings: [],
    },
  ],
  stories: { new: 3, updated: 1, duplicates: 1 },
  outputs: [
    { path: '/srv/out/merged.xml', format: 'rss', written: true, items: 3 },
    { path: '/srv/out/merged.atom', format: 'atom', written: false, items: 3 },
    { path: '/ro/merged.json', format: 'json', written: false, items: 0, code: 'ERR_PUBLISH_WRITE', message: 'EACCES' },
  ],
}

describe('the run report', () => {
  it('has per-source status, HTTP status, items, duration and error code, and totals', () => {
    const report = buildReport(run, {
      config: '/srv/tonghop.config.json',
      dryRun: false,
      exitCode: 0,
      version: '0.1.0',
    })
    expect(report.status).toBe('partial')
    expect(report.durationMs).toBe(2500)
    expect(report.sources[0]).toEqual({
      id: 'thai-binh',
      url: 'https://baothaibinh.example.vn/rss',
      status: 'ok',
      httpStatus: 200,
      items: { total: 5, new: 3, updated: 1, duplicates: 1, skipped: 0 },
      durationMs: 120,
      warnings: [],
    })
    expect(report.sources[1]).toMatchObject({ status: 'failed', httpStatus: 404, code: 'ERR_FETCH_HTTP_STATUS' })
    expect(report.totals).toEqual({
      sources: 3,
      byStatus: { ok: 1, 'not-modified': 1, unchanged: 0, failed: 1, skipped: 0, gone: 0 },
      items: { new: 3, updated: 1, duplicates: 1, skipped: 0 },
      stories: { new: 3, updated: 1, duplicates: 1 },
      outputs: { total: 3, written: 1, unchanged: 1, failed: 1 },
    })
  })

  it('is ok when nothing failed and failed for exit code 1', () => {
    const clean = { ...run, sources: [run.sources[0]!], outputs: [run.outputs[0]!] }
    const context = { config: 'c', dryRun: false, version: '0.1.0' }
    expect(buildReport(clean, { ...context, exitCode: 0 }).status).toBe('ok')
    expect(buildReport(run, { ...context, exitCode: 1 }).status).toBe('failed')
    const error = buildErrorReport(
      { code: 'ERR_STORE_UNAVAILABLE', message: 'disk full' },
      { ...context, exitCode: 1, startedAt: run.startedAt, finishedAt: run.finishedAt },
    )
    expect(error).toMatchObject({ status: 'failed', error: { code: 'ERR_STORE_UNAVAILABLE' }, sources: [] })
  })

  it('lives next to the first output, or next to the config without outputs', () => {
    const outputs = [{ path: '/srv/www/feeds/merged.xml' }] as never
    expect(reportPath({ outputs, baseDir: '/srv' })).toBe('/srv/www/feeds/tonghop-report.json')
    expect(reportPath({ outputs: [], baseDir: '/srv/data' }, '/etc/tonghop/c.yaml')).toBe(
      '/etc/tonghop/tonghop-report.json',
    )
  })

  it('is written atomically, leaving no temp file', () => {
    const dir = tempDir()
    const file = join(dir, 'tonghop-report.json')
    const report = buildReport(run, { config: 'c', dryRun: false, exitCode: 0, version: '0.1.0' })
    writeReport(file, report)
    writeReport(file, { ...report, exitCode: 3 })
    expect(JSON.parse(readFileSync(file, 'utf8')).exitCode).toBe(3)
    expect(readdirSync(dir)).toEqual(['tonghop-report.json'])
  })
})

/** Collects what the UI writes. */
function sink() {
  const chunks: string[] = []
  return {
    write: (text: string) => {
      chunks.push(text)
    },
    get text() {
      return chunks.join('')
    },
  }
}

describe('what the CLI prints', () => {
  const report = buildReport(run, { config: 'c', dryRun: false, exitCode: 0, version: '0.1.0' })

  it('logs JSON lines off a terminal', () => {
    const out = sink()
    const ui = createUi({ tty: false, write: out.write })
    ui.progress(1, 3, 2) // nothing off a terminal
    ui.logger.info({ sourceId: 'a' }, 'fetched')
    ui.summary(report, '/srv/out/tonghop-report.json')
    const lines = out.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines[0]).toMatchObject({ level: 'info', sourceId: 'a', msg: 'fetched' })
    expect(lines[1]).toMatchObject({
      level: 'info',
      status: 'partial',
      failed: 1,
      new: 3,
      report: '/srv/out/tonghop-report.json',
    })
  })

  it('shows progress and a readable summary on a terminal, and hides info logs', () => {
    const out = sink()
    const ui = createUi({ tty: true, write: out.write })
    ui.progress(1, 3, 2)
    expect(out.text).toContain('1/3 feeds · 2 new stories')
    ui.logger.info({}, 'hidden')
    ui.logger.warn({ sourceId: 'nam-dinh' }, 'slow host')
    ui.summary(report)
    expect(out.text).not.toContain('hidden')
    expect(out.text).toContain('warn  slow host  sourceId=nam-dinh')
    expect(out.text).toContain('failed  nam-dinh  ERR_FETCH_HTTP_STATUS (HTTP 404)')
    expect(out.text).toContain('3 feeds (1 failed), 1 unchanged · 3 new, 1 updated, 1 duplicates · 1/3 outputs written')
  })

  it('keeps only errors with --quiet', () => {
    const out = sink()
    const ui = createUi({ tty: false, quiet: true, write: out.write })
    ui.logger.warn({}, 'warned')
    ui.summary(report)
    ui.error(Object.assign(new Error('store down'), { code: 'ERR_STORE_UNAVAILABLE' }))
    expect(out.text.trim().split('\n')).toHaveLength(1)
    expect(JSON.parse(out.text)).toMatchObject({ level: 'error', code: 'ERR_STORE_UNAVAILABLE', msg: 'store down' })
  })
})
