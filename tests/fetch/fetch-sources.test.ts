import { writeFileSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FetchSourcesOptions, fetchSources, type SourceFetchOutcome } from '../../src/fetch/index.js'
import type { SourceState } from '../../src/store/types.js'
import type { Source } from '../../src/types.js'
import { serve, startServer, type TestServer } from '../helpers/server.js'
import { tempDir } from '../helpers/tmp.js'
import { RSS_VI } from './vi.js'

let server: TestServer
let opts: FetchSourcesOptions

beforeAll(async () => {
  server = await startServer()
  opts = { allowHosts: [server.host], timeout: 2_000, retries: 0, minHostInterval: 0 }
})
afterAll(() => server.close())

const source = (id: string, path: string): Source => ({ id, url: `${server.origin}${path}` })
const hits = (path: string) => server.requests.filter((r) => new URL(r.url, 'http://x').pathname === path).length

async function one(src: Source, state?: SourceState, extra: FetchSourcesOptions = {}, hostState?: SourceState) {
  const [outcome] = await fetchSources(
    [{ source: src, ...(state ? { state } : {}), ...(hostState ? { hostState } : {}) }],
    { ...opts, ...extra },
  )
  return outcome!
}

describe('fetchSources', () => {
  it('carries validators across two runs: the second is not-modified', async () => {
    server.route('/etag', (req, res) => {
      if (req.headers['if-none-match'] === '"r1"') return void res.writeHead(304).end()
      res.writeHead(200, { etag: '"r1"', 'last-modified': 'Wed, 25 Nov 2026 10:00:00 GMT' }).end(RSS_VI)
    })
    const src = source('etag', '/etag')
    const first = await one(src)
    expect(first.status).toBe('ok')
    expect(first.result?.text).toBe(RSS_VI)
    expect(first.state).toMatchObject({ key: 'etag', etag: '"r1"', lastStatus: 'ok' })
    expect(first.state.bodyHash).toMatch(/^[0-9a-f]{64}$/)
    const second = await one(src, first.state)
    expect(second.status).toBe('not-modified')
    expect(second.state).toMatchObject({ etag: '"r1"', bodyHash: first.state.bodyHash, lastStatus: 'not-modified' })
    expect(server.requests.at(-1)!.headers['if-modified-since']).toBe('Wed, 25 Nov 2026 10:00:00 GMT')
  })

  it('reports a 200 with the same body as last time as unchanged', async () => {
    server.route('/same', serve(RSS_VI))
    const src = source('same', '/same')
    const first = await one(src)
    const second = await one(src, first.state)
    expect(second.status).toBe('unchanged')
    expect(second.state.bodyHash).toBe(first.state.bodyHash)
    expect(first.result?.text).toBe(RSS_VI)
    // the same bytes are not decoded again: nothing downstream reads an unchanged body
    expect(second.result?.text).toBeUndefined()
    expect(Buffer.from(second.result!.bytes!).toString('utf8')).toBe(RSS_VI)
  })

  it('remembers a permanent redirect and fetches the new URL next run', async () => {
    server.route('/moved', (_req, res) => void res.writeHead(301, { location: '/moved-2' }).end())
    server.route('/moved-2', (_req, res) => void res.writeHead(308, { location: '/moved-final' }).end())
    server.route('/moved-final', serve(RSS_VI))
    const src = source('moved', '/moved')
    const first = await one(src)
    expect(first.status).toBe('ok')
    expect(first.state.url).toBe(`${server.origin}/moved-final`)
    const before = hits('/moved')
    const second = await one(src, first.state)
    expect(second.status).toBe('unchanged')
    expect(hits('/moved')).toBe(before)
    expect(second.state.url).toBe(`${server.origin}/moved-final`)
  })

  it('starts afresh when the config URL changed since the state was recorded', async () => {
    server.route('/fresh', serve(RSS_VI))
    const stale: SourceState = { key: 'fresh', sourceUrl: `${server.origin}/old-config`, gone: true, etag: '"x"' }
    const outcome = await one(source('fresh', '/fresh'), stale)
    expect(outcome.status).toBe('ok')
    expect(server.requests.at(-1)!.headers['if-none-match']).toBeUndefined()
    expect(outcome.state.sourceUrl).toBe(`${server.origin}/fresh`)
  })

  it('retires a 410 source and does not ask again', async () => {
    server.route('/retired', (_req, res) => void res.writeHead(410).end())
    const src = source('retired', '/retired')
    const first = await one(src)
    expect(first).toMatchObject({ status: 'gone', error: { code: 'ERR_FETCH_GONE' }, state: { gone: true } })
    const second = await one(src, first.state)
    expect(second.status).toBe('gone')
    expect(hits('/retired')).toBe(1)
  })

  it('remembers a Retry-After it did not wait for and skips the source until then', async () => {
    server.route('/slow-down', (_req, res) => void res.writeHead(429, { 'retry-after': '3600' }).end())
    const src = source('slow-down', '/slow-down')
    const t0 = new Date('2026-11-26T10:00:00Z')
    const first = await one(src, undefined, { now: () => t0, retries: 2, retryBudget: 100 })
    expect(first.status).toBe('failed')
    expect(first.error).toMatchObject({ code: 'ERR_FETCH_RATE_LIMITED', retryAfter: 3_600_000, sourceId: 'slow-down' })
    expect(first.state.retryAfterUntil?.toISOString()).toBe('2026-11-26T11:00:00.000Z')
    expect(first.hostState).toBeUndefined() // a 429 is about this feed only
    expect(hits('/slow-down')).toBe(1)

    const later = new Date('2026-11-26T10:30:00Z')
    const second = await one(src, first.state, { now: () => later })
    expect(second).toMatchObject({
      status: 'skipped',
      error: { code: 'ERR_FETCH_RATE_LIMITED', retryAfter: 1_800_000 },
    })
    expect(second.state.retryAfterUntil).toEqual(first.state.retryAfterUntil)
    expect(hits('/slow-down')).toBe(1)
  })

  it('keeps a host-wide back-off only when the host said so (503), and skips its other feeds', async () => {
    server.route('/maintenance', (_req, res) => void res.writeHead(503, { 'retry-after': '600' }).end())
    server.route('/other-feed', serve(RSS_VI))
    const t0 = new Date('2026-11-26T10:00:00Z')
    const first = await one(source('maint', '/maintenance'), undefined, { now: () => t0, retryBudget: 100 })
    expect(first.status).toBe('failed')
    expect(first.hostState).toMatchObject({ key: `host:${server.host}` })
    expect(first.hostState!.retryAfterUntil!.toISOString()).toBe('2026-11-26T10:10:00.000Z')
    const other = await one(source('other', '/other-feed'), undefined, { now: () => t0 }, first.hostState)
    expect(other.status).toBe('skipped')
    expect(hits('/other-feed')).toBe(0)
  })

  it('limits requests in flight per host, counted at the server', async () => {
    let inFlight = 0
    let peak = 0
    server.route('/counted', (_req, res: ServerResponse) => {
      inFlight++
      peak = Math.max(peak, inFlight)
      setTimeout(() => {
        inFlight--
        res.writeHead(200).end(RSS_VI)
      }, 150)
    })
    const requests = Array.from({ length: 8 }, (_, i) => ({
      source: { id: `c${i}`, url: `${server.origin}/counted?i=${i}` },
    }))
    const outcomes = await fetchSources(requests, { ...opts, concurrency: 8, perHost: 2 })
    expect(outcomes.map((o) => o.status)).toEqual(Array(8).fill('ok'))
    expect(peak).toBeLessThanOrEqual(2)
    expect(peak).toBe(2)
  })

  it('spaces requests to one host by minHostInterval', async () => {
    const starts: number[] = []
    server.route('/spaced', (_req, res) => {
      starts.push(Date.now())
      res.writeHead(200).end(RSS_VI)
    })
    const requests = Array.from({ length: 3 }, (_, i) => ({
      source: { id: `s${i}`, url: `${server.origin}/spaced?i=${i}` },
    }))
    await fetchSources(requests, { ...opts, perHost: 3, minHostInterval: 150 })
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!)
    // Without the interval the three start within a few ms; leave room for connection set-up jitter.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(100)
  })

  it('returns one outcome per request in order, calling onOutcome for each, whatever fails', async () => {
    server.route('/good', serve(RSS_VI))
    const seen: string[] = []
    const outcomes = await fetchSources(
      [
        { source: source('a', '/missing-feed') },
        { source: { id: 'b', url: 'ftp://example.com/feed' } },
        { source: source('c', '/good') },
        { source: { id: 'd', url: 'http://127.0.0.2:9/blocked' } },
      ],
      { ...opts, onOutcome: (o: SourceFetchOutcome) => void seen.push(o.source.id) },
    )
    expect(outcomes.map((o) => [o.source.id, o.status, o.error?.code])).toEqual([
      ['a', 'failed', 'ERR_FETCH_HTTP_STATUS'],
      ['b', 'failed', 'ERR_FETCH_UNSUPPORTED_URL'],
      ['c', 'ok', undefined],
      ['d', 'failed', 'ERR_FETCH_BLOCKED_ADDRESS'],
    ])
    expect(seen.sort()).toEqual(['a', 'b', 'c', 'd'])
    for (const outcome of outcomes) expect(outcome.error?.url ?? outcome.result?.url).toBeTruthy()
  })

  it('rejects with the onOutcome error after the fetches settle', async () => {
    server.route('/cb', serve(RSS_VI))
    const boom = new Error('parse stage failed')
    await expect(
      fetchSources([{ source: source('cb', '/cb') }], {
        ...opts,
        onOutcome: () => {
          throw boom
        },
      }),
    ).rejects.toBe(boom)
  })

  it('turns an abort into failed outcomes, never a rejection', async () => {
    server.route('/hang', () => {})
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const outcomes = await fetchSources(
      [{ source: source('h1', '/hang') }, { source: source('h2', '/hang') }, { source: source('h3', '/hang') }],
      { ...opts, perHost: 1, signal: controller.signal },
    )
    expect(outcomes.map((o) => o.error?.code)).toEqual(Array(3).fill('ERR_FETCH_ABORTED'))
  })

  it('drops queued sources at once on abort instead of waiting out the host interval', async () => {
    server.route('/queued', serve(RSS_VI))
    const controller = new AbortController()
    const before = hits('/queued')
    const requests = Array.from({ length: 20 }, (_, i) => ({ source: source(`q${i}`, `/queued?i=${i}`) }))
    const pending = fetchSources(requests, { ...opts, perHost: 1, minHostInterval: 1_000, signal: controller.signal })
    setTimeout(() => controller.abort(), 100)
    const outcomes = await pending
    expect(outcomes.filter((o) => o.status === 'failed').map((o) => o.error?.code)).toEqual(
      Array(19).fill('ERR_FETCH_ABORTED'),
    )
    expect(hits('/queued') - before).toBe(1)
  })

  it('reads file: sources', async () => {
    const path = join(tempDir(), 'local.xml')
    writeFileSync(path, RSS_VI)
    const outcome = await one({ id: 'local', url: pathToFileURL(path).href })
    expect(outcome).toMatchObject({ status: 'ok', result: { text: RSS_VI } })
    const again = await one({ id: 'local', url: pathToFileURL(path).href }, outcome.state)
    expect(again.status).toBe('unchanged')
  })

  it('refuses a file: URL that only the stored state points at', async () => {
    server.route('/web', serve(RSS_VI))
    const outcome = await one(source('web', '/web'), { key: 'web', url: 'file:///etc/passwd' })
    expect(outcome.error?.code).toBe('ERR_FETCH_UNSUPPORTED_URL')
  })

  it('validates its options once', async () => {
    await expect(fetchSources([], { perHost: 0 })).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      path: 'fetch.perHost',
    })
  })
})

describe('fetchSources memory', () => {
  it('hands bodies to onOutcome and does not keep them in the resolved outcomes', async () => {
    server.route('/body', serve(RSS_VI))
    const texts: (string | undefined)[] = []
    const [outcome] = await fetchSources([{ source: source('body', '/body') }], {
      ...opts,
      onOutcome: (o) => void texts.push(o.result?.text),
    })
    expect(texts).toEqual([RSS_VI])
    expect(outcome!.result).toMatchObject({ status: 'ok', httpStatus: 200 })
    expect(outcome!.result!.text).toBeUndefined()
    expect(outcome!.result!.bytes).toBeUndefined()
  })
})
