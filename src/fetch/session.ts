/** The one file of tonghop that imports p-queue. */
import PQueue from 'p-queue'
import { FetchError, toTonghopError } from '../errors.js'
import { type Logger, silentLogger } from '../logger.js'
import { type ResolvedFetchDefaults, ROBOTS_MAX_BYTES, resolveFetchDefaults, resolvePageDefaults } from './defaults.js'
import {
  createFetchContext,
  type FetchContext,
  fetchHttp,
  type HttpProfile,
  OriginRedirect,
  parseFeedUrl,
} from './fetch-feed.js'
import { BlockedAddressError } from './guard.js'
import { closeDispatcher } from './http.js'
import { parseRobots, type RobotsRules, robotsAgent } from './robots.js'
import type {
  FetchResult,
  FetchSession,
  FetchSessionOptions,
  PageFetchOptions,
  PageFetchOutcome,
  RobotsRecord,
} from './types.js'

/** Thrown by `Queues.run` when the signal aborted before the task started (nothing was sent). */
export class NotStartedError extends Error {}

/** A global concurrency and, per host, a concurrency and a minimum interval between the starts of two tasks. */
export interface Queues {
  /**
   * Run `task` holding a slot of `host`'s queue (when given) and then a global slot. Settles with the task's result
   * once it started (an abort then reaches the task through its own signal); rejects with NotStartedError when
   * `signal` aborted while it waited. Waiting tasks of a higher `priority` start first (feeds and robots.txt before
   * pages: a feed's pages are known only once it is fetched, so its request waiting behind another feed's pages would
   * leave the host idle while it is parsed).
   */
  run<T>(host: string | undefined, task: () => Promise<T>, signal?: AbortSignal, priority?: number): Promise<T>
}

/** Queue priorities: a feed request or a robots.txt starts before the pages waiting for the same host. */
export const FEED_PRIORITY = 1

export function createQueues(limits: ResolvedFetchDefaults): Queues {
  const global = new PQueue({ concurrency: limits.concurrency })
  const hosts = new Map<string, PQueue>()
  const hostQueue = (host: string) => {
    let queue = hosts.get(host)
    if (!queue) {
      queue = new PQueue({
        concurrency: limits.perHost,
        ...(limits.minHostInterval > 0 ? { interval: limits.minHostInterval, intervalCap: 1, strict: true } : {}),
      })
      hosts.set(host, queue)
    }
    return queue
  }
  async function run<T>(
    host: string | undefined,
    task: () => Promise<T>,
    signal?: AbortSignal,
    priority = 0,
  ): Promise<T> {
    let running: Promise<T> | undefined
    const start = () => {
      running = task()
      return running
    }
    // An abort removes waiting tasks from the queues at once (no waiting out the host intervals).
    const addOptions = { priority, ...(signal ? { signal } : {}) }
    const inGlobal = () => global.add(start, addOptions)
    try {
      return (await (host ? hostQueue(host).add(inGlobal, addOptions) : inGlobal())) as T
    } catch (error) {
      if (running) return await running
      throw new NotStartedError('Aborted before the request was sent', { cause: error })
    }
  }
  return { run }
}

/** What fetchSources takes from a session. */
export interface SessionInternals {
  context: FetchContext
  queues: Queues
  signal: AbortSignal | undefined
  logger: Logger
  now: () => Date
  /** A host-wide Retry-After a feed got (503): page requests to the host wait it out too. */
  noteHostBackoff(host: string, until: Date, error: FetchError): void
}

const internals = new WeakMap<FetchSession, SessionInternals>()

export function sessionInternals(session: FetchSession): SessionInternals {
  const found = internals.get(session)
  if (!found) throw new TypeError('Expected `session` to come from createFetchSession()')
  return found
}

const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1'
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml'])

const ROBOTS_PROFILE: HttpProfile = { accept: 'text/plain, */*;q=0.5', subject: 'robots.txt' }

function pageProfile(referer: string | undefined): HttpProfile {
  return {
    accept: PAGE_ACCEPT,
    subject: 'Page',
    ...(referer === undefined ? {} : { headers: { referer } }),
    checkResponse: (contentType, url, httpStatus) => {
      // no Content-Type at all: the body is read and decoded (extract/ decides whether it is an article)
      if (contentType === undefined) return undefined
      const type = contentType.split(';')[0]!.trim().toLowerCase()
      if (HTML_TYPES.has(type)) return undefined
      return new FetchError('ERR_PAGE_NOT_HTML', `Not an HTML page (Content-Type: ${contentType}): GET ${url}`, {
        url,
        httpStatus,
      })
    },
  }
}

