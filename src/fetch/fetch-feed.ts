import { setTimeout as sleep } from 'node:timers/promises'
import { FetchError, type FetchErrorContext } from '../errors.js'
import { decodeBytes } from '../internal/charset.js'
import { ACCEPT_ENCODING, discard, readBody, tooLarge } from './body.js'
import { type ResolvedFetchDefaults, resolveFetchDefaults } from './defaults.js'
import { readFileFeed } from './file.js'
import { BlockedAddressError, type GuardConfig, precheckUrl } from './guard.js'
import { closeDispatcher, createGuardedAgent, type Dispatcher, type HttpResponse, httpGet } from './http.js'
import { backoffDelay, parseRetryAfter } from './retry.js'
import type { FetchOptions, FetchRedirect, FetchResult } from './types.js'

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.1'

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const PERMANENT_STATUSES = new Set([301, 308])

/** How one fetch is carried out: resolved limits, the dispatcher, and whether its sockets are guarded. */
export interface FetchContext {
  limits: ResolvedFetchDefaults
  dispatcher: Dispatcher
  /** True when `dispatcher` checks connected addresses itself (our guarded agent). */
  guardedDispatcher: boolean
}

/**
 * The context for a fetch: the caller's dispatcher, or our own SSRF-guarded agent (returned as `own`, for the caller
 * to close when done).
 */
export function createFetchContext(
  limits: ResolvedFetchDefaults,
  dispatcher: unknown,
): { context: FetchContext; own: Dispatcher | undefined } {
  const own = dispatcher
    ? undefined
    : createGuardedAgent({
        allowPrivateNetwork: limits.allowPrivateNetwork,
        allowHosts: limits.allowHosts,
        connectTimeout: limits.connectTimeout,
      })
  return {
    context: { limits, dispatcher: own ?? (dispatcher as Dispatcher), guardedDispatcher: own !== undefined },
    own,
  }
}

/** How another kind of resource is fetched by fetchHttp than a feed (pages, robots.txt). */
export interface HttpProfile {
  /** The Accept header. */
  accept: string
  /** Extra request headers for every hop (`referer`). */
  headers?: Record<string, string>
  /** What the body is, in size errors. @default 'Feed' */
  subject?: string
  /** Checked on a 2xx before its body is read: an error returned refuses the body unread (never retried). */
  checkResponse?: (contentType: string | undefined, url: string, httpStatus: number) => FetchError | undefined
  /**
   * A redirect to another origin is not followed: fetchHttp rejects with OriginRedirect (the hops so far and the
   * target), so the caller can check the target (robots.txt) and fetch it through the target host's queue.
   */
  stopAtOriginChange?: boolean
}

/** A redirect to another origin that a `stopAtOriginChange` profile did not follow (never reported as such). */
export class OriginRedirect extends FetchError {
  constructor(
    readonly target: URL,
    readonly redirects: FetchRedirect[],
    url: string,
    httpStatus: number,
  ) {
    super('ERR_FETCH_REDIRECT_LIMIT', `Redirect to another origin not followed: ${target.href}: GET ${url}`, {
      url,
      httpStatus,
    })
  }
}

/** Attempt-level failures that may be retried. */
const retryable = new WeakSet<FetchError>()

function fail(code: FetchError['code'], message: string, context: FetchErrorContext, canRetry = false): FetchError {
  const error = new FetchError(code, message, context)
  if (canRetry) retryable.add(error)
  return error
}

class DeadlineExceeded extends Error {}

/**
 * GET one feed: conditional GET, redirects (each hop checked by the SSRF guard), retries with back-off and
 * Retry-After, size and time limits, content decoding and charset detection. Throws FetchError.
 */
export async function fetchFeed(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  const limits = resolveFetchDefaults(options, 'options')
  const parsed = parseFeedUrl(url, options.allowFile === true)
  if (parsed.protocol === 'file:') return readFileWithSignal(parsed, limits.maxBytes, options.signal)
  const { context, own } = createFetchContext(limits, options.dispatcher)
  try {
    return await fetchHttp(parsed, options, context)
  } finally {
    if (own) await closeDispatcher(own)
  }
}

