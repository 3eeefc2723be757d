/**
 * The run report the CLI writes next to the first output (`<dir>/tonghop-report.json`, atomically) and prints with
 * `--json`: per source status, HTTP status, items new/duplicate/updated, duration and error code, plus totals.
 */
import { dirname, join } from 'node:path'
import type { ResolvedOptions } from '../options.js'
import type { HookReport, OutputFormat, RunMetrics, RunReport, SourceStatus } from '../types.js'
import { writeFileAtomic } from './fs.js'

export const REPORT_FILE = 'tonghop-report.json'

export interface CliSourceReport {
  id: string
  url: string
  status: SourceStatus
  httpStatus?: number
  code?: string
  message?: string
  finalUrl?: string
  movedTo?: string
  retryAfter?: number
  items: { total: number; new: number; updated: number; duplicates: number; skipped: number }
  durationMs: number
  warnings: { code: string; message: string }[]
  /** Full text: article pages fetched, extracted, reused from the store, failed, skipped (see SourceOutcome.pages). */
  pages?: { fetched: number; extracted: number; reused: number; failed: number; skipped: number }
}

export interface CliReport {
  /** `ok`: nothing failed; `partial`: some sources or outputs failed; `failed`: the run failed (exit 1). */
  status: 'ok' | 'partial' | 'failed'
  exitCode: number
  dryRun: boolean
  /** The config file. */
  config: string
  tonghop: string
  startedAt: string
  finishedAt: string
  durationMs: number
  totals: {
    sources: number
    byStatus: Record<SourceStatus, number>
    items: { new: number; updated: number; duplicates: number; skipped: number }
    stories: RunReport['stories']
    outputs: { total: number; written: number; unchanged: number; failed: number }
  }
  sources: CliSourceReport[]
  outputs: { path: string; format: OutputFormat; written: boolean; items: number; code?: string; message?: string }[]
  /** The run's numbers, as the metrics file (`--metrics`) carries them. */
  metrics?: RunMetrics
  /** The `onStories` hook, when it had stories to deliver. */
  hook?: HookReport
  /** A run-level failure (the run produced no per-source report). */
  error?: { code: string; message: string }
}

/** `<directory of the first output>/tonghop-report.json`, or next to the config when there are no outputs. */
export function reportPath(options: Pick<ResolvedOptions, 'outputs' | 'baseDir'>, configFile?: string): string {
  const first = options.outputs[0]
  if (first) return join(dirname(first.path), REPORT_FILE)
  return join(configFile ? dirname(configFile) : options.baseDir, REPORT_FILE)
}

export function buildReport(
  report: RunReport,
  context: { config: string; dryRun: boolean; exitCode: number; version: string },
): CliReport {
  const byStatus: Record<SourceStatus, number> = {
    ok: 0,
    'not-modified': 0,
    unchanged: 0,
    failed: 0,
    skipped: 0,
    gone: 0,
  }
  const items = { new: 0, updated: 0, duplicates: 0, skipped: 0 }
  const sources = report.sources.map((s): CliSourceReport => {
    byStatus[s.status] = (byStatus[s.status] ?? 0) + 1
    items.new += s.items.new
    items.updated += s.items.updated
    items.duplicates += s.items.duplicates
    items.skipped += s.items.skipped
    return {
      id: s.id,
      url: s.url,
      status: s.status,
      ...(s.httpStatus === undefined ? {} : { httpStatus: s.httpStatus }),
      ...(s.code === undefined ? {} : { code: s.code }),
      ...(s.message === undefined ? {} : { message: s.message }),
      ...(s.finalUrl === undefined ? {} : { finalUrl: s.finalUrl }),
      ...(s.movedTo === undefined ? {} : { movedTo: s.movedTo }),
      ...(s.retryAfter === undefined ? {} : { retryAfter: s.retryAfter }),
      items: { ...s.items },
      durationMs: Math.round(s.durationMs),
      warnings: s.warnings,
      ...(s.pages === undefined ? {} : { pages: { ...s.pages } }),
    }
  })
  const failedOutputs = report.outputs.filter((o) => o.code !== undefined).length
  const written = report.outputs.filter((o) => o.written).length
  const anyFailed = byStatus.failed > 0 || failedOutputs > 0
  return {
    status: context.exitCode === 1 ? 'failed' : anyFailed ? 'partial' : 'ok',
    exitCode: context.exitCode,
    dryRun: context.dryRun,
    config: context.config,
    tonghop: context.version,
    startedAt: report.startedAt.toISOString(),
    finishedAt: report.finishedAt.toISOString(),
    durationMs: report.finishedAt.getTime() - report.startedAt.getTime(),
    totals: {
      sources: report.sources.length,
      byStatus,
      items,
      stories: { ...report.stories },
      outputs: {
        total: report.outputs.length,
        written,
        unchanged: report.outputs.length - written - failedOutputs,
        failed: failedOutputs,
      },
    },
    sources,
    outputs: report.outputs.map((o) => ({ ...o })),
    ...(report.metrics === undefined ? {} : { metrics: report.metrics }),
    ...(report.hook === undefined ? {} : { hook: { ...report.hook } }),
  }
}

/** The report of a run that failed as a whole (store unavailable, …). */
export function buildErrorReport(
  error: { code: string; message: string },
  context: { config: string; dryRun: boolean; exitCode: number; version: string; startedAt: Date; finishedAt: Date },
): CliReport {
  const report = buildReport(
    {
      startedAt: context.startedAt,
      finishedAt: context.finishedAt,
      sources: [],
      outputs: [],
      stories: { new: 0, updated: 0, duplicates: 0 },
    },
    context,
  )
  return { ...report, status: 'failed', error: { code: error.code, message: error.message } }
}

export function writeReport(path: string, report: CliReport): void {
  writeFileAtomic(path, `${JSON.stringify(report, null, 2)}\n`)
}
