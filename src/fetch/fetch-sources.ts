import { FetchError, toTonghopError } from '../errors.js'
import { silentLogger } from '../logger.js'
import type { SourceState } from '../store/types.js'
import { createAdmission } from './admission.js'
import { resolveFetchDefaults } from './defaults.js'
import { createFetchContext, type FetchContext, fetchHttp, parseFeedUrl, readFileWithSignal } from './fetch-feed.js'
import { closeDispatcher, type Dispatcher } from './http.js'
import { createQueues, FEED_PRIORITY, NotStartedError, type Queues } from './queues.js'
import { sessionInternals } from './session.js'
import type { FetchOptions, FetchRequest, FetchResult, FetchSourcesOptions, SourceFetchOutcome } from './types.js'

/**
 * Fetch many sources politely: a global concurrency, a per-host concurrency and a minimum interval between requests
 * to one host; stored validators sent, stored back-offs honoured. Resolves with one outcome per request, in request
 * order; never rejects for one source. Given a `session`, its queues, dispatcher and limits are used (shared with
 * its page fetches).
 */
export async function fetchSources(
  requests: FetchRequest[],
  options: FetchSourcesOptions = {},
): Promise<SourceFetchOutcome[]> {
  const session = options.session ? sessionInternals(options.session) : undefined
  const limits = session ? session.context.limits : resolveFetchDefaults(options)
  const now = options.now ?? session?.now ?? (() => new Date())
  const logger = options.logger ?? session?.logger ?? silentLogger
  const { context, own }: { context: FetchContext; own: Dispatcher | undefined } = session
    ? { context: session.context, own: undefined }
    : createFetchContext(limits, options.dispatcher)
  const queues: Queues = session ? session.queues : createQueues(limits)
  const signal =
    session?.signal && options.signal
      ? AbortSignal.any([session.signal, options.signal])
      : (options.signal ?? session?.signal)
  const fetchOptions: FetchSourcesOptions = signal ? { ...options, signal } : options
  // With a session, onOutcome runs outside the queue slots (it may fetch pages through them, and a slot held while
  // waiting for its own page would deadlock). Instead at most `feedsInFlight` feeds (`perHost` per host) are admitted
  // at once, from their request until their onOutcome returns: a slow consumer still slows fetching and what the
  // run holds stays bounded, while the requests themselves (feeds and pages) stay within `concurrency`. It is wider
  // than `concurrency` so that feeds waiting for their pages do not leave other hosts idle; a freed admission goes
  // first to a host with none, so one host's long queue does not take every admission. A feed whose pages are
  // fetched gives its host's share back (`releaseHost`) while it is still processed: the host's next feed is then
  // requested and parsed before the host's queue runs dry.
  const admit = session ? createAdmission(limits.feedsInFlight, limits.perHost) : undefined

  let callbackError: { error: unknown } | undefined
  const report = async (outcome: SourceFetchOutcome, releaseHost: () => void = noop) => {
    logger.debug(
      {
        sourceId: outcome.source.id,
        status: outcome.status,
        durationMs: outcome.durationMs,
        code: outcome.error?.code,
      },
      'fetched source',
    )
    if (!options.onOutcome || callbackError) return
    try {
      await options.onOutcome(outcome, { releaseHost })
    } catch (error) {
      callbackError = { error }
    }
  }

  try {
    const outcomes = await Promise.all(
      requests.map(async (request) => {
        const plan = planRequest(request, now())
        if ('outcome' in plan) {
          const { error } = plan.outcome
          // a stored host-wide back-off still running: the session's pages to that host wait it out too
          if (session && error?.retryAfterHostWide && error.retryAfter !== undefined && error.url) {
            const host = hostOf(error.url)
            if (host) session.noteHostBackoff(host, new Date(now().getTime() + error.retryAfter), error)
          }
          await report(plan.outcome)
          return plan.outcome
        }
        const host = plan.url.protocol === 'file:' ? undefined : plan.url.host.toLowerCase()
        if (!admit) {
          // onOutcome runs inside the global slot: a slow consumer slows fetching instead of piling bodies up.
          try {
            return await queues.run(
              host,
              async () => {
                const outcome = await fetchOne(request, plan, fetchOptions, context, now)
                await report(outcome)
                return options.onOutcome ? withoutBody(outcome) : outcome
              },
              signal,
            )
          } catch (error) {
            const outcome = abortedOutcome(request, plan, error)
            await report(outcome)
            return outcome
          }
        }
        return admit(host, async (releaseHost) => {
          let outcome: SourceFetchOutcome
          try {
            outcome = await queues.run(
              host,
              () => fetchOne(request, plan, fetchOptions, context, now),
              signal,
              FEED_PRIORITY,
            )
          } catch (error) {
            outcome = abortedOutcome(request, plan, error)
          }
          const until = outcome.hostState?.retryAfterUntil
          if (host && until && outcome.error) session?.noteHostBackoff(host, until, outcome.error)
          await report(outcome, releaseHost)
          return options.onOutcome ? withoutBody(outcome) : outcome
        })
      }),
    )
    if (callbackError) throw callbackError.error
    return outcomes
  } finally {
    if (own) await closeDispatcher(own)
  }
}

