import type { Dispatcher } from 'undici'
import type { ErrorCode, FetchError } from '../errors.js'
import type { Logger } from '../logger.js'
import type { SourceState } from '../store/types.js'
import type { Source } from '../types.js'

/** Limits and politeness shared by `fetchFeed` (one request) and `fetchSources` (many). Durations in ms. */
export interface FetchLimits {
  /** Whole-request deadline in ms (connect + headers + body, all retries and waits included). @default 30_000 */
  timeout?: number
  /** Deadline for the TCP/TLS connection, in ms (only for the built-in guarded agent). @default 10_000 */
  connectTimeout?: number
  /** Deadline for the response headers of one attempt, in ms. @default 20_000 */
  headersTimeout?: number
  /** Longest silence between two body chunks, in ms. @default 20_000 */
  bodyTimeout?: number
  /** Maximum body size in bytes, enforced while streaming and again after decompression. @default 15 MiB */
  maxBytes?: number
  /** @default 5 */
  maxRedirects?: number
  /** Retries for network errors, 5xx and 429 (so at most `retries + 1` requests). @default 2 */
  retries?: number
  /**
   * Total time in ms one fetch may spend waiting between attempts (back-off and Retry-After). A Retry-After that does
   * not fit is not waited for: the FetchError carries `retryAfter`. @default 10_000
   */
  retryBudget?: number
  /** @default `tonghop/<version> (+https://www.npmjs.com/package/tonghop)` */
  userAgent?: string
  /** Extra request headers (dropped: `authorization` and `cookie` on a cross-origin redirect). */
  headers?: Record<string, string>
  /** Lift the SSRF guard for intranet feeds. @default false */
  allowPrivateNetwork?: boolean
  /** `host[:port]` exempt from the SSRF guard (tests use the one loopback origin they serve). @default [] */
  allowHosts?: string[]
}

export interface FetchOptions extends FetchLimits {
  /** ETag from the previous run, sent as If-None-Match. */
  etag?: string
  /** Last-Modified from the previous run, sent as If-Modified-Since. */
  lastModified?: string
  signal?: AbortSignal
  /** Allow `file:` URLs (only for sources that are local paths in the config). @default false */
  allowFile?: boolean
  /**
   * An undici Dispatcher to send requests through (a test seam, a proxy). The SSRF guard then checks the resolved
   * address of each hop's host name before the request instead of the connected socket.
   */
  dispatcher?: Dispatcher
}

export interface FetchRedirect {
  /** The URL that answered with a redirect. */
  url: string
  status: number
  /** Where it pointed (absolute). */
  to: string
}

export interface FetchResult {
  status: 'ok' | 'not-modified'
  /** Final URL after redirects. */
  url: string
  /** HTTP status of the final response (200 for `file:` URLs). */
  httpStatus: number
  /**
   * Decoded text (status 'ok'). Absent from the result of an `unchanged` source outcome of fetchSources: bytes that
   * hash like last time's are not decoded again (unless the state's `pagesRetryAt` is due: the consumer then wants
   * the body again).
   */
  text?: string
  /** The body after content decoding (status 'ok'). */
  bytes?: Uint8Array
  /** SHA-256 (hex) of `bytes` (status 'ok'). */
  bodyHash?: string
  contentType?: string
  /** The `Content-Location` header as sent (status 'ok'): pass it to parseFeed's `contentLocation`. */
  contentLocation?: string
  /** The charset the body was decoded with (absent when it was not decoded, as `text`). */
  charset?: string
  etag?: string
  lastModified?: string
  redirects: FetchRedirect[]
  /**
   * Where the feed moved: the target of the permanent redirects (301/308) at the start of the chain, when there were
   * any. Later runs should fetch this URL.
   */
  movedTo?: string
  timings: { startedAt: number; durationMs: number; attempts: number }
}

/** Defaults of `fetchSources` (and the `fetch` group of the aggregator options). */
export interface FetchDefaults extends FetchLimits {
  /** Requests in flight across all hosts. @default 8 */
  concurrency?: number
  /** Requests in flight to one host (`host:port`). @default 2 */
  perHost?: number
  /** Minimum time in ms between the starts of two requests to one host. @default 250 */
  minHostInterval?: number
  /**
   * With a fetch session (full text): feeds admitted at once, from their request until `onOutcome` (which fetches
   * their pages and processes them) returns, at most `perHost` of them per feed host until they call
   * `releaseHost()` (their pages fetched: the host's next feed may then start). Wider than `concurrency`, so
   * that every host with work stays busy while feeds wait for their pages; it bounds what a run holds (feed bodies
   * and the pages of the feeds in flight) and lets a slow consumer slow fetching. @default 32
   */
  feedsInFlight?: number
}

export interface FetchRequest {
  source: Source
  /** What was remembered for this source (validators, body hash, back-off, moved URL, gone). */
  state?: SourceState
  /** The host-wide back-off remembered under `host:<host>`, if any. */
  hostState?: SourceState
}