interface HostBackoff {
  until: number
  code: FetchError['code']
  httpStatus?: number
}

/** robots.txt of one origin: its rules, everything allowed (missing), everything disallowed, or the page blocked. */
interface RobotsEntry {
  record: RobotsRecord
  rules?: RobotsRules
  /** The SSRF guard refused the origin itself: the page fails with this error. */
  blocked?: FetchError
}

/**
 * A fetch session: one dispatcher, one global queue and one queue per host for every feed (fetchSources given the
 * session) and page (`fetchPage`) of a run, so that requests to one host share one concurrency and one interval.
 */
export function createFetchSession(options: FetchSessionOptions = {}): FetchSession {
  const limits = resolveFetchDefaults(options)
  const page = resolvePageDefaults(options)
  const now = options.now ?? (() => new Date())
  const logger = options.logger ?? silentLogger
  const { context, own } = createFetchContext(limits, options.dispatcher)
  const pageContext: FetchContext = { ...context, limits: Object.freeze({ ...limits, maxBytes: page.pageMaxBytes }) }
  const robotsContext: FetchContext = { ...context, limits: Object.freeze({ ...limits, maxBytes: ROBOTS_MAX_BYTES }) }
  const queues = createQueues(limits)
  const agent = robotsAgent(limits.userAgent)
  const sessionSignal = options.signal

  const pages = { fetched: 0, refusedByBudget: 0, disallowed: 0 }
  const perHost = new Map<string, number>()
  const backoffs = new Map<string, HostBackoff>()
  const robots = new Map<string, Promise<RobotsEntry>>()
  const robotsFiles: RobotsRecord[] = []
  const inFlight = new Set<Promise<unknown>>()
  let closed = false

  const noteBackoff = (host: string, until: number, error: FetchError) => {
    const current = backoffs.get(host)
    if (current && current.until >= until) return
    backoffs.set(host, {
      until,
      code: error.code,
      ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    })
  }

  const budgetRefusal = (url: string, host: string): PageFetchOutcome | undefined => {
    const message =
      pages.fetched >= page.pagesPerRun
        ? `Skipped: the session's page budget (pagesPerRun ${page.pagesPerRun}) is spent: GET ${url}`
        : (perHost.get(host) ?? 0) >= page.pagesPerHost
          ? `Skipped: the page budget for ${host} (pagesPerHost ${page.pagesPerHost}) is spent: GET ${url}`
          : undefined
    if (message === undefined) return undefined
    pages.refusedByBudget++
    return { status: 'skipped', url, code: 'ERR_PAGE_BUDGET', message }
  }

  const loadRobots = async (target: URL, host: string): Promise<RobotsEntry> => {
    const origin = target.origin
    const robotsUrl = new URL('/robots.txt', origin)
    const fetchOptions = sessionSignal ? { signal: sessionSignal } : {}
    let entry: RobotsEntry
    try {
      const result = await queues.run(
        host,
        () => fetchHttp(robotsUrl, fetchOptions, robotsContext, undefined, ROBOTS_PROFILE),
        sessionSignal,
        FEED_PRIORITY,
      )
      const text = result.text ?? ''
      entry = {
        record: { origin, status: 'ok', httpStatus: result.httpStatus },
        rules: parseRobots(robotsUrl.href, text),
      }
    } catch (raw) {
      const error = asFetchError(raw, robotsUrl.href)
      if (error.code === 'ERR_FETCH_ABORTED') throw error
      entry = robotsFailure(origin, target.hostname, error)
    }
    robotsFiles.push(entry.record)
    logger.debug({ ...entry.record }, 'robots.txt')
    return entry
  }

  const robotsFor = (target: URL, host: string): Promise<RobotsEntry> => {
    let entry = robots.get(target.origin)
    if (!entry) {
      entry = loadRobots(target, host)
      // an aborted fetch says nothing about the host: not remembered
      entry.catch(() => robots.delete(target.origin))
      robots.set(target.origin, entry)
    }
    return entry
  }

  /** A host-wide back-off still running for `host`: the page is not asked for. */
  const backedOff = (host: string, href: string): PageFetchOutcome | undefined => {
    const backoff = backoffs.get(host)
    const waitMs = backoff ? backoff.until - now().getTime() : 0
    if (!backoff || waitMs <= 0) return undefined
    return {
      status: 'failed',
      url: href,
      code: backoff.code,
      message: `Skipped: ${host} asked to wait until ${new Date(backoff.until).toISOString()}: GET ${href}`,
      ...(backoff.httpStatus === undefined ? {} : { httpStatus: backoff.httpStatus }),
      retryAfter: waitMs,
      durationMs: 0,
    }
  }

  /** robots.txt of `target`'s origin says no (or the origin is blocked): the outcome; allowed: undefined. */
  const robotsRefusal = async (
    target: URL,
    host: string,
    signal: AbortSignal | undefined,
    started: number,
    from: string | undefined,
  ): Promise<PageFetchOutcome | undefined> => {
    const href = target.href
    let entry: RobotsEntry
    try {
      entry = await abortable(robotsFor(target, host), signal)
    } catch (error) {
      return failure(href, asFetchError(error, href), Date.now() - started)
    }
    if (entry.blocked) return failure(href, entry.blocked, Date.now() - started)
    const allowed = entry.record.status === 'missing' || (entry.rules?.isAllowed(href, agent) ?? false)
    if (allowed) return undefined
    pages.disallowed++
    const why =
      entry.record.status === 'unreachable'
        ? `robots.txt of ${entry.record.origin} could not be read (${
            entry.record.httpStatus === undefined ? entry.record.code : `HTTP ${entry.record.httpStatus}`
          }): the host's pages are disallowed for this run`
        : `Disallowed for ${agent} by ${entry.record.origin}/robots.txt`
    const via = from === undefined ? '' : ` (redirected from ${from})`
    return { status: 'skipped', url: href, code: 'ERR_PAGE_ROBOTS', message: `${why}: GET ${href}${via}` }
  }

  const fetchPageNow = async (raw: string, pageOptions: PageFetchOptions): Promise<PageFetchOutcome> => {
    const started = Date.now()
    if (closed) return failure(raw, new FetchError('ERR_FETCH_ABORTED', `The fetch session is closed: GET ${raw}`), 0)
    const signal = anySignal(sessionSignal, pageOptions.signal)
    let url: URL
    try {
      url = parseFeedUrl(raw, false)
    } catch (error) {
      return failure(raw, asFetchError(error, raw), 0)
    }
    url.hash = '' // never sent; the final URL and robots.txt matching go without it
    const href = url.href
    const host = url.host.toLowerCase()

    const resting = backedOff(host, href)
    if (resting) return resting

    // checked before robots.txt too: a spent budget costs no request at all
    const early = budgetRefusal(href, host)
    if (early) return early

    if (page.robots) {
      const refused = await robotsRefusal(url, host, signal, started, undefined)
      if (refused) return refused
    }

    const late = budgetRefusal(href, host)
    if (late) return late
    pages.fetched++
    perHost.set(host, (perHost.get(host) ?? 0) + 1)

    const fetchOptions = signal ? { signal } : {}
    const profile: HttpProfile = { ...pageProfile(pageOptions.referer), stopAtOriginChange: true }
    // A redirect to another origin ends a leg: the target's robots.txt is checked and it is fetched through its own
    // host's queue (its interval and concurrency), outside the slot of the host that redirected.
    const hops: { url: string; status: number }[] = []
    const visited = new Set([href])
    let current = url
    let currentHost = host
    for (;;) {
      try {
        const result = await queues.run(
          currentHost,
          () => fetchHttp(current, fetchOptions, pageContext, undefined, profile),
          signal,
        )
        const outcome = pageResult(current.href, result, Date.now() - started)
        if (outcome.status === 'ok' && hops.length > 0) outcome.redirects = [...hops, ...outcome.redirects]
        if (outcome.status === 'ok' && outcome.redirects.length > limits.maxRedirects) {
          return failure(
            href,
            new FetchError('ERR_FETCH_REDIRECT_LIMIT', `More than ${limits.maxRedirects} redirects: GET ${href}`, {
              url: href,
            }),
            Date.now() - started,
          )
        }
        return outcome
      } catch (raw) {
        if (raw instanceof OriginRedirect) {
          const target = raw.target
          target.hash = ''
          for (const { url: from, status } of raw.redirects) hops.push({ url: from, status })
          const stop = visited.has(target.href)
            ? new FetchError('ERR_FETCH_REDIRECT_LOOP', `Redirect loop back to ${target.href}: GET ${href}`, {
                url: href,
              })
            : hops.length > limits.maxRedirects
              ? new FetchError('ERR_FETCH_REDIRECT_LIMIT', `More than ${limits.maxRedirects} redirects: GET ${href}`, {
                  url: href,
                })
              : undefined
          if (stop) return failure(href, stop, Date.now() - started)
          visited.add(target.href)
          current = target
          currentHost = target.host.toLowerCase()
          const resting = backedOff(currentHost, target.href)
          if (resting) return resting
          if (page.robots) {
            const refused = await robotsRefusal(target, currentHost, signal, started, href)
            if (refused) return refused
          }
          continue
        }
        const error = asFetchError(raw, current.href)
        if (error.retryAfter !== undefined) noteBackoff(currentHost, now().getTime() + error.retryAfter, error)
        return failure(current === url ? href : current.href, error, Date.now() - started)
      }
    }
  }

  const session: FetchSession = {
    fetchPage(url, pageOptions = {}) {
      const pending = fetchPageNow(url, pageOptions)
        .catch((error: unknown): PageFetchOutcome => failure(url, asFetchError(error, url), 0))
        .then((outcome) => {
          logger.debug(
            {
              url: outcome.url,
              status: outcome.status,
              ...('code' in outcome ? { code: outcome.code } : {}),
              ...('durationMs' in outcome ? { durationMs: outcome.durationMs } : {}),
            },
            'fetched page',
          )
          return outcome
        })
      inFlight.add(pending)
      void pending.finally(() => inFlight.delete(pending))
      return pending
    },
    get pages() {
      return { ...pages }
    },
    get robotsFiles() {
      return robotsFiles.slice()
    },
    async close() {
      closed = true
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
      if (own) await closeDispatcher(own)
    },
  }
  internals.set(session, {
    context,
    queues,
    signal: sessionSignal,
    logger,
    now,
    noteHostBackoff: (host, until, error) => noteBackoff(host, until.getTime(), error),
  })
  return session
}

