import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { createServer as createH2Server } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { H2CClient } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FetchError } from '../../src/errors.js'
import { type FetchOptions, fetchFeed } from '../../src/fetch/index.js'
import { serve, startServer, type TestServer } from '../helpers/server.js'
import { tempDir } from '../helpers/tmp.js'
import { cp1258, RSS_VI, VI_TITLE } from './vi.js'

let server: TestServer
let opts: FetchOptions

beforeAll(async () => {
  server = await startServer()
  opts = { allowHosts: [server.host], timeout: 2_000, retries: 0 }
})
afterAll(() => server.close())

/** Await a FetchError from a promise. */
async function failure(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(FetchError)
  return error as FetchError
}

function hits(path: string): number {
  return server.requests.filter((r) => new URL(r.url, 'http://x').pathname === path).length
}

describe('fetchFeed over HTTP', () => {
  it('returns the decoded body, validators and an honest User-Agent', async () => {
    server.route('/ok', serve(RSS_VI, { etag: '"v1"', 'last-modified': 'Wed, 25 Nov 2026 10:00:00 GMT' }))
    const result = await fetchFeed(`${server.origin}/ok`, opts)
    expect(result).toMatchObject({
      status: 'ok',
      url: `${server.origin}/ok`,
      httpStatus: 200,
      text: RSS_VI,
      charset: 'utf-8',
      etag: '"v1"',
      lastModified: 'Wed, 25 Nov 2026 10:00:00 GMT',
      redirects: [],
    })
    expect(result.bodyHash).toMatch(/^[0-9a-f]{64}$/)
    expect(result.timings.attempts).toBe(1)
    const request = server.requests.at(-1)!
    expect(request.headers['user-agent']).toMatch(/^tonghop\/\d+\.\d+\.\d+ \(\+https?:\/\/.+\)$/)
    expect(request.headers['accept-encoding']).toMatch(/^gzip, deflate, br(, zstd)?$/)
  })

  it('sends stored validators and reports a 304 as not-modified', async () => {
    server.route('/cond', (req, res) => {
      if (req.headers['if-none-match'] === '"abc"') res.writeHead(304, { etag: '"abc"' }).end()
      else res.writeHead(200, { etag: '"abc"', 'content-type': 'application/rss+xml' }).end(RSS_VI)
    })
    const first = await fetchFeed(`${server.origin}/cond`, opts)
    expect(first.status).toBe('ok')
    const second = await fetchFeed(`${server.origin}/cond`, {
      ...opts,
      etag: first.etag!,
      lastModified: 'Wed, 25 Nov 2026 10:00:00 GMT',
    })
    expect(second).toMatchObject({ status: 'not-modified', httpStatus: 304, etag: '"abc"' })
    expect(second.text).toBeUndefined()
    expect(server.requests.at(-1)!.headers['if-modified-since']).toBe('Wed, 25 Nov 2026 10:00:00 GMT')
  })

  it('follows a 301 chain and reports where the feed moved', async () => {
    server.route('/old', (_req, res) => void res.writeHead(301, { location: '/older' }).end())
    server.route('/older', (_req, res) => void res.writeHead(308, { location: `${server.origin}/new` }).end())
    server.route('/new', (_req, res) => void res.writeHead(302, { location: '/new-today' }).end())
    server.route('/new-today', serve(RSS_VI))
    const result = await fetchFeed(`${server.origin}/old`, opts)
    expect(result.url).toBe(`${server.origin}/new-today`)
    expect(result.movedTo).toBe(`${server.origin}/new`) // the 302 is temporary: the move ends before it
    expect(result.redirects.map((r) => r.status)).toEqual([301, 308, 302])
  })

  it('detects a redirect loop', async () => {
    server.route('/loop-a', (_req, res) => void res.writeHead(302, { location: '/loop-b' }).end())
    server.route('/loop-b', (_req, res) => void res.writeHead(302, { location: '/loop-a' }).end())
    const error = await failure(fetchFeed(`${server.origin}/loop-a`, opts))
    expect(error.code).toBe('ERR_FETCH_REDIRECT_LOOP')
    expect(error.url).toBe(`${server.origin}/loop-a`)
  })

  it('stops after maxRedirects', async () => {
    server.route('/hop', (req, res) => {
      const n = Number(new URL(req.url!, 'http://x').searchParams.get('n') ?? 0)
      res.writeHead(302, { location: `/hop?n=${n + 1}` }).end()
    })
    const error = await failure(fetchFeed(`${server.origin}/hop`, { ...opts, maxRedirects: 3 }))
    expect(error.code).toBe('ERR_FETCH_REDIRECT_LIMIT')
    expect(hits('/hop')).toBe(4)
  })

  it('refuses a redirect to a non-HTTP scheme', async () => {
    server.route('/to-file', (_req, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end())
    expect((await failure(fetchFeed(`${server.origin}/to-file`, opts))).code).toBe('ERR_FETCH_UNSUPPORTED_URL')
  })

  it('times out on slow headers', async () => {
    server.route('/silent', () => {}) // never answers
    const error = await failure(fetchFeed(`${server.origin}/silent`, { ...opts, timeout: 300 }))
    expect(error.code).toBe('ERR_FETCH_TIMEOUT')
    expect(error.url).toBe(`${server.origin}/silent`)
  })

  it('enforces the total deadline on a body that trickles forever', async () => {
    server.route('/trickle', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
      const timer = setInterval(() => res.write(' '), 20)
      res.on('close', () => clearInterval(timer))
    })
    const error = await failure(fetchFeed(`${server.origin}/trickle`, { ...opts, timeout: 400, bodyTimeout: 200 }))
    expect(error.code).toBe('ERR_FETCH_TIMEOUT')
  })

  it('stops an endless body at maxBytes', async () => {
    server.route('/endless', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
      const chunk = Buffer.alloc(16 * 1024, 'a')
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {}
      }
      res.on('drain', pump)
      pump()
    })
    const error = await failure(fetchFeed(`${server.origin}/endless`, { ...opts, maxBytes: 256 * 1024 }))
    expect(error.code).toBe('ERR_FETCH_TOO_LARGE')
  })

  it('refuses a declared Content-Length above maxBytes without reading it', async () => {
    server.route('/big', serve(Buffer.alloc(4096, 'a')))
    const error = await failure(fetchFeed(`${server.origin}/big`, { ...opts, maxBytes: 1000 }))
    expect(error.code).toBe('ERR_FETCH_TOO_LARGE')
  })

  it('stops a 1 GB gzip bomb at the limit after decompression', async () => {
    // 1 MiB of zeros gzips to about 1 KiB; 1024 gzip members in a row are one valid gzip body of 1 GiB.
    const member = gzipSync(Buffer.alloc(1024 * 1024))
    server.route('/bomb', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' })
      let left = 1024
      const pump = () => {
        while (left > 0 && !res.destroyed) {
          left--
          if (!res.write(member)) return
        }
        if (left === 0) res.end()
      }
      res.on('drain', pump)
      pump()
    })
    const error = await failure(fetchFeed(`${server.origin}/bomb`, { ...opts, maxBytes: 2 * 1024 * 1024 }))
    expect(error.code).toBe('ERR_FETCH_TOO_LARGE')
    expect(error.message).toContain('after decompression')
    expect(member.length).toBeLessThan(2048) // the wire limit alone could not have caught it
  })

  it.each([
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('stops a %s bomb at the limit too', async (encoding, compress) => {
    const body = compress(Buffer.alloc(32 * 1024 * 1024))
    server.route(`/bomb-${encoding}`, serve(body, { 'content-encoding': encoding }))
    const error = await failure(fetchFeed(`${server.origin}/bomb-${encoding}`, { ...opts, maxBytes: 1024 * 1024 }))
    expect(error.code).toBe('ERR_FETCH_TOO_LARGE')
  })

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decodes a %s body', async (encoding, compress) => {
    server.route(`/enc-${encoding}`, serve(compress(Buffer.from(RSS_VI)), { 'content-encoding': encoding }))
    expect((await fetchFeed(`${server.origin}/enc-${encoding}`, opts)).text).toBe(RSS_VI)
  })

  it('reports a corrupt or unknown content encoding as ERR_FETCH_DECODE', async () => {
    server.route('/corrupt', serve(Buffer.from('definitely not gzip'), { 'content-encoding': 'gzip' }))
    expect((await failure(fetchFeed(`${server.origin}/corrupt`, opts))).code).toBe('ERR_FETCH_DECODE')
    server.route('/compress', serve(Buffer.from('x'), { 'content-encoding': 'compress' }))
    expect((await failure(fetchFeed(`${server.origin}/compress`, opts))).code).toBe('ERR_FETCH_DECODE')
  })
})

