import { type Readable, Transform, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import * as zlib from 'node:zlib'
import { FetchError } from '../errors.js'

const MiB = 1024 * 1024

export function formatBytes(bytes: number): string {
  return bytes >= MiB ? `${+(bytes / MiB).toFixed(2)} MiB` : `${bytes} bytes`
}

export function tooLarge(url: string, maxBytes: number, what: string): FetchError {
  return new FetchError('ERR_FETCH_TOO_LARGE', `Feed ${what} exceeded ${formatBytes(maxBytes)}: GET ${url}`, { url })
}

/** Drop a response body we will not read (without an unhandled 'error' from the aborted request). */
export function discard(body: Readable): void {
  body.on('error', () => {})
  body.destroy()
}

type Decoder = () => Transform

function decoderFor(coding: string): Decoder | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return () => zlib.createGunzip()
    case 'deflate':
      return () => zlib.createInflate()
    case 'br':
      return () => zlib.createBrotliDecompress()
    default:
      return undefined
  }
}

/** `Accept-Encoding` tonghop sends: exactly what readBody can undo. */
export const ACCEPT_ENCODING = 'gzip, deflate, br'

/**
 * Read a response body, undoing its Content-Encoding, and stop at `maxBytes` both on the wire and after
 * decompression: a decompression bomb is cut off at the limit without ever being held in memory.
 */
export async function readBody(
  body: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
  url: string,
): Promise<Buffer> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
  const decoders: Transform[] = []
  for (const coding of codings.reverse()) {
    const make = decoderFor(coding)
    if (!make) {
      discard(body)
      throw new FetchError('ERR_FETCH_DECODE', `Unsupported Content-Encoding "${coding}": GET ${url}`, { url })
    }
    decoders.push(make())
  }

  if (decoders.length === 0) return readPlain(body, maxBytes, url)

  let wire = 0
  const wireLimit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      wire += chunk.length
      if (wire > maxBytes) callback(tooLarge(url, maxBytes, 'body'))
      else callback(null, chunk)
    },
  })
  const chunks: Buffer[] = []
  let total = 0
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      total += chunk.length
      if (total > maxBytes) {
        callback(tooLarge(url, maxBytes, decoders.length > 0 ? 'body after decompression' : 'body'))
        return
      }
      chunks.push(chunk)
      callback()
    },
  })

  try {
    await pipeline([body, wireLimit, ...decoders, sink])
  } catch (error) {
    if (error instanceof FetchError) throw error
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new FetchError('ERR_FETCH_DECODE', `Could not decompress the body (${codings.join(', ')}): GET ${url}`, {
        url,
        cause: error,
      })
    }
    throw error
  }
  return Buffer.concat(chunks, total)
}

/** An unencoded body: chunks counted and collected without a stream pipeline. */
async function readPlain(body: Readable, maxBytes: number, url: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.length
      if (total > maxBytes) throw tooLarge(url, maxBytes, 'body')
      chunks.push(chunk)
    }
  } finally {
    if (!body.readableEnded) discard(body)
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)
}