export interface FetchSourcesOptions extends FetchDefaults {
  /**
   * Fetch through this session: its global and host queues, dispatcher and limits (the limits given here are then
   * not used), so feed and page requests to one host share one budget. `onOutcome` then runs outside the queue slots
   * (it may await `session.fetchPage`); at most `feedsInFlight` feeds (`perHost` per host until they call
   * `OutcomeControl.releaseHost`) are fetching or in `onOutcome` at once, so a slow consumer still slows fetching (requests themselves stay within `concurrency`). Host-wide back-offs the feeds meet (a 503 with
   * Retry-After, a stored `hostState`) also hold back the session's pages. Not closed by `fetchSources`.
   */
  session?: FetchSession
  signal?: AbortSignal
  dispatcher?: Dispatcher
  /** Clock for back-off decisions and `lastFetchedAt`. @default () => new Date() */
  now?: () => Date
  logger?: Logger
  /**
   * Called as each source finishes (the aggregator parses while others still download). Awaited; if it throws,
   * `fetchSources` rejects with that error once the fetches in flight have settled. When given, the outcomes that
   * `fetchSources` resolves with carry `result` without `text` and `bytes` (the callback had them), so a run of
   * thousands of feeds never holds every body at once.
   */
  onOutcome?: (outcome: SourceFetchOutcome, control: OutcomeControl) => void | Promise<void>
}

/** What `onOutcome` may tell `fetchSources` about the feed it is given. */
export interface OutcomeControl {
  /**
   * With a session: the feed will make no more requests to its host (its pages are fetched). Its host's admission
   * (one of `perHost`) goes to the host's next feed, which is then requested and parsed while this one is still being
   * processed, so the host's queue does not run dry between two feeds; the feed still counts against
   * `feedsInFlight` until `onOutcome` returns. Without a session, or called again: does nothing.
   */
  releaseHost(): void
}

export type SourceFetchStatus = 'ok' | 'not-modified' | 'unchanged' | 'failed' | 'skipped' | 'gone'

export interface SourceFetchOutcome {
  source: Source
  /**
   * `ok`: new body; `not-modified`: 304; `unchanged`: 200 whose body hash equals `state.bodyHash` (its `result` has
   * `bytes` but no `text`: the body is not decoded again, except when the stored `pagesRetryAt` is due: then no
   * validators were sent and `text` is there); `failed`: see
   * `error`; `skipped`: a stored back-off (source or host) is still running, no request made; `gone`: 410 (now or
   * remembered from an earlier run).
   */
  status: SourceFetchStatus
  /** For `ok` and `unchanged` (and `not-modified`, without a body). */
  result?: FetchResult
  /** For `failed` and `gone`; for `skipped`, why (ERR_FETCH_RATE_LIMITED with the `retryAfter` left). */
  error?: FetchError
  /** What to remember for this source (validators, bodyHash, retryAfterUntil, url after 301/308, gone). */
  state: SourceState
  /** A host-wide back-off to remember under `host:<host>`, only when the host said so. */
  hostState?: SourceState
  durationMs: number
}

/** Defaults of page fetching (`FetchSession.fetchPage`). */
export interface PageDefaults {
  /** Page fetches one session may start (requests made); beyond it pages are skipped with ERR_PAGE_BUDGET. @default 1000 */
  pagesPerRun?: number
  /** Page fetches one session may start to one host (`host:port`). @default 200 */
  pagesPerHost?: number
  /** Honour robots.txt (fetched once per origin per session, at most 500 KiB) for page fetches. @default true */
  robots?: boolean
  /** Maximum page body size in bytes, on the wire and after decompression. @default 5 MiB */
  pageMaxBytes?: number
}

export interface FetchSessionOptions extends FetchDefaults, PageDefaults {
  /** Aborts every request of the session (feeds fetched through it included). */
  signal?: AbortSignal
  dispatcher?: Dispatcher
  /** Clock for back-off decisions. @default () => new Date() */
  now?: () => Date
  logger?: Logger
}

export interface PageFetchOptions {
  signal?: AbortSignal
  /** Sent as the Referer header (the feed item's page, usually). */
  referer?: string
}

export type PageFetchOutcome =
  | {
      status: 'ok'
      /** Final URL after redirects. */
      url: string
      httpStatus: number
      text: string
      contentType?: string
      /** The charset the body was decoded with. */
      charset?: string
      /** Body size in bytes after content decoding. */
      bytes: number
      redirects: { url: string; status: number }[]
      durationMs: number
    }
  | {
      status: 'failed'
      url: string
      code: ErrorCode
      message: string
      httpStatus?: number
      /** Milliseconds the host asked to wait (Retry-After not waited for, or the session's back-off still running). */
      retryAfter?: number
      durationMs: number
    }
  | {
      status: 'skipped'
      url: string
      code: 'ERR_PAGE_BUDGET' | 'ERR_PAGE_ROBOTS'
      message: string
    }

/** What robots.txt said for one origin, as the session recorded it. */
export interface RobotsRecord {
  /** `http://host:port` */
  origin: string
  /**
   * `ok`: parsed and applied; `missing`: 4xx (or an empty body), everything allowed; `unreachable`: 5xx, 429, a
   * network error, a timeout or a body past 500 KiB, everything disallowed for this session.
   */
  status: 'ok' | 'missing' | 'unreachable'
  httpStatus?: number
  /** The error code when unreachable without an HTTP status (ERR_FETCH_TIMEOUT, ERR_FETCH_NETWORK, …). */
  code?: ErrorCode
}

export interface FetchSession {
  /** Fetch one article page: robots.txt checked first; shares the host queues with fetchSources given this session. */
  fetchPage(url: string, options?: PageFetchOptions): Promise<PageFetchOutcome>
  /** Page fetches started (`fetched`, failures included), refused by budget, and disallowed by robots.txt so far. */
  readonly pages: { fetched: number; refusedByBudget: number; disallowed: number }
  /** robots.txt as fetched so far, one record per origin. */
  readonly robotsFiles: readonly RobotsRecord[]
  /** Waits for the requests in flight, then closes the session's own connections. */
  close(): Promise<void>
}
