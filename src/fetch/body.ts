import { createHash, type Hash } from 'node:crypto'
import { type Readable, Transform, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import * as zlib from 'node:zlib'
import { FetchError } from '../errors.js'

const MiB = 1024 * 1024

export function formatBytes(bytes: number): string {
  return bytes >= MiB ? `${+(bytes / MiB).toFixed(2)} MiB` : `${bytes} bytes`
}

export function tooLarge(url: string, maxBytes: number, what: string, subject = 'Feed'): FetchError {
  return new FetchError('ERR_FETCH_TOO_LARGE', `${subject} ${what} exceeded ${formatBytes(maxBytes)}: GET ${url}`, {
    url,
  })
}

/** Drop a response body we will not read (without an unhandled 'error' from the aborted request). */
export function discard(body: Readable): void {
  body.on('error', () => {})
  body.destroy()
}

type Decoder = () => Transform

/** zstd needs Node ≥ 22.15 (zlib.createZstdDecompress); tonghop asks for it only where it can undo it. */
const HAS_ZSTD = typeof zlib.createZstdDecompress === 'function'

function decoderFor(coding: string): Decoder | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return () => zlib.createGunzip()
    case 'deflate':
      return () => new InflateAuto()
    case 'br':
      return () => zlib.createBrotliDecompress()
    case 'zstd':
      return HAS_ZSTD ? () => zlib.createZstdDecompress() : undefined
    default:
      return undefined
  }
}

/** `Accept-Encoding` tonghop sends: exactly what readBody can undo. */
export const ACCEPT_ENCODING = HAS_ZSTD ? 'gzip, deflate, br, zstd' : 'gzip, deflate, br'

/** True when two bytes open a zlib stream (RFC 1950): method 8 (deflate), window ≤ 32 KiB, header checksum. */
function isZlibHeader(cmf: number, flg: number): boolean {
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0
}

/**
 * `Content-Encoding: deflate` means a zlib stream (RFC 9110 §8.4.1.2), but some servers send raw deflate (RFC 1951)
 * without the zlib header. The first two bytes decide: inflate for a zlib header, inflateRaw otherwise.
 */
class InflateAuto extends Transform {
  #head: Buffer = Buffer.alloc(0)
  #inner: zlib.Inflate | zlib.InflateRaw | undefined

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    let input = chunk
    if (!this.#inner) {
      input = this.#head.length === 0 ? chunk : Buffer.concat([this.#head, chunk])
      if (input.length < 2) {
        this.#head = input
        callback()
        return
      }
      this.#head = Buffer.alloc(0)
      this.#start(isZlibHeader(input[0]!, input[1]!))
    }
    // the callback runs once zlib has taken the chunk in: input flows no faster than it is inflated
    this.#inner!.write(input, (error) => {
      if (!error) callback()
    })
  }

  override _flush(callback: (error?: Error | null) => void): void {
    if (!this.#inner && this.#head.length === 0) {
      callback() // an empty body
      return
    }
    // a body of one byte is no zlib stream: inflateRaw reports it as truncated
    const inner = this.#inner ?? this.#start(false)
    inner.once('end', () => callback())
    inner.end(this.#head)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#inner?.destroy()
    callback(error)
  }

  #start(zlibWrapped: boolean): zlib.Inflate | zlib.InflateRaw {
    const inner = zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw()
    inner.on('data', (data: Buffer) => this.push(data))
    inner.on('error', (error) => this.destroy(error))
    this.#inner = inner
    return inner
  }
}

/** A body read to the end: the bytes after content decoding and their SHA-256 (hex), computed while reading. */
export interface ReadBody {
  bytes: Buffer
  hash: string
}

/** First allocation when the decoded size is not known in advance; doubled as the body grows. */
const INITIAL_CAPACITY = 64 * 1024

/**
 * Collects a body into one buffer: sized once when the length is known (an unencoded body with Content-Length),
 * otherwise grown geometrically up to `maxBytes`. Chunks are copied as they arrive and hashed on the way, so neither
 * a list of chunks nor a second concatenated copy is ever held.
 */
