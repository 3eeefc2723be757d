/** A parse warning is not lost on the way: normalizeFeed's result and the run report carry it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aggregate } from '../../src/aggregator.js'
import { normalizeFeed } from '../../src/normalize/index.js'
import { parseFeed } from '../../src/parse/index.js'
import { fixture } from '../helpers/parse-fixtures.js'
import { serve, startServer, type TestServer } from '../helpers/server.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer({
    '/truncated.rss': serve(fixture('truncated.xml'), { 'content-type': 'application/rss+xml' }),
    '/no-root.rss': serve(fixture('vnexpress-no-root.xml'), { 'content-type': 'application/rss+xml' }),
  })
})
afterAll(() => server.close())

describe('parse warnings downstream', () => {
  it('normalizeFeed reports ERR_PARSE_TRUNCATED at index -1', async () => {
    const feed = await parseFeed(fixture('truncated.xml'))
    const result = normalizeFeed(feed, { source: { id: 'bth', url: 'https://baothanhhoa.vn/rss' } })
    expect(result.articles.length).toBe(feed.items.length)
    expect(result.warnings).toContainEqual({
      index: -1,
      code: 'ERR_PARSE_TRUNCATED',
      message: feed.warnings[0]?.message,
    })
  })

  it('the run report lists ERR_PARSE_TRUNCATED and ERR_PARSE_RECOVERED on the source, once each', async () => {
    const report = await aggregate({
      sources: [
        { id: 'bth', url: `${server.origin}/truncated.rss` },
        { id: 'vne', url: `${server.origin}/no-root.rss` },
      ],
      fetch: { allowHosts: [server.host], minHostInterval: 0, retries: 0 },
      extract: { fullText: 'never' }, // the items link to real sites: stay on loopback
      feed: { title: 'Tổng hợp', link: 'https://example.com/' },
      retention: { days: 0 },
    })
    const byId = Object.fromEntries(report.sources.map((s) => [s.id, s]))
    expect(byId.bth?.status).toBe('ok')
    expect(byId.bth?.warnings.filter((w) => w.code === 'ERR_PARSE_TRUNCATED')).toHaveLength(1)
    expect(byId.vne?.status).toBe('ok')
    expect(byId.vne?.items.total).toBe(25)
    expect(byId.vne?.warnings.filter((w) => w.code === 'ERR_PARSE_RECOVERED')).toHaveLength(1)
  })
})