describe('fetchFeed retries', () => {
  function sequence(path: string, steps: ((res: import('node:http').ServerResponse) => void)[]) {
    let i = 0
    server.route(path, (_req, res) => {
      const step = steps[Math.min(i++, steps.length - 1)]!
      step(res)
    })
  }
  const ok = (res: import('node:http').ServerResponse) =>
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS_VI)

  it('retries a 503 and succeeds', async () => {
    sequence('/flaky', [(res) => res.writeHead(503).end('busy'), ok])
    const result = await fetchFeed(`${server.origin}/flaky`, { ...opts, retries: 2 })
    expect(result.status).toBe('ok')
    expect(result.timings.attempts).toBe(2)
    expect(hits('/flaky')).toBe(2)
  })

  it('gives up after the last retry with the status', async () => {
    sequence('/down', [(res) => res.writeHead(500).end()])
    const error = await failure(fetchFeed(`${server.origin}/down`, { ...opts, retries: 1 }))
    expect(error).toMatchObject({ code: 'ERR_FETCH_HTTP_STATUS', httpStatus: 500 })
    expect(hits('/down')).toBe(2)
  })

  it('does not retry a 404', async () => {
    const error = await failure(fetchFeed(`${server.origin}/missing`, { ...opts, retries: 2 }))
    expect(error).toMatchObject({ code: 'ERR_FETCH_HTTP_STATUS', httpStatus: 404 })
    expect(hits('/missing')).toBe(1)
  })

  it('reports 410 as ERR_FETCH_GONE', async () => {
    sequence('/gone', [(res) => res.writeHead(410).end()])
    const error = await failure(fetchFeed(`${server.origin}/gone`, { ...opts, retries: 2 }))
    expect(error).toMatchObject({ code: 'ERR_FETCH_GONE', httpStatus: 410 })
    expect(hits('/gone')).toBe(1)
  })

  it('waits for a Retry-After in seconds that fits the budget', async () => {
    sequence('/wait-s', [(res) => res.writeHead(429, { 'retry-after': '1' }).end(), ok])
    const result = await fetchFeed(`${server.origin}/wait-s`, {
      ...opts,
      retries: 1,
      retryBudget: 3_000,
      timeout: 6_000,
    })
    expect(result.status).toBe('ok')
    expect(hits('/wait-s')).toBe(2)
  })

  it('waits for a Retry-After HTTP-date that fits the budget', async () => {
    sequence('/wait-d', [
      (res) => res.writeHead(429, { 'retry-after': new Date(Date.now() + 1000).toUTCString() }).end(),
      ok,
    ])
    const result = await fetchFeed(`${server.origin}/wait-d`, {
      ...opts,
      retries: 1,
      retryBudget: 3_000,
      timeout: 6_000,
    })
    expect(result.status).toBe('ok')
    expect(hits('/wait-d')).toBe(2)
  })

  it('does not wait for a Retry-After in seconds beyond the budget: the error carries it', async () => {
    sequence('/later-s', [(res) => res.writeHead(429, { 'retry-after': '120' }).end(), ok])
    const error = await failure(fetchFeed(`${server.origin}/later-s`, { ...opts, retries: 2, retryBudget: 500 }))
    expect(error).toMatchObject({ code: 'ERR_FETCH_RATE_LIMITED', httpStatus: 429, retryAfter: 120_000 })
    expect(error.retryAfterHostWide).toBeUndefined()
    expect(hits('/later-s')).toBe(1)
  })

  it('does not wait for a Retry-After HTTP-date beyond the budget: the error carries it', async () => {
    const until = Date.now() + 3_600_000
    sequence('/later-d', [(res) => res.writeHead(429, { 'retry-after': new Date(until).toUTCString() }).end(), ok])
    const error = await failure(fetchFeed(`${server.origin}/later-d`, { ...opts, retries: 2, retryBudget: 500 }))
    expect(error.code).toBe('ERR_FETCH_RATE_LIMITED')
    expect(error.retryAfter).toBeGreaterThan(3_590_000)
    expect(error.retryAfter).toBeLessThanOrEqual(3_600_000)
    expect(hits('/later-d')).toBe(1)
  })

  it('marks a 503 Retry-After as host-wide', async () => {
    sequence('/maint', [(res) => res.writeHead(503, { 'retry-after': '600' }).end()])
    const error = await failure(fetchFeed(`${server.origin}/maint`, { ...opts, retries: 2, retryBudget: 500 }))
    expect(error).toMatchObject({ code: 'ERR_FETCH_HTTP_STATUS', retryAfter: 600_000, retryAfterHostWide: true })
  })
})