export class BodySink {
  #buffer: Buffer
  #length = 0
  readonly #hash: Hash = createHash('sha256')

  constructor(
    readonly maxBytes: number,
    expectedLength?: number,
  ) {
    const known = expectedLength !== undefined && Number.isSafeInteger(expectedLength) && expectedLength >= 0
    this.#buffer = Buffer.allocUnsafeSlow(
      known ? Math.min(expectedLength, maxBytes) : Math.min(INITIAL_CAPACITY, maxBytes),
    )
  }

  get length(): number {
    return this.#length
  }

  /** Append a chunk; false (nothing appended) when it would take the body past `maxBytes`. */
  push(chunk: Uint8Array): boolean {
    const needed = this.#length + chunk.byteLength
    if (needed > this.maxBytes) return false
    if (needed > this.#buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.min(this.maxBytes, Math.max(needed, this.#buffer.length * 2)))
      this.#buffer.copy(grown, 0, 0, this.#length)
      this.#buffer = grown
    }
    this.#buffer.set(chunk, this.#length)
    this.#length = needed
    this.#hash.update(chunk)
    return true
  }

  /** The bytes read (a view of the one buffer) and their hash. */
  finish(): ReadBody {
    const bytes = this.#length === this.#buffer.length ? this.#buffer : this.#buffer.subarray(0, this.#length)
    return { bytes, hash: this.#hash.digest('hex') }
  }
}

/**
 * Read a response body, undoing its Content-Encoding, and stop at `maxBytes` both on the wire and after
 * decompression: a decompression bomb is cut off at the limit without ever being held in memory. On every failure
 * the body and the decompressors are destroyed.
 */
export async function readBody(
  body: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
  url: string,
  contentLength?: number,
  /** What the body is, for the size error: `Feed`, `Page`, `robots.txt`. */
  subject = 'Feed',
): Promise<ReadBody> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
  const decoders: Transform[] = []
  for (const coding of codings.reverse()) {
    const make = decoderFor(coding)
    if (!make) {
      discard(body)
      for (const decoder of decoders) decoder.destroy()
      throw new FetchError('ERR_FETCH_DECODE', `Unsupported Content-Encoding "${coding}": GET ${url}`, { url })
    }
    decoders.push(make())
  }

  if (decoders.length === 0) return readPlain(body, new BodySink(maxBytes, contentLength), url, subject)

  let wire = 0
  const wireLimit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      wire += chunk.length
      if (wire > maxBytes) callback(tooLarge(url, maxBytes, 'body', subject))
      else callback(null, chunk)
    },
  })
  const collected = new BodySink(maxBytes)
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (collected.push(chunk)) callback()
      else callback(tooLarge(url, maxBytes, 'body after decompression', subject))
    },
  })

  // what a decompressor failed with (zlib, brotli and zstd each have their own error codes)
  let corrupt: unknown
  for (const decoder of decoders) {
    decoder.once('error', (error) => {
      corrupt ??= error
    })
  }
  try {
    // pipeline destroys every stream (the response body and each decompressor included) when one of them fails
    await pipeline([body, wireLimit, ...decoders, sink])
  } catch (error) {
    if (error instanceof FetchError) throw error
    if (corrupt !== undefined && error === corrupt) {
      throw new FetchError('ERR_FETCH_DECODE', `Could not decompress the body (${codings.join(', ')}): GET ${url}`, {
        url,
        cause: error,
      })
    }
    throw error
  }
  return collected.finish()
}

/** An unencoded body: chunks copied into the sink as they arrive, without a stream pipeline. */
async function readPlain(body: Readable, sink: BodySink, url: string, subject: string): Promise<ReadBody> {
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (!sink.push(chunk)) throw tooLarge(url, sink.maxBytes, 'body', subject)
    }
  } finally {
    if (!body.readableEnded) discard(body)
  }
  return sink.finish()
}
