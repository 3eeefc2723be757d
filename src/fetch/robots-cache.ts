/**
 * The robots.txt of a session, one per origin: fetched once (through the host's queue, ahead of its pages), parsed by
 * robots.ts, and a failure read as RFC 9309 says. An aborted fetch is not remembered.
 */
import type { FetchError } from '../errors.js'
import type { Logger } from '../logger.js'
import { ROBOTS_MAX_BYTES } from './defaults.js'
import { type FetchContext, fetchHttp, type HttpProfile } from './fetch-feed.js'
import { BlockedAddressError } from './guard.js'
import { FEED_PRIORITY, type Queues } from './queues.js'
import { parseRobots, type RobotsRules } from './robots.js'
import { asFetchError } from './signals.js'
import type { RobotsRecord } from './types.js'

const ROBOTS_PROFILE: HttpProfile = { accept: 'text/plain, */*;q=0.5', subject: 'robots.txt' }

/** robots.txt of one origin: its rules, everything allowed (missing), everything disallowed, or the page blocked. */
export interface RobotsEntry {
  record: RobotsRecord
  rules?: RobotsRules
  /** The SSRF guard refused the origin itself: the page fails with this error. */
  blocked?: FetchError
}

/** The robots.txt files of one session. */
export interface RobotsCache {
  /** robots.txt of `target`'s origin, fetched through `host`'s queue the first time it is asked for. */
  entry(target: URL, host: string): Promise<RobotsEntry>
  /** The records of the robots.txt files read so far, in the order they were read. */
  readonly files: readonly RobotsRecord[]
}

/** What a robots.txt cache fetches with: the session's context, queues, signal and logger. */
export interface RobotsCacheOptions {
  context: FetchContext
  queues: Queues
  signal: AbortSignal | undefined
  logger: Logger
}

/** An empty cache: robots.txt is fetched with the session's limits, at most ROBOTS_MAX_BYTES of it. */
export function createRobotsCache({ context, queues, signal, logger }: RobotsCacheOptions): RobotsCache {
  const robotsContext: FetchContext = {
    ...context,
    limits: Object.freeze({ ...context.limits, maxBytes: ROBOTS_MAX_BYTES }),
  }
  const robots = new Map<string, Promise<RobotsEntry>>()
  const files: RobotsRecord[] = []

  const load = async (target: URL, host: string): Promise<RobotsEntry> => {
    const origin = target.origin
    const robotsUrl = new URL('/robots.txt', origin)
    const fetchOptions = signal ? { signal } : {}
    let entry: RobotsEntry
    try {
      const result = await queues.run(
        host,
        () => fetchHttp(robotsUrl, fetchOptions, robotsContext, undefined, ROBOTS_PROFILE),
        signal,
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
    files.push(entry.record)
    logger.debug({ ...entry.record }, 'robots.txt')
    return entry
  }

  return {
    entry(target, host) {
      let entry = robots.get(target.origin)
      if (!entry) {
        entry = load(target, host)
        // an aborted fetch says nothing about the host: not remembered
        entry.catch(() => robots.delete(target.origin))
        robots.set(target.origin, entry)
      }
      return entry
    },
    files,
  }
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