describe('fetchFeed charsets', () => {
  it('decodes windows-1258 served under a wrong charset=utf-8 label', async () => {
    server.route('/wrong-label', serve(cp1258(`<rss><title>${VI_TITLE}</title></rss>`)))
    const result = await fetchFeed(`${server.origin}/wrong-label`, opts)
    expect(result.charset).toBe('windows-1258')
    expect(result.text!.normalize('NFC')).toContain(VI_TITLE)
  })

  it('decodes windows-1258 declared only in the XML prolog', async () => {
    const body = cp1258(`<?xml version="1.0" encoding="windows-1258"?><rss><title>${VI_TITLE}</title></rss>`)
    server.route('/prolog', serve(body, { 'content-type': 'application/xml' }))
    const result = await fetchFeed(`${server.origin}/prolog`, opts)
    expect(result.charset).toBe('windows-1258')
    expect(result.text!.normalize('NFC')).toContain(VI_TITLE)
  })

  it('decodes UTF-16 with a BOM', async () => {
    server.route('/utf16', serve(Buffer.from(`\ufeff${RSS_VI}`, 'utf16le'), { 'content-type': 'text/xml' }))
    const result = await fetchFeed(`${server.origin}/utf16`, opts)
    expect(result).toMatchObject({ charset: 'utf-16le', text: RSS_VI })
  })
})

