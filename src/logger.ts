/** pino-shaped logger: `logger.info({ sourceId }, 'fetched')`. tonghop is silent unless given one. */
export type LogFn = (fields: Record<string, unknown>, msg?: string) => void

export interface Logger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
}

const noop: LogFn = () => {}

export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop })

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

/** A logger that writes one JSON object per line to a stream (the CLI uses stderr). */
export function createJsonLogger(
  write: (line: string) => void,
  level: LogLevel = 'info',
  now: () => Date = () => new Date(),
): Logger {
  const min = LEVELS[level]
  const make =
    (lvl: Exclude<LogLevel, 'silent'>): LogFn =>
    (fields, msg) => {
      if (LEVELS[lvl] < min) return
      write(`${JSON.stringify({ level: lvl, time: now().toISOString(), ...fields, ...(msg ? { msg } : {}) })}\n`)
    }
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') }
}
