/**
 * The fetch session of a run: one dispatcher, the queues (queues.ts), the host back-offs, the robots.txt cache and
 * the page fetches (pages.ts) put together as a FetchSession, and what fetchSources takes from it.
 */
import type { FetchError } from '../errors.js'
import { type Logger, silentLogger } from '../logger.js'
import { resolveFetchDefaults, resolvePageDefaults } from './defaults.js'
import { createFetchContext, type FetchContext } from './fetch-feed.js'
import { createHostBackoffs } from './host-backoffs.js'
import { closeDispatcher } from './http.js'
import { createPageFetcher } from './pages.js'
import { createQueues, type Queues } from './queues.js'
import { createRobotsCache } from './robots-cache.js'
import type { FetchSession, FetchSessionOptions, PageFetchOutcome } from './types.js'

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

/** The internals of a session made by createFetchSession(); throws a TypeError for any other object. */
export function sessionInternals(session: FetchSession): SessionInternals {
  const found = internals.get(session)
  if (!found) throw new TypeError('Expected `session` to come from createFetchSession()')
  return found
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
  const queues = createQueues(limits)
  const sessionSignal = options.signal
  const backoffs = createHostBackoffs(now)
  const robots = createRobotsCache({ context, queues, signal: sessionSignal, logger })
  const inFlight = new Set<Promise<unknown>>()
  let closed = false
  const pages = createPageFetcher({
    context,
    page,
    queues,
    robots,
    backoffs,
    signal: sessionSignal,
    now,
    closed: () => closed,
  })

  const session: FetchSession = {
    fetchPage(url, pageOptions = {}) {
      const pending = pages.fetch(url, pageOptions).then((outcome: PageFetchOutcome) => {
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
      return { ...pages.counts }
    },
    get robotsFiles() {
      return robots.files.slice()
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
    noteHostBackoff: (host, until, error) => backoffs.note(host, until.getTime(), error),
  })
  return session
}