const noop = () => {}

interface Plan {
  url: URL
  /** Previous state that still applies (empty when the config's URL changed). */
  previous: SourceState | undefined
}

/** Decide what to do for one request before queueing it: fetch (at which URL), or answer from the stored state. */
function planRequest(request: FetchRequest, now: Date): Plan | { outcome: SourceFetchOutcome } {
  const { source } = request
  const previous =
    request.state && (request.state.sourceUrl === undefined || request.state.sourceUrl === source.url)
      ? request.state
      : undefined
  const base = { source, durationMs: 0 }
  const keep = (status: string): SourceState => ({
    ...(previous ?? {}),
    key: source.id,
    sourceUrl: source.url,
    lastStatus: status,
  })

  if (previous?.gone) {
    const url = previous.url ?? source.url
    return {
      outcome: {
        ...base,
        status: 'gone',
        error: new FetchError('ERR_FETCH_GONE', `Retired after HTTP 410 Gone (change its URL to try again): ${url}`, {
          url,
          sourceId: source.id,
          httpStatus: 410,
        }),
        state: keep('gone'),
      },
    }
  }

  const until = latest(previous?.retryAfterUntil, request.hostState?.retryAfterUntil)
  if (until && until.getTime() > now.getTime()) {
    const url = previous?.url ?? source.url
    const hostWide = request.hostState?.retryAfterUntil?.getTime() === until.getTime()
    return {
      outcome: {
        ...base,
        status: 'skipped',
        error: new FetchError(
          'ERR_FETCH_RATE_LIMITED',
          `Skipped: ${hostWide ? 'the host' : 'the server'} asked to wait until ${until.toISOString()}: ${url}`,
          { url, sourceId: source.id, retryAfter: until.getTime() - now.getTime(), retryAfterHostWide: hostWide },
        ),
        state: { ...keep(previous?.lastStatus ?? 'skipped') },
      },
    }
  }

  const target = previous?.url ?? source.url
  let url: URL
  try {
    url = parseFeedUrl(target, isFileUrl(source.url))
  } catch (error) {
    const fetchError = error as FetchError
    return {
      outcome: { ...base, status: 'failed', error: withSource(fetchError, source.id), state: keep('failed') },
    }
  }
  return { url, previous }
}

function abortedOutcome(request: FetchRequest, plan: Plan, cause: unknown): SourceFetchOutcome {
  const { source } = request
  const url = plan.url.href
  return {
    source,
    status: 'failed',
    error: new FetchError('ERR_FETCH_ABORTED', `Aborted before the request was sent: GET ${url}`, {
      url,
      sourceId: source.id,
      cause: cause instanceof NotStartedError ? cause.cause : cause,
    }),
    state: { ...(plan.previous ?? {}), key: source.id, sourceUrl: source.url },
    durationMs: 0,
  }
}

function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'file:' ? undefined : parsed.host.toLowerCase()
  } catch {
    return undefined
  }
}

function isFileUrl(url: string): boolean {
  return url.startsWith('file:')
}

function latest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b
  if (!b) return a
  return a.getTime() >= b.getTime() ? a : b
}

