import { open } from 'node:fs/promises'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FetchError } from '../errors.js'
import { decodeBytes } from '../internal/charset.js'
import { tooLarge } from './body.js'
import { hashBody } from './hash.js'
import type { FetchResult } from './types.js'

const TYPES: Record<string, string> = {
  '.xml': 'application/xml',
  '.rss': 'application/rss+xml',
  '.rdf': 'application/rdf+xml',
  '.atom': 'application/atom+xml',
  '.json': 'application/feed+json',
  '.html': 'text/html',
  '.htm': 'text/html',
}

/** Read a `file:` feed with the same size limit and charset rules as HTTP. */
export async function readFileFeed(url: URL, maxBytes: number, signal?: AbortSignal): Promise<FetchResult> {
  const startedAt = Date.now()
  const href = url.href
  let path: string
  try {
    path = fileURLToPath(url)
  } catch (error) {
    throw new FetchError('ERR_FETCH_UNSUPPORTED_URL', `Not a local file URL: ${href}`, { url: href, cause: error })
  }
  signal?.throwIfAborted()
  let bytes: Buffer
  let mtime: Date
  try {
    const handle = await open(path, 'r')
    try {
      const stat = await handle.stat()
      if (!stat.isFile()) throw new FetchError('ERR_FETCH_FILE', `Not a regular file: ${path}`, { url: href })
      if (stat.size > maxBytes) throw tooLarge(href, maxBytes, 'file')
      mtime = stat.mtime
      // Read one byte past the limit: a file that grew since stat() is still caught.
      const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1)
      let length = 0
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null)
        if (bytesRead === 0) break
        length += bytesRead
        if (length > maxBytes) throw tooLarge(href, maxBytes, 'file')
        if (length === buffer.length) break
      }
      bytes = buffer.subarray(0, length)
    } finally {
      await handle.close()
    }
  } catch (error) {
    if (error instanceof FetchError) throw error
    const code = (error as { code?: string }).code ?? 'error'
    throw new FetchError('ERR_FETCH_FILE', `Could not read ${path} (${code})`, { url: href, cause: error })
  }
  const contentType = TYPES[extname(path).toLowerCase()]
  const decoded = decodeBytes(bytes, contentType === undefined ? {} : { contentType })
  return {
    status: 'ok',
    url: href,
    httpStatus: 200,
    text: decoded.text,
    bytes,
    bodyHash: hashBody(bytes),
    ...(contentType === undefined ? {} : { contentType }),
    charset: decoded.charset,
    lastModified: mtime.toUTCString(),
    redirects: [],
    timings: { startedAt, durationMs: Date.now() - startedAt, attempts: 1 },
  }
}
