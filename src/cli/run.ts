/**
 * `tonghop run`: the cron job. Config → lock → createAggregator().run() → run report → exit code.
 * With `--worker` it loops every `--interval` seconds until SIGTERM/SIGINT, finishing the round in progress.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { renderMetrics } from '../metrics.js'
import type { AggregatorOptions } from '../options.js'
import type { RunReport } from '../types.js'
import { loadConfig } from './config.js'
import { EXIT, exitCodeForError, exitCodeForReport } from './exit-codes.js'
import { writeFileAtomic } from './fs.js'
import { acquireFileLock, type FileLock } from './lock.js'
import { buildErrorReport, buildReport, type CliReport, reportPath, writeReport } from './report.js'
import { createUi, type Ui } from './ui.js'

export interface RunFlags {
  config?: string
  dryRun?: boolean
  json?: boolean
  quiet?: boolean
  verbose?: boolean
  strict?: boolean
  store?: string
  worker?: boolean
  /** Seconds between the starts of two worker rounds. @default 300 */
  interval?: number
  /** Write the run's metrics (Prometheus text format) to this file, atomically. */
  metrics?: string
  /** Whether stderr is a terminal (progress line); given by the main thread when the run is in a thread of its own. */
  tty?: boolean
}

/**
 * Where SIGINT / SIGTERM reach the run: `process.on` in the main thread; a thread of its own is told by the main
 * thread (signals are not delivered to worker threads). Returns a function that stops listening.
 */
export type SignalSource = (handler: (signal: NodeJS.Signals) => void) => () => void

const processSignals: SignalSource = (handler) => {
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return () => {
    process.removeListener('SIGINT', handler)
    process.removeListener('SIGTERM', handler)
  }
}

export const DEFAULT_INTERVAL_S = 300

/** `--store` value → the config's store spec: a postgres:// URL, `memory`, or an SQLite path (relative to cwd). */
export function parseStoreFlag(
  value: string,
  cwd = process.cwd(),
): { sqlite: string } | { postgres: string } | { memory: true } {
  if (/^postgres(ql)?:\/\//i.test(value)) return { postgres: value }
  if (value === 'memory' || value === ':memory:') return { memory: true }
  return { sqlite: resolve(cwd, value) }
}

/** Where the lock lives: beside the SQLite file, else beside the config; none for postgres workers (leases). */
export function lockPathFor(store: unknown, configFile: string, worker: boolean): string | undefined {
  if (typeof store === 'object' && store !== null) {
    if ('sqlite' in store && typeof store.sqlite === 'string' && store.sqlite !== ':memory:')
      return `${store.sqlite}.lock`
    if ('postgres' in store && worker) return undefined
  }
  return `${configFile}.lock`
}

/**
 * What a run needs before it starts: the config (with `--store` over its store), the lock (none for a dry run, which
 * changes nothing and so neither waits for nor blocks a real run) and the output directories; else the exit code.
 */
function prepareRun(
  flags: RunFlags,
  ui: Ui,
  dryRun: boolean,
  worker: boolean,
): { loaded: ReturnType<typeof loadConfig>; lock: FileLock | undefined } | number {
  let loaded: ReturnType<typeof loadConfig>
  try {
    loaded = loadConfig(flags.config, {
      ...(flags.store === undefined
        ? {}
        : {
            override: (data) => {
              data.store = parseStoreFlag(flags.store!)
            },
          }),
    })
  } catch (error) {
    ui.error(error)
    return exitCodeForError(error)
  }
  const { file, options } = loaded

  let lock: FileLock | undefined
  const lockPath = dryRun ? undefined : lockPathFor(options.store, file, worker)
  if (lockPath) {
    try {
      lock = acquireFileLock(lockPath)
    } catch (error) {
      ui.error(error)
      return exitCodeForError(error)
    }
  }

  // Output directories are created here (a directory that cannot be created makes its output fail, not the run).
  if (!dryRun) {
    for (const dir of new Set([...options.outputs.map((o) => dirname(o.path)), dirname(reportPath(options, file))])) {
      try {
        mkdirSync(dir, { recursive: true })
      } catch {}
    }
  }

  return { loaded, lock }
}

export async function runCommand(
  flags: RunFlags,
  version: string,
  signals: SignalSource = processSignals,
): Promise<number> {
  const ui = createUi({
    ...(flags.quiet ? { quiet: true } : {}),
    ...(flags.verbose ? { verbose: true } : {}),
    ...(flags.tty === undefined ? {} : { tty: flags.tty }),
  })
  const dryRun = flags.dryRun === true
  const worker = flags.worker === true

  const prepared = prepareRun(flags, ui, dryRun, worker)
  if (typeof prepared === 'number') return prepared
  const { file, data, options } = prepared.loaded
  const lock = prepared.lock

  // Signals: a single run aborts its fetches and ends cleanly; a worker finishes its round first. A second signal
  // leaves at once (the lock is released by the 'exit' handler; the store keeps its previous committed state).
  const controller = new AbortController()
  let stopping = false
  let wake: (() => void) | undefined
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      lock?.release()
      process.exit(signal === 'SIGINT' ? 130 : 143)
    }
    stopping = true
    ui.logger.warn({ signal }, worker ? 'stopping after the current round' : 'stopping: aborting the run')
    if (!worker) controller.abort(new Error(`received ${signal}`))
    wake?.()
  }
  const stopListening = signals(onSignal)

  // A dry run against state that does not exist yet starts from nothing, without creating the SQLite file.
  const store = options.store
  const fresh = dryRun && 'sqlite' in store && store.sqlite !== ':memory:' && !existsSync(store.sqlite)

  let newStories = 0
  const input: AggregatorOptions = {
    ...(data as unknown as AggregatorOptions),
    ...(fresh ? { store: { memory: true } } : flags.store === undefined ? {} : { store: options.store }),
    baseDir: options.baseDir,
    logger: ui.logger,
    signal: controller.signal,
    onProgress: ({ done, total, outcome }) => {
      newStories += outcome.items.new
      ui.progress(done, total, newStories)
    },
  }

  const context = { config: file, dryRun, version }
  const reportFile = reportPath(options, file)
  let aggregator:
    | { run(o?: { dryRun?: boolean; runLock?: boolean }): Promise<RunReport>; close(): Promise<void> }
    | undefined
  let exitCode: number = EXIT.OK
  try {
    const { createAggregator } = await import('../aggregator.js')
    aggregator = createAggregator(input)
    const interval = (flags.interval ?? DEFAULT_INTERVAL_S) * 1000
    do {
      const started = Date.now()
      newStories = 0
      // The lock file (pid-checked, taken over from dead runs) already excludes other runs; the store's own run lock
      // would outlive a killed run for its whole TTL, so it is not taken as well.
      exitCode = await runRound(aggregator, { ui, flags, dryRun, runLock: lock === undefined, context, reportFile })
      if (!worker) break
      // A config error will not fix itself; anything else (store down, all feeds failing) is retried next round.
      if (exitCode === EXIT.CONFIG) break
      const wait = Math.max(0, interval - (Date.now() - started))
      if (!stopping && wait > 0) {
        await new Promise<void>((done) => {
          const timer = setTimeout(done, wait)
          wake = () => {
            clearTimeout(timer)
            done()
          }
        })
        wake = undefined
      }
    } while (!stopping)
    if (worker && exitCode !== EXIT.CONFIG) exitCode = EXIT.OK
  } catch (error) {
    ui.error(error)
    exitCode = exitCodeForError(error)
  } finally {
    await aggregator
      ?.close()
      .catch((error: unknown) => ui.logger.warn({ error: String(error) }, 'closing the store failed'))
    lock?.release()
    stopListening()
  }
  return exitCode
}