describe('SSRF guard', () => {
  it('refuses 127.0.0.1 by default without sending a request', async () => {
    server.route('/private', serve(RSS_VI))
    const error = await failure(fetchFeed(`${server.origin}/private`, { timeout: 2_000 }))
    expect(error).toMatchObject({ code: 'ERR_FETCH_BLOCKED_ADDRESS', url: `${server.origin}/private` })
    expect(hits('/private')).toBe(0)
  })

  it('checks the connected address, not only the name', async () => {
    const port = new URL(server.origin).port
    const error = await failure(fetchFeed(`http://localhost:${port}/private`, { timeout: 2_000 }))
    expect(error.code).toBe('ERR_FETCH_BLOCKED_ADDRESS')
  })

  it('refuses a redirect to 127.0.0.1 from an allowed origin', async () => {
    const inner = await startServer({ '/secret': serve('metadata') })
    try {
      server.route('/bounce', (_req, res) => void res.writeHead(302, { location: `${inner.origin}/secret` }).end())
      const error = await failure(fetchFeed(`${server.origin}/bounce`, opts))
      expect(error.code).toBe('ERR_FETCH_BLOCKED_ADDRESS')
      expect(inner.requests).toHaveLength(0)
    } finally {
      await inner.close()
    }
  })

  it('lifts the guard with allowPrivateNetwork', async () => {
    server.route('/intranet', serve(RSS_VI))
    const result = await fetchFeed(`${server.origin}/intranet`, { allowPrivateNetwork: true, timeout: 2_000 })
    expect(result.status).toBe('ok')
  })

  it('still guards when a dispatcher is supplied', async () => {
    const client = new H2CClient(server.origin)
    try {
      const error = await failure(fetchFeed(`${server.origin}/private`, { dispatcher: client, timeout: 2_000 }))
      expect(error.code).toBe('ERR_FETCH_BLOCKED_ADDRESS')
    } finally {
      await client.close()
    }
  })
})

