/**
 * Feed health as every store keeps it: real runs (a loopback server, the aggregator with the store given) write it,
 * the store gives it back the same, and assessHealth reads it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createAggregator } from '../../src/aggregator.js'
import { assessHealth, type StateStore } from '../../src/store/index.js'
import { rssFeed } from '../helpers/feeds.js'
import { serve, startServer, type TestServer } from '../helpers/server.js'

const DAY = 86_400_000
const T0 = Date.UTC(2026, 2, 1, 2, 0, 0) // 09:00 in Vietnam

export function describeHealthContract(make: () => Promise<StateStore>) {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it('remembers failures, successes, new items per day, retirement and moves across runs', async () => {
    const store = await make()
    let day = 0
    let failing = true
    const now = () => new Date(T0 + day * DAY)
    // `daily` gets a new item every day; `flaky` fails with 503 until `failing` is cleared; `gone` is 410
    server.route('/daily.rss', (_req, res) => {
      const items = Array.from({ length: day + 1 }, (_, n) => ({ n, published: new Date(T0 + n * DAY - 3_600_000) }))
      serve(rssFeed(server.origin, 'daily', items))(_req, res)
    })
    server.route('/flaky.rss', (req, res) => {
      if (failing) res.writeHead(503).end('busy')
      else serve(rssFeed(server.origin, 'flaky', [{ n: 500, published: new Date(T0) }]))(req, res)
    })
    server.route('/gone.rss', (_req, res) => void res.writeHead(410).end())
    server.route('/old.rss', (_req, res) => void res.writeHead(301, { location: '/new.rss' }).end())
    server.route('/new.rss', serve(rssFeed(server.origin, 'moved', [{ n: 900, published: new Date(T0) }])))
    const sources = [
      { id: 'daily', url: `${server.origin}/daily.rss` },
      { id: 'flaky', url: `${server.origin}/flaky.rss` },
      { id: 'gone', url: `${server.origin}/gone.rss` },
      { id: 'moved', url: `${server.origin}/old.rss` },
    ]
    const aggregator = createAggregator({
      sources,
      store,
      now,
      fetch: { allowHosts: [server.host], minHostInterval: 0, retries: 0 },
      retention: { days: 0 },
    })
    try {
      for (; day < 3; day++) await aggregator.run()
      let states = await store.getSourceStates(sources.map((s) => s.id))
      const flaky = states.get('flaky')?.health
      expect(flaky).toMatchObject({
        failures: 3,
        failingSince: { at: T0, code: 'ERR_FETCH_HTTP_STATUS', httpStatus: 503 },
        lastFailure: { at: T0 + 2 * DAY, code: 'ERR_FETCH_HTTP_STATUS', httpStatus: 503 },
        lastAttemptAt: T0 + 2 * DAY,
      })
      expect(flaky?.lastSuccessAt).toBeUndefined()
      expect(flaky?.history.map((h) => h.status)).toEqual(['failed', 'failed', 'failed'])
      const daily = states.get('daily')?.health
      expect(daily).toMatchObject({ failures: 0, lastSuccessAt: T0 + 2 * DAY, lastNewItemAt: T0 + 2 * DAY })
      expect(daily?.daily).toEqual({ '2026-03-01': 1, '2026-03-02': 1, '2026-03-03': 1 })
      expect(states.get('gone')?.health?.retired).toEqual({ at: T0 })
      expect(states.get('moved')?.health?.moved).toEqual({ to: `${server.origin}/new.rss`, at: T0 })

      let rows = assessHealth(sources, states, { now: new Date(T0 + 2 * DAY) })
      expect(rows.map((r) => [r.id, r.trouble])).toEqual([
        ['flaky', 'failing'],
        ['gone', 'retired'],
        ['moved', 'moved'],
        ['daily', undefined],
      ])
      expect(rows.find((r) => r.id === 'daily')?.itemsPerDay.slice(-3)).toEqual([1, 1, 1])

      // recovered: the streak is gone, the success and its new item are remembered
      failing = false
      await aggregator.run()
      states = await store.getSourceStates(sources.map((s) => s.id))
      expect(states.get('flaky')?.health).toMatchObject({ failures: 0, lastSuccessAt: T0 + 3 * DAY })
      expect(states.get('flaky')?.health?.failingSince).toBeUndefined()
      rows = assessHealth(sources, states, { now: now() })
      expect(rows.find((r) => r.id === 'flaky')?.trouble).toBeUndefined()
    } finally {
      await aggregator.close()
      await store.close()
    }
  })
}