function withSource(error: FetchError, sourceId: string): FetchError {
  if (error.sourceId !== undefined) return error
  const copy = new FetchError(error.code, error.message, {
    cause: error.cause,
    sourceId,
    ...(error.url === undefined ? {} : { url: error.url }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
    ...(error.retryAfterHostWide === undefined ? {} : { retryAfterHostWide: error.retryAfterHostWide }),
  })
  return copy
}

async function fetchOne(
  request: FetchRequest,
  plan: Plan,
  options: FetchSourcesOptions,
  context: FetchContext,
  now: () => Date,
): Promise<SourceFetchOutcome> {
  const { source } = request
  const { previous, url } = plan
  const started = Date.now()
  // pages of the last body are due again: ask for the body (no validators, decoded even when unchanged) so the
  // consumer can retry them
  const pagesDue = previous?.pagesRetryAt !== undefined && previous.pagesRetryAt <= now().getTime()
  const fetchOptions: FetchOptions = {
    ...(previous?.etag === undefined || pagesDue ? {} : { etag: previous.etag }),
    ...(previous?.lastModified === undefined || pagesDue ? {} : { lastModified: previous.lastModified }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  }
  const pagesRetryAt = previous?.pagesRetryAt === undefined ? {} : { pagesRetryAt: previous.pagesRetryAt }
  const state: SourceState = {
    key: source.id,
    sourceUrl: source.url,
    ...(previous?.url === undefined ? {} : { url: previous.url }),
    ...(previous?.etag === undefined ? {} : { etag: previous.etag }),
    ...(previous?.lastModified === undefined ? {} : { lastModified: previous.lastModified }),
    ...(previous?.bodyHash === undefined ? {} : { bodyHash: previous.bodyHash }),
    ...pagesRetryAt,
  }
  try {
    const result: FetchResult =
      url.protocol === 'file:'
        ? await readFileWithSignal(url, context.limits.maxBytes, options.signal)
        : await fetchHttp(url, fetchOptions, context, pagesDue ? undefined : previous?.bodyHash)
    const fetchedAt = now()
    const durationMs = Date.now() - started
    if (result.status === 'not-modified') {
      return {
        source,
        status: 'not-modified',
        result,
        state: withValidators({ ...state, lastFetchedAt: fetchedAt, lastStatus: 'not-modified' }, result),
        durationMs,
      }
    }
    const unchanged = previous?.bodyHash !== undefined && previous.bodyHash === result.bodyHash
    const next: SourceState = {
      key: source.id,
      sourceUrl: source.url,
      ...(result.movedTo === undefined
        ? previous?.url === undefined
          ? {}
          : { url: previous.url }
        : { url: result.movedTo }),
      ...(result.etag === undefined ? {} : { etag: result.etag }),
      ...(result.lastModified === undefined ? {} : { lastModified: result.lastModified }),
      ...(result.bodyHash === undefined ? {} : { bodyHash: result.bodyHash }),
      ...pagesRetryAt,
      lastFetchedAt: fetchedAt,
      lastStatus: unchanged ? 'unchanged' : 'ok',
    }
    return { source, status: unchanged ? 'unchanged' : 'ok', result, state: next, durationMs }
  } catch (raw) {
    const fetchedAt = now()
    const error = withSource(
      raw instanceof FetchError
        ? raw
        : new FetchError('ERR_FETCH_NETWORK', toTonghopError(raw).message, { url: url.href, cause: raw }),
      source.id,
    )
    const durationMs = Date.now() - started
    if (error.code === 'ERR_FETCH_GONE') {
      return {
        source,
        error,
        status: 'gone',
        state: { ...state, gone: true, lastFetchedAt: fetchedAt, lastStatus: 'gone' },
        durationMs,
      }
    }
    const retryAfterUntil =
      error.retryAfter === undefined ? undefined : new Date(fetchedAt.getTime() + error.retryAfter)
    const failedState: SourceState = {
      ...state,
      lastFetchedAt: fetchedAt,
      lastStatus: 'failed',
      ...(retryAfterUntil && !error.retryAfterHostWide ? { retryAfterUntil } : {}),
    }
    const host = url.protocol === 'file:' ? undefined : url.host.toLowerCase()
    return {
      source,
      status: 'failed',
      error,
      state: failedState,
      ...(retryAfterUntil && error.retryAfterHostWide && host
        ? { hostState: { key: `host:${host}`, retryAfterUntil, lastFetchedAt: fetchedAt, lastStatus: 'failed' } }
        : {}),
      durationMs,
    }
  }
}

/** The outcome kept for the resolved array once onOutcome has seen the body: a run never holds every body at once. */
function withoutBody(outcome: SourceFetchOutcome): SourceFetchOutcome {
  if (!outcome.result || (outcome.result.text === undefined && outcome.result.bytes === undefined)) return outcome
  const { text: _text, bytes: _bytes, ...result } = outcome.result
  return { ...outcome, result }
}

function withValidators(state: SourceState, result: FetchResult): SourceState {
  const next = { ...state }
  if (result.etag !== undefined) next.etag = result.etag
  if (result.lastModified !== undefined) next.lastModified = result.lastModified
  if (result.movedTo !== undefined) next.url = result.movedTo
  return next
}