describe('fetchFeed other inputs', () => {
  it('cancels on an abort signal', async () => {
    server.route('/hang', () => {})
    const controller = new AbortController()
    const pending = fetchFeed(`${server.origin}/hang`, { ...opts, signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    expect((await failure(pending)).code).toBe('ERR_FETCH_ABORTED')
  })

  it('rejects unsupported and malformed URLs', async () => {
    expect((await failure(fetchFeed('ftp://example.com/feed'))).code).toBe('ERR_FETCH_UNSUPPORTED_URL')
    expect((await failure(fetchFeed('not a url'))).code).toBe('ERR_FETCH_UNSUPPORTED_URL')
  })

  it('rejects invalid options with a ConfigError', async () => {
    await expect(fetchFeed(`${server.origin}/ok`, { ...opts, maxBytes: 0 })).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
    })
  })

  it('reads file: URLs only when allowed, with the same limits and charset rules', async () => {
    const dir = tempDir()
    const path = join(dir, 'feed.xml')
    writeFileSync(path, cp1258(`<?xml version="1.0" encoding="windows-1258"?><rss><title>${VI_TITLE}</title></rss>`))
    const url = pathToFileURL(path).href
    expect((await failure(fetchFeed(url))).code).toBe('ERR_FETCH_UNSUPPORTED_URL')
    const result = await fetchFeed(url, { allowFile: true })
    expect(result).toMatchObject({ status: 'ok', charset: 'windows-1258', httpStatus: 200 })
    expect(result.text!.normalize('NFC')).toContain(VI_TITLE)
    expect((await failure(fetchFeed(url, { allowFile: true, maxBytes: 10 }))).code).toBe('ERR_FETCH_TOO_LARGE')
    const missing = await failure(fetchFeed(pathToFileURL(join(dir, 'nope.xml')).href, { allowFile: true }))
    expect(missing).toMatchObject({ code: 'ERR_FETCH_FILE' })
    expect(missing.url).toContain('nope.xml')
  })

  it('decodes gzip over HTTP/2', async () => {
    const h2 = createH2Server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' })
      res.end(gzipSync(Buffer.from(RSS_VI)))
    })
    h2.listen(0, '127.0.0.1')
    await once(h2, 'listening')
    const origin = `http://127.0.0.1:${(h2.address() as AddressInfo).port}`
    const client = new H2CClient(origin)
    try {
      const result = await fetchFeed(`${origin}/feed`, {
        dispatcher: client,
        allowHosts: [new URL(origin).host],
        timeout: 2_000,
      })
      expect(result).toMatchObject({ status: 'ok', text: RSS_VI, httpStatus: 200 })
    } finally {
      await client.close()
      h2.close()
    }
  })
})
