/**
 * tonghop as a library: fetch, normalize, dedupe and render without the CLI.
 * Run it from a clone: `npm run build && node --import tsx examples/library.ts`
 * (in your own project: `import { aggregate, renderFeed } from 'tonghop'`).
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import {
  aggregate,
  createMemoryStore,
  dedupeArticles,
  normalizeFeed,
  parseDate,
  parseFeed,
  renderFeed,
} from '../src/index.js'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// 1. One stage alone: parse and normalize a local feed.
const xml = await readFile(here('./feeds/thaibinh-portal-tin-tong-hop.rss.xml'))
const feed = await parseFeed(xml, { url: 'https://thaibinh.gov.vn/rss/tin-tong-hop.rss' })
const source = {
  id: 'thaibinh-portal',
  url: 'https://thaibinh.gov.vn/rss/tin-tong-hop.rss',
  name: 'Cổng TTĐT tỉnh Thái Bình',
}
const { articles } = normalizeFeed(feed, { source })
const seed = articles[0]
console.log(seed?.title, seed?.published.toISOString(), seed?.credit, seed?.images[0])

// 2. Vietnamese dates: a bare day-first date is read in Vietnam time.
console.log(parseDate('10/03/2017')?.toISOString()) // 2017-03-09T17:00:00.000Z

// 3. Dedupe in memory and render a merged feed as a string.
const stories = dedupeArticles(articles)
console.log(renderFeed(stories, { format: 'json', title: 'Tổng hợp', link: 'https://example.com/' }).slice(0, 300))

// 4. The whole pipeline in one call, on local files, with an in-memory store.
const store = createMemoryStore()
const report = await aggregate({
  sources: [here('./feeds/thaibinh-portal-tin-tong-hop.rss.xml'), here('./feeds/baothaibinh-thoi-su.atom.xml')],
  store,
})
console.log(
  report.sources.map((s) => `${s.id}: ${s.status} (${s.items.new} new)`),
  report.stories,
)
await store.close()