/** RFC 9309 §2.3.1: 4xx → no rules (allow everything); 5xx, 429 and no answer at all → disallow everything. */
function robotsFailure(origin: string, hostname: string, error: FetchError): RobotsEntry {
  const blocked = findBlocked(error)
  if (blocked && sameHost(blocked.host, hostname)) {
    return { record: { origin, status: 'unreachable', code: error.code }, blocked: error }
  }
  const status = error.httpStatus
  const missing =
    (status !== undefined && status >= 400 && status < 500 && status !== 429) ||
    error.code === 'ERR_FETCH_REDIRECT_LIMIT' ||
    error.code === 'ERR_FETCH_REDIRECT_LOOP'
  return {
    record: {
      origin,
      status: missing ? 'missing' : 'unreachable',
      ...(status === undefined ? {} : { httpStatus: status }),
      ...(status === undefined ? { code: error.code } : {}),
    },
  }
}

function sameHost(a: string, b: string): boolean {
  const strip = (host: string) => host.replace(/^\[|\]$/g, '').toLowerCase()
  return strip(a) === strip(b)
}

function findBlocked(error: unknown): BlockedAddressError | undefined {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    if (current instanceof BlockedAddressError) return current
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

function pageResult(url: string, result: FetchResult, durationMs: number): PageFetchOutcome {
  if (result.status !== 'ok' || result.text === undefined) {
    return failure(
      url,
      new FetchError('ERR_FETCH_HTTP_STATUS', `HTTP ${result.httpStatus} without a body: GET ${url}`, {
        url,
        httpStatus: result.httpStatus,
      }),
      durationMs,
    )
  }
  return {
    status: 'ok',
    url: result.url,
    httpStatus: result.httpStatus,
    text: result.text,
    ...(result.contentType === undefined ? {} : { contentType: result.contentType }),
    ...(result.charset === undefined ? {} : { charset: result.charset }),
    bytes: result.bytes?.byteLength ?? 0,
    redirects: result.redirects.map(({ url: from, status }) => ({ url: from, status })),
    durationMs,
  }
}

function failure(url: string, error: FetchError, durationMs: number): PageFetchOutcome {
  return {
    status: 'failed',
    url,
    code: error.code,
    message: error.message,
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
    durationMs,
  }
}

function asFetchError(raw: unknown, url: string): FetchError {
  if (raw instanceof FetchError) return raw
  if (raw instanceof NotStartedError) {
    return new FetchError('ERR_FETCH_ABORTED', `Aborted before the request was sent: GET ${url}`, { url, cause: raw })
  }
  return new FetchError('ERR_FETCH_NETWORK', toTonghopError(raw).message, { url, cause: raw })
}

function anySignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a) return b
  if (!b) return a
  return AbortSignal.any([a, b])
}

/** `promise`, or a rejection as soon as `signal` aborts (the work behind `promise` goes on for other waiters). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) return Promise.reject(new NotStartedError('Aborted', { cause: signal.reason }))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new NotStartedError('Aborted', { cause: signal.reason }))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
