import { createHash } from 'node:crypto'
import * as zlib from 'node:zlib'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FetchError } from '../../src/errors.js'
import { BodySink } from '../../src/fetch/body.js'
import { type FetchOptions, fetchFeed } from '../../src/fetch/index.js'
import { startServer, type TestServer } from '../helpers/server.js'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** 300 KiB of XML-ish text with Vietnamese letters, so that it spans many socket reads. */
const BIG = Buffer.from(
  `<?xml version="1.0" encoding="utf-8"?><rss><channel>${'<item><title>Thái Bình đón mùa lúa mới</title></item>'.repeat(5000)}</channel></rss>`,
)

describe('BodySink', () => {
  it('fills one buffer of the announced size', () => {
    const sink = new BodySink(1000, 6)
    expect(sink.push(Buffer.from('abc'))).toBe(true)
    expect(sink.push(Buffer.from('def'))).toBe(true)
    const { bytes, hash } = sink.finish()
    expect(bytes.toString()).toBe('abcdef')
    expect(bytes.buffer.byteLength).toBe(6)
    expect(hash).toBe(sha256(Buffer.from('abcdef')))
  })

  it('grows when the length is unknown or was announced too small', () => {
    for (const announced of [undefined, 2]) {
      const sink = new BodySink(BIG.length, announced)
      for (let at = 0; at < BIG.length; at += 1000) expect(sink.push(BIG.subarray(at, at + 1000))).toBe(true)
      const { bytes, hash } = sink.finish()
      expect(bytes.equals(BIG)).toBe(true)
      expect(hash).toBe(sha256(BIG))
    }
  })

  it('refuses a chunk that would take the body past maxBytes, and never allocates beyond it', () => {
    const sink = new BodySink(10, 1_000_000)
    expect(sink.push(Buffer.from('0123456789'))).toBe(true)
    expect(sink.push(Buffer.from('x'))).toBe(false)
    expect(sink.length).toBe(10)
    expect(sink.finish().bytes.buffer.byteLength).toBe(10)
  })
})

describe('response bodies', () => {
  let server: TestServer
  let opts: FetchOptions
  beforeAll(async () => {
    server = await startServer()
    opts = { allowHosts: [server.host], timeout: 5_000, retries: 0 }
  })
  afterAll(() => server.close())

  it.each([
    ['with Content-Length', { 'content-length': String(BIG.length) }, BIG],
    ['chunked, in small writes', {}, BIG],
    ['gzip, chunked', { 'content-encoding': 'gzip' }, gzipSync(BIG)],
  ] as const)('reads a large body %s, hashing exactly its bytes', async (_name, headers, wire) => {
    const path = `/big-${Object.keys(headers).join('-') || 'chunked'}`
    server.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', ...headers })
      for (let at = 0; at < wire.length; at += 7000) res.write(wire.subarray(at, at + 7000))
      res.end()
    })
    const result = await fetchFeed(`${server.origin}${path}`, opts)
    expect(Buffer.from(result.bytes!).equals(BIG)).toBe(true)
    expect(result.bodyHash).toBe(sha256(BIG))
    expect(result.text).toBe(BIG.toString('utf8'))
  })

  it('reads an empty body', async () => {
    server.route('/empty', (_req, res) => void res.writeHead(200, { 'content-length': '0' }).end())
    const result = await fetchFeed(`${server.origin}/empty`, opts)
    expect(result.bytes?.length).toBe(0)
    expect(result.text).toBe('')
    expect(result.bodyHash).toBe(sha256(Buffer.alloc(0)))
  })

  const hasZstd = typeof zlib.zstdCompressSync === 'function'
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable('expected a FetchError'),
      (error: unknown) => {
        expect(error).toBeInstanceOf(FetchError)
        return error as FetchError
      },
    )

  it('inflates Content-Encoding: deflate sent raw, without the zlib header, even when the first byte comes alone', async () => {
    const raw = zlib.deflateRawSync(BIG)
    server.route('/raw-deflate', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-encoding': 'deflate' })
      res.write(raw.subarray(0, 1))
      setTimeout(() => res.end(raw.subarray(1)), 20)
    })
    const result = await fetchFeed(`${server.origin}/raw-deflate`, opts)
    expect(result.text).toBe(BIG.toString('utf8'))
    expect(result.bodyHash).toBe(sha256(BIG))
  })

  it('stops a raw deflate bomb at the limit after decompression', async () => {
    const bomb = zlib.deflateRawSync(Buffer.alloc(32 * 1024 * 1024))
    server.route('/raw-bomb', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'deflate' }).end(bomb)
    })
    const error = await failure(fetchFeed(`${server.origin}/raw-bomb`, { ...opts, maxBytes: 1024 * 1024 }))
    expect(error.code).toBe('ERR_FETCH_TOO_LARGE')
    expect(error.message).toContain('after decompression')
  })

  it('reports deflate bytes that are neither zlib nor raw deflate as ERR_FETCH_DECODE', async () => {
    server.route('/bad-deflate', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'deflate' }).end(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00]))
    })
    expect((await failure(fetchFeed(`${server.origin}/bad-deflate`, opts))).code).toBe('ERR_FETCH_DECODE')
  })

  it.each([['br', 'definitely not brotli'], ...(hasZstd ? [['zstd', 'definitely not zstd']] : [])])(
    'reports a corrupt %s body as ERR_FETCH_DECODE, not as a network error to retry',
    async (encoding, body) => {
      server.route(`/corrupt-${encoding}`, (_req, res) => {
        res.writeHead(200, { 'content-encoding': encoding }).end(Buffer.from(body))
      })
      const error = await failure(fetchFeed(`${server.origin}/corrupt-${encoding}`, { ...opts, retries: 2 }))
      expect(error.code).toBe('ERR_FETCH_DECODE')
      expect(server.requests.filter((r) => r.url === `/corrupt-${encoding}`)).toHaveLength(1)
    },
  )

  it.runIf(hasZstd)('asks for zstd and decodes it', async () => {
    server.route('/zstd', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-encoding': 'zstd' })
      res.end(zlib.zstdCompressSync(BIG))
    })
    const result = await fetchFeed(`${server.origin}/zstd`, opts)
    expect(result.text).toBe(BIG.toString('utf8'))
    expect(server.requests.at(-1)!.headers['accept-encoding']).toBe('gzip, deflate, br, zstd')
  })

  it.runIf(hasZstd)('stops a zstd bomb at the limit after decompression', async () => {
    const bomb = zlib.zstdCompressSync(Buffer.alloc(64 * 1024 * 1024))
    expect(bomb.length).toBeLessThan(1024 * 1024) // the wire limit alone could not catch it
    server.route('/zstd-bomb', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'zstd' }).end(bomb)
    })
    const error = await failure(fetchFeed(`${server.origin}/zstd-bomb`, { ...opts, maxBytes: 1024 * 1024 }))
    expect(error.code).toBe('ERR_FETCH_TOO_LARGE')
    expect(error.message).toContain('after decompression')
  })
})