async function runRound(
  aggregator: { run(o?: { dryRun?: boolean; runLock?: boolean }): Promise<RunReport> },
  ctx: {
    ui: Ui
    flags: RunFlags
    dryRun: boolean
    runLock: boolean
    context: { config: string; dryRun: boolean; version: string }
    reportFile: string
  },
): Promise<number> {
  const { ui, flags, dryRun, runLock, context, reportFile } = ctx
  const startedAt = new Date()
  let report: CliReport
  let exitCode: number
  let result: RunReport | undefined
  try {
    result = await aggregator.run({ dryRun, runLock })
    exitCode = exitCodeForReport(result, { strict: flags.strict === true })
    report = buildReport(result, { ...context, exitCode })
  } catch (error) {
    ui.error(error)
    exitCode = exitCodeForError(error)
    // A held lock belongs to the other run, and so does the report; a config error writes nothing.
    if (exitCode === EXIT.LOCKED || exitCode === EXIT.CONFIG) return exitCode
    if (!dryRun && flags.metrics) writeMetrics(flags.metrics, undefined, exitCode, new Date(), ui)
    const e = error as { code?: unknown; message?: unknown }
    report = buildErrorReport(
      { code: typeof e.code === 'string' ? e.code : 'ERR_INTERNAL', message: String(e.message ?? error) },
      { ...context, exitCode, startedAt, finishedAt: new Date() },
    )
  }
  if (result && !dryRun && flags.metrics) writeMetrics(flags.metrics, result, exitCode, result.finishedAt, ui)
  let written: string | undefined
  if (!dryRun) {
    try {
      writeReport(reportFile, report)
      written = reportFile
    } catch (error) {
      ui.logger.error({ path: reportFile, error: (error as Error).message }, 'cannot write the run report')
    }
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  if (!report.error) ui.summary(report, written)
  return exitCode
}

/** `--metrics <file>`: the run's numbers in the Prometheus text format, written atomically (a failure is logged). */
function writeMetrics(file: string, result: RunReport | undefined, exitCode: number, finishedAt: Date, ui: Ui): void {
  try {
    writeFileAtomic(resolve(file), renderMetrics(result, { exitCode, finishedAt }))
  } catch (error) {
    ui.logger.error({ path: file, error: (error as Error).message }, 'cannot write the metrics file')
  }
}
