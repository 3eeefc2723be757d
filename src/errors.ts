/**
 * Errors carry a stable `code`. Callers match on `error.code`, never on the message text. Codes are API:
 * add new ones, never rename or remove one.
 */
export type ErrorCode =
  // fetch/
  | 'ERR_FETCH_TIMEOUT'
  | 'ERR_FETCH_TOO_LARGE'
  | 'ERR_FETCH_HTTP_STATUS'
  | 'ERR_FETCH_GONE'
  | 'ERR_FETCH_RATE_LIMITED'
  | 'ERR_FETCH_REDIRECT_LIMIT'
  | 'ERR_FETCH_REDIRECT_LOOP'
  | 'ERR_FETCH_BLOCKED_ADDRESS'
  | 'ERR_FETCH_NETWORK'
  | 'ERR_FETCH_ABORTED'
  | 'ERR_FETCH_DECODE'
  | 'ERR_FETCH_UNSUPPORTED_URL'
  | 'ERR_FETCH_FILE'
  // fetch/ pages (FetchSession.fetchPage)
  | 'ERR_PAGE_BUDGET'
  | 'ERR_PAGE_ROBOTS'
  | 'ERR_PAGE_NOT_HTML'
  // parse/
  | 'ERR_PARSE_INVALID_FEED'
  | 'ERR_PARSE_UNKNOWN_FORMAT'
  | 'ERR_PARSE_TOO_LARGE'
  // extract/ (per article page, returned by extractArticle)
  | 'ERR_EXTRACT_NO_ARTICLE'
  | 'ERR_EXTRACT_TOO_SHORT'
  | 'ERR_EXTRACT_LOGIN_WALL'
  | 'ERR_EXTRACT_CONSENT'
  | 'ERR_EXTRACT_HOME_PAGE'
  | 'ERR_EXTRACT_TOO_LARGE'
  // normalize/ (per item, reported in NormalizeResult.skipped)
  | 'ERR_NORMALIZE_ITEM'
  | 'ERR_NORMALIZE_NO_LINK'
  | 'ERR_NORMALIZE_NO_TITLE'
  // store/
  | 'ERR_STORE_LOCKED'
  | 'ERR_STORE_UNAVAILABLE'
  | 'ERR_STORE_SCHEMA'
  | 'ERR_STORE_QUERY'
  // publish/
  | 'ERR_PUBLISH_WRITE'
  | 'ERR_PUBLISH_RENDER'
  // hooks (reported in RunReport.hook; never fail the run)
  | 'ERR_HOOK_FAILED'
  | 'ERR_HOOK_TIMEOUT'
  | 'ERR_HOOK_BLOCKED_ADDRESS'
  // config / options
  | 'ERR_CONFIG_INVALID'
  | 'ERR_CONFIG_NOT_FOUND'
  | 'ERR_CONFIG_PARSE'
  // anything we did not foresee, wrapped so it still has a code
  | 'ERR_INTERNAL'

export interface ErrorContext {
  cause?: unknown
  /** The feed or resource URL the error is about. */
  url?: string
  /** The source id, when the error belongs to one source. */
  sourceId?: string
}

export class TonghopError extends Error {
  readonly code: ErrorCode
  readonly url?: string
  readonly sourceId?: string

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause })
    this.code = code
    if (context.url !== undefined) this.url = context.url
    if (context.sourceId !== undefined) this.sourceId = context.sourceId
  }

  override get name(): string {
    return this.constructor.name
  }

  toJSON(): { name: string; code: ErrorCode; message: string; url?: string; sourceId?: string } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.url === undefined ? {} : { url: this.url }),
      ...(this.sourceId === undefined ? {} : { sourceId: this.sourceId }),
    }
  }
}

export interface FetchErrorContext extends ErrorContext {
  /** HTTP status of the last response, when there was one. */
  httpStatus?: number
  /** Milliseconds the server asked us to wait before trying again (Retry-After), when not waited for. */
  retryAfter?: number
  /** True when `retryAfter` applies to every feed of the host (the server said so), not only this feed. */
  retryAfterHostWide?: boolean
}

export class FetchError extends TonghopError {
  readonly httpStatus?: number
  readonly retryAfter?: number
  readonly retryAfterHostWide?: boolean

  constructor(code: ErrorCode, message: string, context: FetchErrorContext = {}) {
    super(code, message, context)
    if (context.httpStatus !== undefined) this.httpStatus = context.httpStatus
    if (context.retryAfter !== undefined) this.retryAfter = context.retryAfter
    if (context.retryAfterHostWide !== undefined) this.retryAfterHostWide = context.retryAfterHostWide
  }
}

export class ParseError extends TonghopError {}

export class NormalizeError extends TonghopError {}

export class StoreError extends TonghopError {}

export class PublishError extends TonghopError {}

export interface ConfigErrorContext extends ErrorContext {
  /** The config file, when the options came from one. */
  file?: string
  /** Dotted path of the offending field: `sources[2].url`. */
  path?: string
}

export class ConfigError extends TonghopError {
  readonly file?: string
  readonly path?: string

  constructor(code: ErrorCode, message: string, context: ConfigErrorContext = {}) {
    super(code, message, context)
    if (context.file !== undefined) this.file = context.file
    if (context.path !== undefined) this.path = context.path
  }
}

/** Turn anything thrown into a TonghopError, keeping the original as `cause`. */
export function toTonghopError(error: unknown, fallback: ErrorCode = 'ERR_INTERNAL', context: ErrorContext = {}) {
  if (error instanceof TonghopError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new TonghopError(fallback, message, { ...context, cause: error })
}

export function isTonghopError(error: unknown): error is TonghopError {
  return error instanceof TonghopError
}
