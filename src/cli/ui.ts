/**
 * What the CLI tells people. stderr only (stdout is for `--json` and `check` output): JSON lines when stderr is not
 * a terminal (cron, systemd, log shippers); on a terminal a progress line (feeds done/total, new stories) and
 * readable warnings instead. `--quiet` keeps only errors, `--verbose` adds debug.
 */
import { createJsonLogger, type LogFn, type Logger, type LogLevel } from '../logger.js'
import type { CliReport } from './report.js'

export interface Ui {
  readonly logger: Logger
  readonly tty: boolean
  progress(done: number, total: number, newStories: number): void
  /** A run-level error (also before there is a logger's context). */
  error(error: unknown): void
  /** The closing line of a run. */
  summary(report: CliReport, reportFile?: string): void
}

export interface UiOptions {
  quiet?: boolean
  verbose?: boolean
  /** Defaults to `process.stderr.isTTY`. */
  tty?: boolean
  write?: (text: string) => void
}

export function createUi(options: UiOptions = {}): Ui {
  const write = options.write ?? ((text: string) => void process.stderr.write(text))
  const tty = options.tty ?? process.stderr.isTTY === true
  const level: LogLevel = options.quiet ? 'error' : options.verbose ? 'debug' : tty ? 'warn' : 'info'
  let progressShown = false

  const clearProgress = () => {
    if (progressShown) {
      write('\r\x1b[K')
      progressShown = false
    }
  }

  const logger: Logger = tty
    ? humanLogger(level, (line) => {
        clearProgress()
        write(line)
      })
    : createJsonLogger(write, level)

  return {
    logger,
    tty,
    progress(done, total, newStories) {
      if (!tty || options.quiet) return
      write(`\r\x1b[K${done}/${total} feeds · ${newStories} new ${newStories === 1 ? 'story' : 'stories'}`)
      progressShown = true
      if (done === total) clearProgress()
    },
    error(error) {
      clearProgress()
      const e = error as { code?: string; message?: string; file?: string; path?: string }
      const code = typeof e?.code === 'string' ? e.code : 'ERR_INTERNAL'
      const message = typeof e?.message === 'string' ? e.message : String(error)
      if (tty) write(`tonghop: ${message} (${code})\n`)
      else
        createJsonLogger(write, 'error').error(
          { code, ...(e?.file ? { file: e.file } : {}), ...(e?.path ? { path: e.path } : {}) },
          message,
        )
    },
    summary(report, reportFile) {
      clearProgress()
      if (options.quiet) return
      const t = report.totals
      const failed = report.sources.filter((s) => s.status === 'failed')
      if (tty) {
        for (const s of failed) {
          write(
            `  failed  ${s.id}  ${s.code ?? ''}${s.httpStatus ? ` (HTTP ${s.httpStatus})` : ''}  ${s.message ?? ''}\n`,
          )
        }
        for (const o of report.outputs.filter((o) => o.code))
          write(`  output failed  ${o.path}  ${o.message ?? o.code}\n`)
        const notChanged = t.byStatus['not-modified'] + t.byStatus.unchanged
        write(
          `${report.status === 'ok' ? '✓' : report.status === 'partial' ? '!' : '✗'} ${t.sources} feeds` +
            `${failed.length ? ` (${failed.length} failed)` : ''}${notChanged ? `, ${notChanged} unchanged` : ''}` +
            ` · ${t.items.new} new, ${t.items.updated} updated, ${t.items.duplicates} duplicates` +
            ` · ${t.outputs.written}/${t.outputs.total} outputs written${report.dryRun ? ' (dry run)' : ''}\n`,
        )
      } else {
        logger.info(
          {
            status: report.status,
            exitCode: report.exitCode,
            sources: t.sources,
            failed: failed.length,
            ...t.items,
            outputsWritten: t.outputs.written,
            ...(reportFile ? { report: reportFile } : {}),
          },
          'tonghop run finished',
        )
      }
    },
  }
}

function humanLogger(level: LogLevel, write: (line: string) => void): Logger {
  const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }
  const make =
    (lvl: Exclude<LogLevel, 'silent'>): LogFn =>
    (fields, msg) => {
      if (order[lvl] < order[level]) return
      const context = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ')
      write(`${lvl.padEnd(5)} ${msg ?? ''}${context ? `  ${context}` : ''}\n`)
    }
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') }
}
