/**
 * Exit codes of the `tonghop` CLI. They are API: cron wrappers and systemd units match on them.
 *
 * | code | meaning                                                                                |
 * | ---- | -------------------------------------------------------------------------------------- |
 * | 0    | ok (with some sources failed too, unless `--strict`)                                   |
 * | 1    | failed: a run-level failure (store unavailable, …), every source failed, or every output failed |
 * | 2    | config: the config file is missing, unreadable or invalid, or the command line is wrong |
 * | 3    | partial with `--strict`: some sources or outputs failed                                |
 * | 75   | locked (EX_TEMPFAIL): another run holds the lock; try again later                      |
 */
import type { RunReport } from '../types.js'

export const EXIT = Object.freeze({
  OK: 0,
  FAILED: 1,
  CONFIG: 2,
  PARTIAL: 3,
  LOCKED: 75,
} as const)

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** What a finished run means for cron: see the table above. */
export function exitCodeForReport(
  report: Pick<RunReport, 'sources' | 'outputs'>,
  options: { strict?: boolean } = {},
): ExitCode {
  const failedSources = report.sources.filter((s) => s.status === 'failed').length
  const failedOutputs = report.outputs.filter((o) => o.code !== undefined).length
  if (report.sources.length > 0 && failedSources === report.sources.length) return EXIT.FAILED
  if (report.outputs.length > 0 && failedOutputs === report.outputs.length) return EXIT.FAILED
  if (failedSources > 0 || failedOutputs > 0) return options.strict ? EXIT.PARTIAL : EXIT.OK
  return EXIT.OK
}

/** The exit code for an error that ended the run before it produced a report. */
export function exitCodeForError(error: unknown): ExitCode {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  if (code === 'ERR_CONFIG_INVALID' || code === 'ERR_CONFIG_NOT_FOUND' || code === 'ERR_CONFIG_PARSE')
    return EXIT.CONFIG
  if (code === 'ERR_STORE_LOCKED') return EXIT.LOCKED
  return EXIT.FAILED
}
