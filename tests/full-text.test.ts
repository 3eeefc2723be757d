/**
 * Full text through the whole pipeline: a teaser-only feed (section title as channel title, one-sentence
 * descriptions with a thumbnail, no bylines), its article pages on a real loopback server, a real SQLite store.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aggregate, createAggregator } from '../src/aggregator.js'
import type { AggregatorOptions } from '../src/options.js'
import { createSqliteStore } from '../src/store/index.js'
import { serve, startServer, type TestServer } from './helpers/server.js'
import { tempDir } from './helpers/tmp.js'

const fixture = (name: string) => readFileSync(new URL(`fixtures/extract/${name}`, import.meta.url), 'utf8')
const expected = (name: string) =>
  JSON.parse(fixture(`${name}.expected.json`)) as { lead: string; paragraphs: string[]; boilerplate: string[] }

const PAGES = ['vnexpress', 'dantri', 'tuoitre'] as const

/** A VnExpress-shaped teaser feed: one item per page, plus one whose page fails. */
function teaserFeed(
  origin: string,
  build = 'Mon, 07 Dec 2026 08:00:00 +0700',
  extra: string[] = [],
  names: string[] = [...PAGES, ...extra],
): string {
  const items = names.map(
    (name, i) => `<item>
      <title>Bài ${i + 1}: ${name}</title>
      <link>${origin}/bai/${name}.html</link>
      <guid>${origin}/bai/${name}.html</guid>
      <pubDate>Mon, 07 Dec 2026 0${i + 1}:00:00 +0700</pubDate>
      <description><![CDATA[<a href="${origin}/bai/${name}.html"><img src="${origin}/thumb/${name}.jpg"></a></br>Một câu giới thiệu ngắn của bài ${name}...]]></description>
    </item>`,
  )
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
    <title>Tin mới nhất - VnExpress RSS</title><link>${origin}/</link><description>VnExpress RSS</description>
    <lastBuildDate>${build}</lastBuildDate>${items.join('\n')}</channel></rss>`
}

const html = (body: string) => serve(body, { 'content-type': 'text/html; charset=utf-8' })

let server: TestServer
const pageHits = () => server.requests.filter((r) => r.url.startsWith('/bai/')).map((r) => r.url)

beforeAll(async () => {
  server = await startServer({
    '/robots.txt': serve('User-agent: *\nDisallow: /private/\n', { 'content-type': 'text/plain' }),
    '/bai/broken.html': (_req, res) => void res.writeHead(500, { 'content-type': 'text/html' }).end('oops'),
  })
  for (const name of PAGES) server.route(`/bai/${name}.html`, html(fixture(`${name}.html`)))
})
afterAll(() => server.close())

/** The shipped rules are keyed by the real hosts; on loopback the config's rules name 127.0.0.1's pages. */
function options(dir: string, extra: Partial<AggregatorOptions> = {}): AggregatorOptions {
  return {
    sources: [{ id: 'vne', url: `${server.origin}/rss/tin-moi-nhat.rss` }],
    fetch: { allowHosts: [server.host], minHostInterval: 0, retries: 0 },
    feed: { title: 'Tổng hợp', link: 'https://example.com/' },
    outputs: [{ path: join(dir, 'merged.json'), format: 'json' }],
    retention: { days: 0 },
    rules: {
      extract: [
        {
          host: '127.0.0.1',
          body: 'article.fck_detail, .singular-content, .detail-content',
          lead: 'p.description, .singular-sapo, .detail-sapo',
        },
      ],
    },
    ...extra,
  }
}

const published = (dir: string) =>
  (
    JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8')) as {
      items: {
        url: string
        content_text?: string
        content_html?: string
        summary?: string
        authors?: { name: string }[]
      }[]
    }
  ).items

describe('full text from article pages', () => {
  it('republishes the whole article of a teaser, lead once, no boilerplate, the feed title as no author', async () => {
    server.route('/rss/tin-moi-nhat.rss', serve(teaserFeed(server.origin)))
    const dir = tempDir()
    const report = await aggregate(options(dir))
    const outcome = report.sources[0]!
    expect(outcome.status).toBe('ok')
    expect(outcome.pages).toMatchObject({ fetched: 3, extracted: 3, reused: 0, failed: 0 })
    const items = published(dir)
    expect(items).toHaveLength(3)
    for (const name of PAGES) {
      const item = items.find((i) => i.url.endsWith(`/bai/${name}.html`))!
      const want = expected(name)
      const body = item.content_html ?? ''
      // every paragraph of the article, the lead once
      for (const p of want.paragraphs.slice(1, 3)) expect(body).toContain(p.slice(0, 40))
      expect(body.split(want.lead.slice(0, 40)).length - 1).toBeLessThanOrEqual(1)
      for (const b of want.boilerplate) expect(body).not.toContain(b)
      expect(body).not.toContain('Một câu giới thiệu ngắn')
      expect(body).not.toMatch(/<script|onerror=|javascript:/i)
      // the sapo is the summary; the section title is nobody's byline
      // (without a leading dateline such as `(Dân trí) - `, which is credit data)
      expect(item.summary!.length).toBeGreaterThan(40)
      expect(want.lead.endsWith(item.summary!)).toBe(true)
      expect(JSON.stringify(item.authors ?? [])).not.toContain('Tin mới nhất')
    }
  })

  it('fetches a page once across runs (SQLite), and keeps the teaser of a page that fails, retried after a back-off', async () => {
    const dir = tempDir()
    const path = join(dir, 'state.sqlite')
    server.route(
      '/rss/tin-moi-nhat.rss',
      serve(teaserFeed(server.origin, 'Mon, 07 Dec 2026 08:00:00 +0700', ['broken'])),
    )
    const hitsBefore = pageHits().length
    let now = new Date('2026-12-07T03:00:00Z')
    const run = async () => {
      const store = createSqliteStore({ path })
      const aggregator = createAggregator(options(dir, { store, now: () => now }))
      try {
        return await aggregator.run()
      } finally {
        await aggregator.close()
        await store.close()
      }
    }
    const first = await run()
    expect(first.sources[0]!.pages).toMatchObject({ fetched: 4, extracted: 3, failed: 1 })
    expect(first.sources[0]!.warnings.map((w) => w.code)).toContain('ERR_FETCH_HTTP_STATUS')
    const broken = published(dir).find((i) => i.url.endsWith('/bai/broken.html'))!
    expect(broken.content_html ?? broken.content_text).toContain('Một câu giới thiệu ngắn')
    expect(pageHits().length - hitsBefore).toBe(4)

    // the feed changes (a new build date): the extracted pages are rebuilt from the store, the failed one waits
    server.route(
      '/rss/tin-moi-nhat.rss',
      serve(teaserFeed(server.origin, 'Mon, 07 Dec 2026 09:00:00 +0700', ['broken'])),
    )
    now = new Date('2026-12-07T04:00:00Z')
    const second = await run()
    expect(second.sources[0]!.pages).toMatchObject({ fetched: 0, reused: 3, extracted: 3, skipped: 1 })
    expect(pageHits().length - hitsBefore).toBe(4)
    expect(second.stories.updated).toBe(0)

    // past the back-off (6 hours) the failed page is tried again, and only it
    server.route(
      '/rss/tin-moi-nhat.rss',
      serve(teaserFeed(server.origin, 'Mon, 07 Dec 2026 16:00:00 +0700', ['broken'])),
    )
    now = new Date('2026-12-07T10:00:00Z')
    const third = await run()
    expect(third.sources[0]!.pages).toMatchObject({ fetched: 1, reused: 3, failed: 1 })
    expect(pageHits().slice(hitsBefore + 4)).toEqual(['/bai/broken.html'])
  })

  for (const answer of ['unchanged', 'not-modified'] as const) {
    it(`retries a failed page once its back-off is due although the feed is ${answer}, and re-emits its item`, async () => {
      const dir = tempDir()
      const path = join(dir, 'state.sqlite')
      const feed = teaserFeed(server.origin, 'Mon, 07 Dec 2026 08:00:00 +0700', ['flaky'])
      const conditional: string[] = []
      server.route('/rss/tin-moi-nhat.rss', (req, res) => {
        const validator = req.headers['if-none-match']
        conditional.push(validator ?? '')
        if (answer === 'not-modified' && validator === '"v1"') return void res.writeHead(304).end()
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"' }).end(feed)
      })
      server.route('/bai/flaky.html', (_req, res) => void res.writeHead(503, { 'content-type': 'text/html' }).end())
      const flakyBefore = pageHits().filter((u) => u === '/bai/flaky.html').length
      const flakyHits = () => pageHits().filter((u) => u === '/bai/flaky.html').length - flakyBefore
      let now = new Date('2026-12-07T03:00:00Z')
      const run = async () => {
        const store = createSqliteStore({ path })
        const aggregator = createAggregator(options(dir, { store, now: () => now }))
        try {
          return await aggregator.run()
        } finally {
          await aggregator.close()
          await store.close()
        }
      }
      const first = await run()
      expect(first.sources[0]!.pages).toMatchObject({ fetched: 4, failed: 1 })
      expect(flakyHits()).toBe(1)

      // before the back-off ends: the feed answers as usual, nothing is retried
      now = new Date('2026-12-07T05:00:00Z')
      const early = await run()
      expect(early.sources[0]!.status).toBe(answer)
      expect(early.sources[0]!.pages).toBeUndefined()
      expect(flakyHits()).toBe(1)

      // past it: the feed is asked for without validators, the page is fetched again and the item gets its article
      server.route('/bai/flaky.html', html(fixture('vnexpress.html')))
      now = new Date('2026-12-07T10:00:00Z')
      const due = await run()
      expect(conditional.at(-1)).toBe('')
      expect(due.sources[0]!.status).toBe('unchanged')
      expect(due.sources[0]!.pages).toMatchObject({ fetched: 1, extracted: 4, reused: 3, failed: 0 })
      expect(flakyHits()).toBe(2)
      expect(due.stories.updated).toBe(1)
      const flaky = published(dir).find((i) => i.url.endsWith('/bai/flaky.html'))!
      expect(flaky.content_html).toContain(expected('vnexpress').paragraphs[1]!.slice(0, 40))

      // nothing left due: validators again, no page fetched
      now = new Date('2026-12-07T20:00:00Z')
      const after = await run()
      expect(after.sources[0]!.status).toBe(answer)
      expect(conditional.at(-1)).toBe('"v1"')
      expect(flakyHits()).toBe(2)
    })
  }

  it('forgets the page states of links no feed listed for keepPagesMs, over several runs (SQLite)', async () => {
    const dir = tempDir()
    const path = join(dir, 'state.sqlite')
    const DAY = 86_400_000
    const t0 = Date.parse('2026-12-07T03:00:00Z')
    let now = new Date(t0)
    const feedOf = (build: string, names: string[]) =>
      server.route('/rss/tin-moi-nhat.rss', serve(teaserFeed(server.origin, build, [], names)))
    const keys = ['vnexpress', 'dantri', 'tuoitre', 'broken'].map((n) => `page:${server.origin}/bai/${n}.html`)
    const run = async () => {
      const store = createSqliteStore({ path })
      const aggregator = createAggregator(options(dir, { store, now: () => now, extract: { keepPagesMs: 20 * DAY } }))
      try {
        const report = await aggregator.run()
        const kept = [...(await store.getSourceStates(keys)).keys()].map((k) => k.replace(/^.*\/bai\/|\.html$/g, ''))
        return { report, kept: kept.sort() }
      } finally {
        await aggregator.close()
        await store.close()
      }
    }
    const hitsBefore = pageHits().length
    feedOf('Mon, 07 Dec 2026 08:00:00 +0700', ['vnexpress', 'dantri', 'tuoitre', 'broken'])
    const first = await run()
    expect(first.report.sources[0]!.pages).toMatchObject({ fetched: 4, extracted: 3, failed: 1 })
    expect(first.kept).toEqual(['broken', 'dantri', 'tuoitre', 'vnexpress'])

    // ten days on, tuoitre and broken have left the feed: their states stay (not 20 days yet)
    now = new Date(t0 + 10 * DAY)
    feedOf('Thu, 17 Dec 2026 08:00:00 +0700', ['vnexpress', 'dantri'])
    const second = await run()
    expect(second.report.sources[0]!.pages).toMatchObject({ fetched: 0, reused: 2 })
    expect(second.kept).toEqual(['broken', 'dantri', 'tuoitre', 'vnexpress'])

    // 25 days: the links the feed still lists were seen 15 days ago and stay; the others go
    now = new Date(t0 + 25 * DAY)
    feedOf('Fri, 01 Jan 2027 08:00:00 +0700', ['vnexpress', 'dantri'])
    const third = await run()
    expect(third.kept).toEqual(['dantri', 'vnexpress'])

    // 60 days: still listed, so still kept (seen again each run), and never fetched again
    now = new Date(t0 + 60 * DAY)
    feedOf('Fri, 05 Feb 2027 08:00:00 +0700', ['vnexpress', 'dantri'])
    const fourth = await run()
    expect(fourth.report.sources[0]!.pages).toMatchObject({ fetched: 0, reused: 2 })
    expect(fourth.kept).toEqual(['dantri', 'vnexpress'])
    expect(pageHits().length - hitsBefore).toBe(4)

    // a forgotten link that comes back is fetched once more
    now = new Date(t0 + 61 * DAY)
    feedOf('Sat, 06 Feb 2027 08:00:00 +0700', ['vnexpress', 'dantri', 'tuoitre'])
    const fifth = await run()
    expect(fifth.report.sources[0]!.pages).toMatchObject({ fetched: 1, reused: 2 })
    expect(fifth.kept).toEqual(['dantri', 'tuoitre', 'vnexpress'])
  })

  it('honours robots.txt and the page budget, leaving those items as the feed gave them', async () => {
    server.route('/rss/tin-moi-nhat.rss', serve(teaserFeed(server.origin)))
    server.route('/robots.txt', serve('User-agent: *\nDisallow: /bai/dantri\n', { 'content-type': 'text/plain' }))
    try {
      const dir = tempDir()
      const report = await aggregate(options(dir, { extract: { pagesPerRun: 1 } }))
      const codes = report.sources[0]!.warnings.map((w) => w.code)
      expect(codes).toContain('ERR_PAGE_ROBOTS')
      expect(codes).toContain('ERR_PAGE_BUDGET')
      expect(report.sources[0]!.pages).toMatchObject({ fetched: 1, extracted: 1 })
      expect(published(dir)).toHaveLength(3)
    } finally {
      server.route('/robots.txt', serve('User-agent: *\nDisallow: /private/\n', { 'content-type': 'text/plain' }))
    }
  })

  it('fetches nothing with fullText "never" (config-wide or per source), and everything with "always"', async () => {
    server.route('/rss/tin-moi-nhat.rss', serve(teaserFeed(server.origin)))
    const before = pageHits().length
    const never = await aggregate(options(tempDir(), { extract: { fullText: 'never' } }))
    expect(never.sources[0]!.pages).toBeUndefined()
    const perSource = await aggregate(
      options(tempDir(), { sources: [{ id: 'vne', url: `${server.origin}/rss/tin-moi-nhat.rss`, fullText: 'never' }] }),
    )
    expect(perSource.sources[0]!.pages).toBeUndefined()
    expect(pageHits().length).toBe(before)
    // a long description is no teaser for `auto`; `always` fetches it anyway
    const long = teaserFeed(server.origin).replace(
      /Một câu giới thiệu ngắn của bài \w+\.\.\./g,
      'Một đoạn dài. '.repeat(60),
    )
    server.route('/rss/tin-moi-nhat.rss', serve(long))
    const auto = await aggregate(options(tempDir()))
    expect(auto.sources[0]!.pages).toBeUndefined()
    const always = await aggregate(options(tempDir(), { extract: { fullText: 'always' } }))
    expect(always.sources[0]!.pages).toMatchObject({ fetched: 3 })
  })

  it("requests the next feed of a host while the previous feed's pages are still being extracted", async () => {
    // feed "slow": one teaser whose page no rule or layout names, with a long list beside the article: Readability
    // takes a while on it (in the worker); feed "next", on the same host (perHost 1), waits only for its pages
    const list = Array.from({ length: 3_000 }, (_, k) => `<li><a href="/tin-${k}.html">Tin liên quan số ${k}</a></li>`)
    const paragraphs = Array.from(
      { length: 40 },
      (_, k) =>
        `<p>Đoạn ${k}: người dân trong tỉnh tiếp tục khắc phục hậu quả mưa lũ, chính quyền hỗ trợ kinh phí.</p>`,
    )
    server.route(
      '/bai/slow.html',
      html(`<html><body><ul>${list.join('')}</ul><div class="story">${paragraphs.join('')}</div></body></html>`),
    )
    server.route('/rss/slow.rss', serve(teaserFeed(server.origin, undefined, [], ['slow'])))
    server.route('/rss/next.rss', serve(teaserFeed(server.origin, undefined, [], ['vnexpress'])))
    const arrivals: number[] = []
    const seen = server.requests.length
    const at = new Map<string, number>()
    server.server.on('request', (req) => {
      if (req.url === '/rss/next.rss') arrivals.push(performance.now())
    })
    const report = await aggregate(
      options(tempDir(), {
        sources: [
          { id: 'slow', url: `${server.origin}/rss/slow.rss` },
          { id: 'next', url: `${server.origin}/rss/next.rss` },
        ],
        fetch: { allowHosts: [server.host], minHostInterval: 0, retries: 0, perHost: 1 },
        threads: 1,
        onProgress: ({ outcome }) => void at.set(outcome.id, performance.now()),
      }),
    )
    expect(report.sources.map((o) => [o.id, o.status, o.pages?.fetched])).toEqual([
      ['slow', 'ok', 1],
      ['next', 'ok', 1],
    ])
    expect(server.requests.slice(seen).map((r) => r.url)).toEqual(
      expect.arrayContaining(['/rss/slow.rss', '/bai/slow.html', '/rss/next.rss', '/bai/vnexpress.html']),
    )
    // "next" was asked for before "slow" was done (its page extracted, its articles written)
    expect(arrivals).toHaveLength(1)
    expect(arrivals[0]!).toBeLessThan(at.get('slow')!)
  })

  it('gives the same articles with worker threads as in the main thread', async () => {
    server.route('/rss/tin-moi-nhat.rss', serve(teaserFeed(server.origin)))
    const a = tempDir()
    const b = tempDir()
    await aggregate(options(a, { threads: 0 }))
    await aggregate(options(b, { threads: 1 }))
    const strip = (items: ReturnType<typeof published>) => items.map((i) => ({ ...i, date_modified: undefined }))
    expect(strip(published(b))).toEqual(strip(published(a)))
  })
})