export function parseFeedUrl(url: string, allowFile: boolean): URL {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (cause) {
    throw new FetchError('ERR_FETCH_UNSUPPORTED_URL', `Not a valid URL: ${url}`, { url, cause })
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed
  if (parsed.protocol === 'file:' && allowFile) return parsed
  throw new FetchError(
    'ERR_FETCH_UNSUPPORTED_URL',
    parsed.protocol === 'file:'
      ? `file: URLs are only read for sources given as local paths: ${url}`
      : `Unsupported URL scheme ${parsed.protocol}: ${url}`,
    { url },
  )
}

export async function readFileWithSignal(url: URL, maxBytes: number, signal?: AbortSignal): Promise<FetchResult> {
  if (signal?.aborted) throw new FetchError('ERR_FETCH_ABORTED', `Aborted: ${url.href}`, { url: url.href })
  return readFileFeed(url, maxBytes, signal)
}

/**
 * The HTTP part of fetchFeed, with a dispatcher owned by the caller (fetchSources shares one per run). A body whose
 * hash equals `knownBodyHash` (the last run's) is not decoded: the result then carries `bytes` and `bodyHash` only.
 */
export async function fetchHttp(
  url: URL,
  options: FetchOptions,
  context: FetchContext,
  knownBodyHash?: string,
  profile?: HttpProfile,
): Promise<FetchResult> {
  const { limits } = context
  const startedAt = Date.now()
  const deadline = startedAt + limits.timeout
  const timeoutController = new AbortController()
  const timer = setTimeout(() => timeoutController.abort(new DeadlineExceeded()), limits.timeout)
  const signal = options.signal ? AbortSignal.any([options.signal, timeoutController.signal]) : timeoutController.signal
  const href = url.href
  let attempts = 0
  let waited = 0
  try {
    for (;;) {
      attempts++
      try {
        const result = await attempt(url, options, context, signal, deadline, knownBodyHash, profile)
        return { ...result, timings: { startedAt, durationMs: Date.now() - startedAt, attempts } }
      } catch (raw) {
        const error = classify(raw, href, signal, timeoutController.signal, limits.timeout)
        if (!retryable.has(error) || attempts > limits.retries) throw error
        const delay = error.retryAfter ?? backoffDelay(attempts)
        if (waited + delay > limits.retryBudget || Date.now() + delay >= deadline) throw error
        try {
          await sleep(delay, undefined, { signal })
        } catch (abort) {
          throw classify(abort, href, signal, timeoutController.signal, limits.timeout)
        }
        waited += delay
      }
    }
  } finally {
    clearTimeout(timer)
  }
}

function classify(raw: unknown, url: string, signal: AbortSignal, deadline: AbortSignal, timeout: number): FetchError {
  if (deadline.aborted) {
    return new FetchError('ERR_FETCH_TIMEOUT', `No complete response within ${timeout} ms: GET ${url}`, {
      url,
      cause: raw,
    })
  }
  if (signal.aborted) return new FetchError('ERR_FETCH_ABORTED', `Aborted: GET ${url}`, { url, cause: raw })
  if (raw instanceof FetchError) return raw
  const blocked = findBlocked(raw)
  if (blocked) {
    return new FetchError('ERR_FETCH_BLOCKED_ADDRESS', `${blocked.message}: GET ${url}`, { url, cause: raw })
  }
  const code = (raw as { code?: unknown } | undefined)?.code
  const message = raw instanceof Error ? raw.message : String(raw)
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return fail('ERR_FETCH_TIMEOUT', `${message}: GET ${url}`, { url, cause: raw }, true)
  }
  const permanent = code === 'ENOTFOUND' || code === 'UND_ERR_INVALID_ARG' || code === 'ERR_TLS_CERT_ALTNAME_INVALID'
  return fail(
    'ERR_FETCH_NETWORK',
    `${message}${code ? ` (${String(code)})` : ''}: GET ${url}`,
    { url, cause: raw },
    !permanent,
  )
}

function findBlocked(error: unknown): BlockedAddressError | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof BlockedAddressError) return current
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

function requestHeaders(
  options: FetchOptions,
  limits: ResolvedFetchDefaults,
  crossOrigin: boolean,
  profile: HttpProfile | undefined,
) {
  const headers: Record<string, string> = {
    'user-agent': limits.userAgent,
    accept: profile?.accept ?? ACCEPT,
    'accept-encoding': ACCEPT_ENCODING,
    ...profile?.headers,
  }
  for (const [name, value] of Object.entries(limits.headers)) {
    const lower = name.toLowerCase()
    if (crossOrigin && (lower === 'authorization' || lower === 'cookie')) continue
    headers[lower] = value
  }
  if (options.etag) headers['if-none-match'] = options.etag
  if (options.lastModified) headers['if-modified-since'] = options.lastModified
  return headers
}

type AttemptResult = Omit<FetchResult, 'timings'>

