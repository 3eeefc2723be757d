/**
 * Host-wide back-offs of a session: a Retry-After one request to a host got (a feed's 503, a page's 429) holds back
 * the session's page requests to that host until it is over.
 */
import type { FetchError } from '../errors.js'
import type { PageFetchOutcome } from './types.js'

interface HostBackoff {
  until: number
  code: FetchError['code']
  httpStatus?: number
}

/** The back-offs of one session, per host. */
export interface HostBackoffs {
  /** `host` asked to wait until `until` (ms since the epoch); a later back-off already noted is kept. */
  note(host: string, until: number, error: FetchError): void
  /** A host-wide back-off still running for `host`: the page `href` is not asked for (this outcome instead). */
  refusal(host: string, href: string): PageFetchOutcome | undefined
}

/** Back-offs measured against `now`. */
export function createHostBackoffs(now: () => Date): HostBackoffs {
  const backoffs = new Map<string, HostBackoff>()
  return {
    note(host, until, error) {
      const current = backoffs.get(host)
      if (current && current.until >= until) return
      backoffs.set(host, {
        until,
        code: error.code,
        ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
      })
    },
    refusal(host, href) {
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
    },
  }
}
