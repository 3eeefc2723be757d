/**
 * Signals and aborts of a session's page fetches: two signals as one, a shared wait given up on abort, and any error
 * thrown on the way named as a FetchError.
 */
import { FetchError, toTonghopError } from '../errors.js'
import { NotStartedError } from './queues.js'

/** The signal that aborts when either does (`undefined` when neither is given). */
export function anySignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a) return b
  if (!b) return a
  return AbortSignal.any([a, b])
}

/** `promise`, or a rejection as soon as `signal` aborts (the work behind `promise` goes on for other waiters). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
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

/** `raw` as a FetchError of `url`: a NotStartedError is ERR_FETCH_ABORTED, anything else not one ERR_FETCH_NETWORK. */
export function asFetchError(raw: unknown, url: string): FetchError {
  if (raw instanceof FetchError) return raw
  if (raw instanceof NotStartedError) {
    return new FetchError('ERR_FETCH_ABORTED', `Aborted before the request was sent: GET ${url}`, { url, cause: raw })
  }
  return new FetchError('ERR_FETCH_NETWORK', toTonghopError(raw).message, { url, cause: raw })
}