/** One attempt: follow redirects to a final response. */
async function attempt(
  start: URL,
  options: FetchOptions,
  context: FetchContext,
  signal: AbortSignal,
  deadline: number,
  knownBodyHash: string | undefined,
  profile: HttpProfile | undefined,
): Promise<AttemptResult> {
  const { limits } = context
  const guard: GuardConfig = { allowPrivateNetwork: limits.allowPrivateNetwork, allowHosts: limits.allowHosts }
  const redirects: FetchRedirect[] = []
  const visited = new Set([start.href])
  let current = start
  for (;;) {
    const href = current.href
    await precheckUrl(guard, current, !context.guardedDispatcher)
    const remaining = Math.max(1, deadline - Date.now())
    const response = await httpGet(current, {
      dispatcher: context.dispatcher,
      headers: requestHeaders(options, limits, current.origin !== start.origin, profile),
      signal,
      headersTimeout: Math.min(limits.headersTimeout, remaining),
      bodyTimeout: Math.min(limits.bodyTimeout, remaining),
    })
    const status = response.statusCode

    if (REDIRECT_STATUSES.has(status)) {
      await response.dump()
      const location = header(response, 'location')
      if (!location) {
        throw fail('ERR_FETCH_HTTP_STATUS', `HTTP ${status} without a Location header: GET ${href}`, {
          url: href,
          httpStatus: status,
        })
      }
      const target = parseRedirectTarget(location, current)
      redirects.push({ url: href, status, to: target.href })
      if (visited.has(target.href)) {
        throw fail('ERR_FETCH_REDIRECT_LOOP', `Redirect loop back to ${target.href}: GET ${start.href}`, {
          url: start.href,
          httpStatus: status,
        })
      }
      if (redirects.length > limits.maxRedirects) {
        throw fail('ERR_FETCH_REDIRECT_LIMIT', `More than ${limits.maxRedirects} redirects: GET ${start.href}`, {
          url: start.href,
          httpStatus: status,
        })
      }
      if (profile?.stopAtOriginChange && target.origin !== current.origin) {
        throw new OriginRedirect(target, redirects, href, status)
      }
      visited.add(target.href)
      current = target
      continue
    }

    const movedTo = movedToOf(redirects)
    const base = { url: href, httpStatus: status, redirects, ...(movedTo === undefined ? {} : { movedTo }) }
    const etag = header(response, 'etag')
    const lastModified = header(response, 'last-modified')
    const contentType = header(response, 'content-type')

    if (status === 304) {
      await response.dump()
      const keptEtag = etag ?? options.etag
      const keptLastModified = lastModified ?? options.lastModified
      return {
        status: 'not-modified',
        ...base,
        ...(keptEtag === undefined ? {} : { etag: keptEtag }),
        ...(keptLastModified === undefined ? {} : { lastModified: keptLastModified }),
      }
    }

    if (status >= 200 && status < 300) {
      const refused = profile?.checkResponse?.(contentType, href, status)
      if (refused) {
        discard(response.body)
        throw refused
      }
      const declared = Number(header(response, 'content-length'))
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        discard(response.body)
        throw tooLarge(href, limits.maxBytes, 'body', profile?.subject)
      }
      const contentEncoding = header(response, 'content-encoding')
      const contentLocation = header(response, 'content-location')
      const { bytes, hash } = await readBody(
        response.body,
        contentEncoding,
        limits.maxBytes,
        href,
        Number.isFinite(declared) ? declared : undefined,
        profile?.subject,
      )
      // the same bytes as last time: nothing downstream reads them again, so they are not decoded
      const decoded =
        hash === knownBodyHash ? undefined : decodeBytes(bytes, contentType === undefined ? {} : { contentType })
      return {
        status: 'ok',
        ...base,
        ...(decoded === undefined ? {} : { text: decoded.text, charset: decoded.charset }),
        bytes,
        bodyHash: hash,
        ...(contentType === undefined ? {} : { contentType }),
        ...(contentLocation === undefined ? {} : { contentLocation }),
        ...(etag === undefined ? {} : { etag }),
        ...(lastModified === undefined ? {} : { lastModified }),
      }
    }

    await response.dump()
    throw statusError(response, href, status)
  }
}

function parseRedirectTarget(location: string, current: URL): URL {
  let target: URL
  try {
    target = new URL(location, current)
  } catch (cause) {
    throw new FetchError('ERR_FETCH_UNSUPPORTED_URL', `Redirect to an invalid URL "${location}": GET ${current.href}`, {
      url: current.href,
      cause,
    })
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new FetchError('ERR_FETCH_UNSUPPORTED_URL', `Redirect to ${target.protocol} refused: GET ${current.href}`, {
      url: current.href,
    })
  }
  target.hash = ''
  return target
}

/** The target of the permanent redirects at the start of a chain (a temporary hop ends the move). */
export function movedToOf(redirects: FetchRedirect[]): string | undefined {
  let moved: string | undefined
  for (const redirect of redirects) {
    if (!PERMANENT_STATUSES.has(redirect.status)) break
    moved = redirect.to
  }
  return moved
}

function statusError(response: HttpResponse, url: string, status: number): FetchError {
  if (status === 410) {
    return fail('ERR_FETCH_GONE', `HTTP 410 Gone: GET ${url}`, { url, httpStatus: status })
  }
  const retryAfter = status === 429 || status === 503 ? parseRetryAfter(header(response, 'retry-after')) : undefined
  const context: FetchErrorContext = {
    url,
    httpStatus: status,
    ...(retryAfter === undefined ? {} : { retryAfter }),
    // 503 is the server speaking for itself (maintenance, overload): its Retry-After covers every feed of the host.
    // 429 and other statuses are about this feed only.
    ...(retryAfter !== undefined && status === 503 ? { retryAfterHostWide: true } : {}),
  }
  if (status === 429) {
    return fail('ERR_FETCH_RATE_LIMITED', `HTTP 429 Too Many Requests: GET ${url}`, context, true)
  }
  return fail('ERR_FETCH_HTTP_STATUS', `HTTP ${status}: GET ${url}`, context, status >= 500)
}
