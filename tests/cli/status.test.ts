/**
 * `tonghop status` over the health real runs left in an SQLite store (a loopback server, a clock moved by days).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAggregator } from '../../src/aggregator.js'
import { statusCommand } from '../../src/cli/status.js'
import { rssFeed } from '../helpers/feeds.js'
import { serve, startServer, type TestServer } from '../helpers/server.js'
import { tempDir } from '../helpers/tmp.js'

const DAY = 86_400_000
const T0 = Date.UTC(2026, 2, 1, 2, 0, 0) // 01/03/2026 09:00 in Vietnam

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

async function status(config: string, nowMs: number, ...args: string[]) {
  let out = ''
  const code = await statusCommand(
    args.find((a) => !a.startsWith('--')),
    {
      config,
      now: () => new Date(nowMs),
      write: (text) => {
        out += text
      },
      quiet: true,
      ...(args.includes('--json') ? { json: true } : {}),
      ...(args.includes('--all') ? { all: true } : {}),
    },
  )
  return { code, out }
}

describe('tonghop status', () => {
  it('puts a feed failing for three runs first, drops it once it recovers, and flags a daily feed gone quiet', async () => {
    const dir = tempDir()
    let day = 0
    let broken = true
    const goodDays = 4 // `good` publishes one item a day for its first 4 days, then nothing new
    server.route('/good.rss', (req, res) => {
      const n = Math.min(day, goodDays - 1) + 1
      const items = Array.from({ length: n }, (_, i) => ({ n: i, published: new Date(T0 + i * DAY - 3_600_000) }))
      serve(rssFeed(server.origin, 'good', items))(req, res)
    })
    server.route('/weekly.rss', serve(rssFeed(server.origin, 'weekly', [{ n: 300, published: new Date(T0) }])))
    server.route('/broken.rss', (req, res) => {
      if (broken) res.writeHead(500).end('oops')
      else serve(rssFeed(server.origin, 'broken', [{ n: 700, published: new Date(T0) }]))(req, res)
    })
    const config = join(dir, 'tonghop.config.json')
    const data = {
      sources: [
        { id: 'good', url: `${server.origin}/good.rss` },
        { id: 'weekly', url: `${server.origin}/weekly.rss` },
        { id: 'broken', url: `${server.origin}/broken.rss` },
      ],
      store: { sqlite: 'state.sqlite' },
      fetch: { allowHosts: [server.host], minHostInterval: 0, retries: 0 },
      retention: { days: 0 },
    }
    writeFileSync(config, JSON.stringify(data))
    const run = async () => {
      const aggregator = createAggregator({ ...data, baseDir: dir, now: () => new Date(T0 + day * DAY) })
      try {
        await aggregator.run()
      } finally {
        await aggregator.close()
      }
    }

    for (; day < 3; day++) await run()
    const failing = await status(config, T0 + 2 * DAY + 60_000)
    expect(failing.code).toBe(3)
    const lines = failing.out.trim().split('\n')
    expect(lines[0]).toMatch(/^SOURCE\s+STATE\s+SINCE/)
    expect(lines[1]).toMatch(/^broken\s+failing ×3\s+01\/03\/2026 09:00\s.*ERR_FETCH_HTTP_STATUS 500/)
    expect(lines.at(-1)).toBe('1 of 3 sources failing or stale')
    const json = JSON.parse((await status(config, T0 + 2 * DAY, '--json')).out)
    expect(json.sources.map((s: { id: string }) => s.id)).toEqual(['broken'])
    expect(json.sources[0].health.failingSince).toEqual({
      at: new Date(T0).toISOString(),
      code: 'ERR_FETCH_HTTP_STATUS',
      httpStatus: 500,
    })

    broken = false
    await run()
    day++
    const recovered = await status(config, T0 + 3 * DAY + 60_000)
    expect(recovered).toEqual({ code: 0, out: '3 sources: all healthy\n' })
    expect((await status(config, T0 + 3 * DAY, '--all')).out).toMatch(/\nbroken\s+ok\s/)

    for (; day < 7; day++) await run() // `good` has nothing new after its 4th day; `weekly` never had much
    const stale = await status(config, T0 + 6 * DAY + 60_000)
    expect(stale.code).toBe(3)
    expect(stale.out).toMatch(/^good\s+stale\s+04\/03\/2026 09:00\s.*no new item for 3 days$/m)
    expect(stale.out).not.toMatch(/weekly/)

    const one = await status(config, T0 + 6 * DAY + 60_000, 'broken')
    expect(one.code).toBe(0)
    expect(one.out).toMatch(/^ {2}01\/03\/2026 09:00 {2}failed ERR_FETCH_HTTP_STATUS HTTP 500$/m)
    expect(one.out).toMatch(/^ {2}04\/03\/2026 09:00 {2}ok HTTP 200 \+1$/m)
    expect((await status(config, T0, 'nope')).code).toBe(2)
  })
})
