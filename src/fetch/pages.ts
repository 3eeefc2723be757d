/**
 * The page fetches of a session (`FetchSession.fetchPage`): the page budget, host back-offs and robots.txt checked
 * before any request, then the page fetched through its host's queue, one leg per origin when it redirects (each
 * target checked again), and the answer turned into a PageFetchOutcome.
 */
import { FetchError } from '../errors.js'
import type { ResolvedPageDefaults } from './defaults.js'
import { type FetchContext, fetchHttp, type HttpProfile, OriginRedirect, parseFeedUrl } from './fetch-feed.js'
import type { HostBackoffs } from './host-backoffs.js'
import type { Queues } from './queues.js'
import { robotsAgent } from './robots.js'
import type { RobotsCache, RobotsEntry } from './robots-cache.js'
import { abortable, anySignal, asFetchError } from './signals.js'
import type { FetchResult, FetchSession, PageFetchOptions, PageFetchOutcome } from './types.js'

const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1'
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml'])

/** What a session's page fetches share with the rest of it. */
export interface PageFetcherOptions {
  /** The session's context: its dispatcher and limits (pages are read up to `page.pageMaxBytes`). */
  context: FetchContext
  page: ResolvedPageDefaults
  queues: Queues
  robots: RobotsCache
  backoffs: HostBackoffs
  /** The session's signal. */
  signal: AbortSignal | undefined
  /** The session's clock (a Retry-After a page gets is noted from it). */
  now: () => Date
  /** Whether the session is closed: a page asked for then is not fetched. */
  closed: () => boolean
}

/** The page fetches of one session. */
export interface PageFetcher {
  /** Fetch one page; never rejects. */
  fetch(url: string, options: PageFetchOptions): Promise<PageFetchOutcome>
  /** The counters `FetchSession.pages` copies. */
  readonly counts: FetchSession['pages']
}

interface PageRun extends PageFetcherOptions {
  maxRedirects: number
  agent: string
  counts: { fetched: number; refusedByBudget: number; disallowed: number }
  perHost: Map<string, number>
}

/** A session's page fetcher, its counters at zero. */
export function createPageFetcher(options: PageFetcherOptions): PageFetcher {
  const { limits } = options.context
  const run: PageRun = {
    ...options,
    context: { ...options.context, limits: Object.freeze({ ...limits, maxBytes: options.page.pageMaxBytes }) },
    maxRedirects: limits.maxRedirects,
    agent: robotsAgent(limits.userAgent),
    counts: { fetched: 0, refusedByBudget: 0, disallowed: 0 },
    perHost: new Map(),
  }
  return {
    fetch: (url, pageOptions) =>
      fetchPage(run, url, pageOptions).catch(
        (error: unknown): PageFetchOutcome => failure(url, asFetchError(error, url), 0),
      ),
    counts: run.counts,
  }
}

async function fetchPage(run: PageRun, raw: string, pageOptions: PageFetchOptions): Promise<PageFetchOutcome> {
  const started = Date.now()
  if (run.closed()) {
    return failure(raw, new FetchError('ERR_FETCH_ABORTED', `The fetch session is closed: GET ${raw}`), 0)
  }
  const signal = anySignal(run.signal, pageOptions.signal)
  let url: URL
  try {
    url = parseFeedUrl(raw, false)
  } catch (error) {
    return failure(raw, asFetchError(error, raw), 0)
  }
  url.hash = '' // never sent; the final URL and robots.txt matching go without it
  const href = url.href
  const host = url.host.toLowerCase()

  const resting = run.backoffs.refusal(host, href)
  if (resting) return resting

  // checked before robots.txt too: a spent budget costs no request at all
  const early = budgetRefusal(run, href, host)
  if (early) return early

  if (run.page.robots) {
    const refused = await robotsRefusal(run, url, host, signal, started, undefined)
    if (refused) return refused
  }

  const late = budgetRefusal(run, href, host)
  if (late) return late
  run.counts.fetched++
  run.perHost.set(host, (run.perHost.get(host) ?? 0) + 1)

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
      const result = await run.queues.run(
        currentHost,
        () => fetchHttp(current, fetchOptions, run.context, undefined, profile),
        signal,
      )
      const outcome = pageResult(current.href, result, Date.now() - started)
      if (outcome.status === 'ok' && hops.length > 0) outcome.redirects = [...hops, ...outcome.redirects]
      if (outcome.status === 'ok' && outcome.redirects.length > run.maxRedirects) {
        return failure(href, redirectLimit(href, run.maxRedirects), Date.now() - started)
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
          : hops.length > run.maxRedirects
            ? redirectLimit(href, run.maxRedirects)
            : undefined
        if (stop) return failure(href, stop, Date.now() - started)
        visited.add(target.href)
        current = target
        currentHost = target.host.toLowerCase()
        const resting = run.backoffs.refusal(currentHost, target.href)
        if (resting) return resting
        if (run.page.robots) {
          const refused = await robotsRefusal(run, target, currentHost, signal, started, href)
          if (refused) return refused
        }
        continue
      }
      const error = asFetchError(raw, current.href)
      if (error.retryAfter !== undefined) run.backoffs.note(currentHost, run.now().getTime() + error.retryAfter, error)
      return failure(current === url ? href : current.href, error, Date.now() - started)
    }
  }
}

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

function redirectLimit(href: string, maxRedirects: number): FetchError {
  return new FetchError('ERR_FETCH_REDIRECT_LIMIT', `More than ${maxRedirects} redirects: GET ${href}`, { url: href })
}

/** The session's or the host's page budget is spent: the outcome (counted); budget left: undefined. */
function budgetRefusal(run: PageRun, url: string, host: string): PageFetchOutcome | undefined {
  const { page } = run
  const message =
    run.counts.fetched >= page.pagesPerRun
      ? `Skipped: the session's page budget (pagesPerRun ${page.pagesPerRun}) is spent: GET ${url}`
      : (run.perHost.get(host) ?? 0) >= page.pagesPerHost
        ? `Skipped: the page budget for ${host} (pagesPerHost ${page.pagesPerHost}) is spent: GET ${url}`
        : undefined
  if (message === undefined) return undefined
  run.counts.refusedByBudget++
  return { status: 'skipped', url, code: 'ERR_PAGE_BUDGET', message }
}

/** robots.txt of `target`'s origin says no (or the origin is blocked): the outcome; allowed: undefined. */
async function robotsRefusal(
  run: PageRun,
  target: URL,
  host: string,
  signal: AbortSignal | undefined,
  started: number,
  from: string | undefined,
): Promise<PageFetchOutcome | undefined> {
  const href = target.href
  let entry: RobotsEntry
  try {
    entry = await abortable(run.robots.entry(target, host), signal)
  } catch (error) {
    return failure(href, asFetchError(error, href), Date.now() - started)
  }
  if (entry.blocked) return failure(href, entry.blocked, Date.now() - started)
  const { agent } = run
  const allowed = entry.record.status === 'missing' || (entry.rules?.isAllowed(href, agent) ?? false)
  if (allowed) return undefined
  run.counts.disallowed++
  const why =
    entry.record.status === 'unreachable'
      ? `robots.txt of ${entry.record.origin} could not be read (${
          entry.record.httpStatus === undefined ? entry.record.code : `HTTP ${entry.record.httpStatus}`
        }): the host's pages are disallowed for this run`
      : `Disallowed for ${agent} by ${entry.record.origin}/robots.txt`
  const via = from === undefined ? '' : ` (redirected from ${from})`
  return { status: 'skipped', url: href, code: 'ERR_PAGE_ROBOTS', message: `${why}: GET ${href}${via}` }
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
