import type { Dispatcher } from 'undici'

export interface FetchOptions {
  /** ETag from the previous run, sent as If-None-Match. */
  etag?: string
  /** Last-Modified from the previous run, sent as If-Modified-Since. */
  lastModified?: string
  /** Whole-request deadline in ms (connect + headers + body, all retries included). @default 30_000 */
  timeout?: number
  /** Maximum body size in bytes, enforced while streaming and again after decompression. @default 15 MiB */
  maxBytes?: number
  /** @default 5 */
  maxRedirects?: number
  /** @default `tonghop/<version> (+<homepage>)` */
  userAgent?: string
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Lift the SSRF guard for intranet feeds. @default false */
  allowPrivateNetwork?: boolean
  /** `host[:port]` exempt from the SSRF guard (tests use the one loopback origin they serve). */
  allowHosts?: string[]
  /** Allow `file:` URLs (only for sources that are local paths in the config). @default false */
  allowFile?: boolean
  /** Retries for network errors, 5xx and 429. @default 2 */
  retries?: number
  dispatcher?: Dispatcher
}

export interface FetchResult {
  status: 'ok' | 'not-modified'
  /** Final URL after redirects. */
  url: string
  httpStatus: number
  /** Decoded text (status 'ok'). */
  text?: string
  bytes?: Uint8Array
  contentType?: string
  /** The charset the body was decoded with. */
  charset?: string
  etag?: string
  lastModified?: string
  redirects: { url: string; status: number }[]
  timings: { startedAt: number; durationMs: number; attempts: number }
}
