/**
 * The sources page: rendered from health rows (escaping, CSP, order), written by real runs beside an HTML output,
 * and checked in headless Chromium like the river page (skipped where /usr/bin/chromium is not installed).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAggregator } from '../../src/aggregator.js'
import { HTML_CSP } from '../../src/publish/html.js'
import { renderSourcesPage } from '../../src/publish/index.js'
import { createMemoryStore } from '../../src/store/index.js'
import type { SourceHealthRow } from '../../src/types.js'
import { CHROMIUM, chromium, hasChromium } from '../helpers/chromium.js'
import { rssFeed } from '../helpers/feeds.js'
import { serve, startServer, type TestServer } from '../helpers/server.js'
import { tempDir } from '../helpers/tmp.js'

const T0 = Date.UTC(2026, 2, 1, 2, 0, 0) // 01/03/2026 09:00 in Vietnam
const DAY = 86_400_000

function failingRow(extra: Partial<SourceHealthRow> = {}): SourceHealthRow {
  return {
    id: 'bao-a',
    url: 'https://bao-a.example.vn/rss',
    name: 'Báo A',
    trouble: 'failing',
    usuallyDaily: true,
    daysWithoutNewItems: 2,
    itemsPerDay: [...Array(27).fill(0), 4, 0, 0],
    health: {
      since: T0 - 5 * DAY,
      failures: 3,
      failingSince: { at: T0, code: 'ERR_FETCH_HTTP_STATUS', httpStatus: 503 },
      lastSuccessAt: T0 - DAY,
      lastNewItemAt: T0 - 2 * DAY,
      daily: {},
      history: [],
    },
    ...extra,
  }
}

describe('sources page', () => {
  it('is static and script-free, with the CSP, Vietnam times and the first failure of a failing source', () => {
    const html = renderSourcesPage(
      [
        failingRow(),
        { id: 'moi', url: 'https://moi.example.vn/rss', usuallyDaily: false, itemsPerDay: Array(30).fill(0) },
      ],
      {
        title: 'Tin Thái Bình',
        now: new Date(T0 + DAY),
        staleDays: 3,
        indexHref: 'index.html',
      },
    )
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`)
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('<td class="state">Lỗi</td>')
    expect(html).toContain(
      '3 lần liên tiếp từ <time datetime="2026-03-01T02:00:00.000Z">01/03/2026 09:00</time>: <code>ERR_FETCH_HTTP_STATUS</code> (HTTP 503)',
    )
    expect(html).toContain('<td class="state">Chưa chạy</td>')
    expect(html.indexOf('bao-a')).toBeLessThan(html.indexOf('moi.example.vn'))
    expect(html).toContain('<a href="index.html">Trang tin</a>')
    expect(html).toContain('aria-label="4 tin mới trong 30 ngày"')
  })

  it('escapes hostile names and drops links that are not http(s)', () => {
    const html = renderSourcesPage(
      [
        failingRow({
          id: 'x',
          name: '<script>alert(1)</script> & "Báo"',
          url: 'javascript:alert(1)',
          trouble: 'moved',
          health: { ...failingRow().health!, failures: 0, moved: { to: 'javascript:alert(2)', at: T0 } },
        }),
      ],
      { title: '<b>T</b>', now: new Date(T0), staleDays: 3, indexHref: 'javascript:alert(3)' },
    )
    expect(html).not.toMatch(/<script|javascript:/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Báo&quot;')
    expect(html).toContain('Tình trạng nguồn tin · &lt;b&gt;T&lt;/b&gt;')
  })
})

describe('sources page written by a run', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer({
      '/ok.rss': serve(rssFeed('https://ok.example.vn', 'ok', [{ n: 1, published: new Date(Date.now() - 3_600_000) }])),
      '/down.rss': (_req, res) => void res.writeHead(503).end(),
    })
  })
  afterAll(() => server.close())

  const run = async (dir: string) => {
    const aggregator = createAggregator({
      sources: [
        { id: 'ok', url: `${server.origin}/ok.rss`, name: 'Báo Ổn' },
        { id: 'down', url: `${server.origin}/down.rss`, name: 'Báo Hỏng' },
      ],
      store: createMemoryStore(),
      feed: { title: 'Tin tổng hợp', link: 'https://tonghop.example/' },
      outputs: [{ path: join(dir, 'index.html') }, { path: join(dir, 'merged.json') }],
      fetch: { allowHosts: [server.host], minHostInterval: 0, retries: 0 },
      extract: { fullText: 'never' }, // the items link to real sites: stay on loopback
    })
    const report = await aggregator.run()
    await aggregator.close()
    return report
  }

  it('puts sources.html beside the HTML output, the failing source first', async () => {
    const dir = tempDir()
    const report = await run(dir)
    expect(report.outputs.map((o) => o.written)).toEqual([true, true])
    const html = readFileSync(join(dir, 'sources.html'), 'utf8')
    expect(html.indexOf('Báo Hỏng')).toBeGreaterThan(0)
    expect(html.indexOf('Báo Hỏng')).toBeLessThan(html.indexOf('Báo Ổn'))
    expect(html).toMatch(/<tr class="failing">[\s\S]*?<code>ERR_FETCH_HTTP_STATUS<\/code> \(HTTP 503\)/)
    expect(html).toMatch(/<tr class="ok">[\s\S]*?Bình thường/)
  })

  describe.skipIf(!hasChromium)('in headless Chromium', () => {
    it('shows every source, the failing one first, with no script', { timeout: 120_000 }, async () => {
      const dir = tempDir('tonghop-chromium-')
      await run(dir)
      const page = join(dir, 'sources.html')
      const dom = await chromium(page, join(dir, 'profile'), ['--dump-dom', '--virtual-time-budget=3000'])
      expect(dom).toContain('Tình trạng nguồn tin · Tin tổng hợp')
      const rows = [...dom.matchAll(/<tr class="(\w+)">/g)].map((m) => m[1])
      expect(rows).toEqual(['failing', 'ok'])
      expect(dom).toContain('ERR_FETCH_HTTP_STATUS')
      expect(dom).not.toMatch(/<script/i)
    })
  })
})

it.runIf(!hasChromium)('sources page in headless Chromium: skipped, /usr/bin/chromium is not installed', () => {
  expect(spawnSync(CHROMIUM).error).toBeDefined()
})
