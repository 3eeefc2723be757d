/**
 * A run's numbers for monitoring: `runMetrics(report)` sums them for the RunReport, `renderMetrics()` writes them in
 * the Prometheus text exposition format (0.0.4, what node_exporter's textfile collector reads). Every value is about
 * the last run, so every metric is a gauge (a counter would have to grow across runs).
 */
import type { RunMetrics, RunReport, SourceStatus } from './types.js'

const STATUSES: SourceStatus[] = ['ok', 'not-modified', 'unchanged', 'failed', 'skipped', 'gone']
const UP = new Set<SourceStatus>(['ok', 'not-modified', 'unchanged'])

export function runMetrics(
  report: Pick<RunReport, 'sources' | 'stories' | 'outputs' | 'startedAt' | 'finishedAt'>,
): RunMetrics {
  const sources = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<SourceStatus, number>
  const codes: Record<string, number> = {}
  const httpStatus: Record<string, number> = {}
  const items = { total: 0, new: 0, updated: 0, duplicates: 0, skipped: 0 }
  let bytes = 0
  let sourcesDurationMs = 0
  for (const s of report.sources) {
    sources[s.status] = (sources[s.status] ?? 0) + 1
    if (s.code !== undefined && s.status !== 'ok') codes[s.code] = (codes[s.code] ?? 0) + 1
    if (s.httpStatus !== undefined) httpStatus[String(s.httpStatus)] = (httpStatus[String(s.httpStatus)] ?? 0) + 1
    items.total += s.items.total
    items.new += s.items.new
    items.updated += s.items.updated
    items.duplicates += s.items.duplicates
    items.skipped += s.items.skipped
    bytes += s.bytes ?? 0
    sourcesDurationMs += s.durationMs
  }
  const failed = report.outputs.filter((o) => o.code !== undefined).length
  const written = report.outputs.filter((o) => o.written).length
  return {
    sources,
    codes,
    httpStatus,
    items,
    stories: { ...report.stories },
    outputs: { written, unchanged: report.outputs.length - written - failed, failed },
    bytes,
    durationMs: report.finishedAt.getTime() - report.startedAt.getTime(),
    sourcesDurationMs: Math.round(sourcesDurationMs),
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Number.POSITIVE_INFINITY) return '+Inf'
  if (value === Number.NEGATIVE_INFINITY) return '-Inf'
  return String(value)
}

class Exposition {
  private readonly lines: string[] = []

  gauge(name: string, help: string, samples: [Record<string, string>, number][] | number): void {
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} gauge`)
    const list: [Record<string, string>, number][] = typeof samples === 'number' ? [[{}, samples]] : samples
    for (const [labels, value] of list) {
      const entries = Object.entries(labels)
      const set = entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : ''
      this.lines.push(`${name}${set} ${number(value)}`)
    }
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`
  }
}

export interface MetricsContext {
  /** The CLI's exit code for the run. */
  exitCode: number
  /** When the run ended (the report's `finishedAt`, or the moment a run-level failure was caught). */
  finishedAt: Date
}

/**
 * The Prometheus text for one run. Without a report (a run-level failure: store down, bad config) only
 * `tonghop_run_success 0`, the exit code and the time are written, so an alert on them still fires.
 */
export function renderMetrics(report: RunReport | undefined, context: MetricsContext): string {
  const out = new Exposition()
  const ok = report !== undefined && context.exitCode === 0
  out.gauge('tonghop_run_success', 'Whether the last run ended with exit code 0.', ok ? 1 : 0)
  out.gauge('tonghop_run_exit_code', 'Exit code of the last run.', context.exitCode)
  out.gauge(
    'tonghop_run_finished_timestamp_seconds',
    'When the last run finished, in seconds since the epoch.',
    context.finishedAt.getTime() / 1000,
  )
  if (!report) return out.toString()
  const m = report.metrics ?? runMetrics(report)
  out.gauge(
    'tonghop_run_sources',
    'Sources of the last run by outcome status.',
    Object.entries(m.sources).map(([status, n]) => [{ status }, n]),
  )
  out.gauge(
    'tonghop_run_source_errors',
    'Sources of the last run that failed, were skipped or are retired, by error code.',
    Object.entries(m.codes).map(([code, n]) => [{ code }, n]),
  )
  out.gauge(
    'tonghop_run_http_responses',
    'Sources of the last run by the HTTP status of their last response.',
    Object.entries(m.httpStatus).map(([code, n]) => [{ code }, n]),
  )
  out.gauge(
    'tonghop_run_items',
    'Feed items of the last run: total, new, updated, duplicates, skipped.',
    Object.entries(m.items).map(([kind, n]) => [{ kind }, n]),
  )
  out.gauge(
    'tonghop_run_stories',
    'Stories of the last run: new, updated, duplicates.',
    Object.entries(m.stories).map(([kind, n]) => [{ kind }, n]),
  )
  out.gauge(
    'tonghop_run_outputs',
    'Outputs of the last run: written, unchanged, failed.',
    Object.entries(m.outputs).map(([result, n]) => [{ result }, n]),
  )
  out.gauge('tonghop_run_bytes', 'Bytes of feed bodies received in the last run (after content decoding).', m.bytes)
  out.gauge('tonghop_run_duration_seconds', 'Duration of the last run.', m.durationMs / 1000)
  out.gauge(
    'tonghop_run_sources_duration_seconds',
    "Sum of the sources' fetch-and-process times in the last run.",
    m.sourcesDurationMs / 1000,
  )
  out.gauge(
    'tonghop_source_up',
    'Whether the source was fetched in the last run (ok, not modified or unchanged).',
    report.sources.map((s) => [{ source: s.id }, UP.has(s.status) ? 1 : 0]),
  )
  if (report.hook) {
    out.gauge(
      'tonghop_hook_success',
      'Whether the onStories hook succeeded in the last run.',
      report.hook.status === 'delivered' ? 1 : 0,
    )
    out.gauge('tonghop_hook_stories', 'Stories the onStories hook was given in the last run.', report.hook.stories)
  }
  return out.toString()
}
