import { PublishError } from '../errors.js'
import { cleanUrl } from './clean.js'

export interface PingHubOptions {
  /** An undici Dispatcher (test seam, proxies). */
  dispatcher?: unknown
  signal?: AbortSignal
  /** @default 10_000 */
  timeout?: number
}

/**
 * Tell a WebSub hub that `topicUrl` changed: POST `hub.mode=publish&hub.url=<topic>` (form-encoded). Call it after a
 * changed output was written. Throws PublishError('ERR_PUBLISH_WRITE') when the hub is unreachable or answers
 * other than 2xx; callers treat that as a warning.
 */
export async function pingHub(hubUrl: string, topicUrl: string, options: PingHubOptions = {}): Promise<number> {
  const hub = cleanUrl(hubUrl)
  const topic = cleanUrl(topicUrl)
  if (!hub || !topic) {
    throw new PublishError(
      'ERR_PUBLISH_WRITE',
      `WebSub ping needs absolute http(s) URLs: hub ${hubUrl}, topic ${topicUrl}`,
    )
  }
  const signals = [AbortSignal.timeout(options.timeout ?? 10_000), ...(options.signal ? [options.signal] : [])]
  let response: Response
  try {
    response = await fetch(hub, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
      signal: AbortSignal.any(signals),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    } as unknown as RequestInit)
  } catch (error) {
    throw new PublishError('ERR_PUBLISH_WRITE', `WebSub ping to ${hub} failed: ${(error as Error).message}`, {
      cause: error,
      url: hub,
    })
  }
  await response.body?.cancel().catch(() => {})
  if (response.status < 200 || response.status > 299) {
    throw new PublishError(
      'ERR_PUBLISH_WRITE',
      `WebSub hub ${hub} answered HTTP ${response.status} to a publish ping`,
      {
        url: hub,
      },
    )
  }
  return response.status
}
