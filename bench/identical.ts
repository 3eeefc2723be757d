/**
 * Byte-identical check (issue 19): a sha256 over every output of the shared corpus — each feed through parseFeed
 * and normalizeFeed (articles, skipped, warnings), then the RSS, Atom and JSON Feed renderers over all articles —
 * plus extractArticle over the extract fixtures and resolveOptions over the example config. A refactor that keeps
 * behaviour prints the same hash before and after.
 *
 *   node --import tsx bench/identical.ts [--feeds 200] [--items 50] [--verbose]
 *
 * `--verbose` prints one hash per part, to find which part moved.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { extractArticle } from '../src/extract/index.js'
import { normalizeFeed } from '../src/normalize/index.js'
import { resolveOptions } from '../src/options.js'
import { parseFeed } from '../src/parse/index.js'
import { renderFeed } from '../src/publish/index.js'
import type { Article } from '../src/types.js'
import { fixtures } from '../tests/helpers/extract-fixtures.js'
import { ensureCorpus } from './corpus.js'

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '200' },
    items: { type: 'string', default: '50' },
    verbose: { type: 'boolean', default: false },
  },
})
const { files } = ensureCorpus(Number(values.feeds), Number(values.items))
const NOW = Date.UTC(2026, 10, 15, 3, 0, 0)

const total = createHash('sha256')
const parts: Record<string, ReturnType<typeof createHash>> = {}
function put(part: string, text: string): void {
  parts[part] ??= createHash('sha256')
  parts[part].update(text).update('\0')
  total.update(part).update('\0').update(text).update('\0')
}

const articles: Article[] = []
for (const [i, f] of files.entries()) {
  const feed = await parseFeed(readFileSync(f.path), { ...(f.url === undefined ? {} : { url: f.url }) })
  put('parse', JSON.stringify(feed))
  const url = f.url ?? `https://feed${i}.example.vn/rss`
  const result = normalizeFeed(feed, {
    source: { id: `s${i}`, url, name: `Nguồn ${i}`, ...(i % 3 === 0 ? { credit: 'Báo Thái Bình' } : {}) },
    now: () => new Date(NOW),
  })
  put('normalize', JSON.stringify(result))
  articles.push(...result.articles)
}

for (const format of ['rss', 'atom', 'json'] as const) {
  put(
    format,
    renderFeed(articles, {
      format,
      title: 'Tổng hợp',
      link: 'https://example.vn/',
      feedUrl: `https://example.vn/feed.${format}`,
      description: 'Tin tổng hợp',
      language: 'vi',
      limit: 0,
    }),
  )
}

for (const fixture of fixtures()) {
  put('extract', JSON.stringify(extractArticle(fixture.html, { url: fixture.expected.url })))
}

const configFile = fileURLToPath(new URL('../examples/tonghop.config.json', import.meta.url))
const options = resolveOptions(JSON.parse(readFileSync(configFile, 'utf8')), { file: configFile })
put(
  'options',
  JSON.stringify(options, (_k, v) => (typeof v === 'function' ? `[fn ${v.length}]` : v)),
)

if (values.verbose) for (const [name, h] of Object.entries(parts)) console.log(`${name}\t${h.digest('hex')}`)
console.log(`${files.length} feeds, ${articles.length} articles\nsha256 ${total.digest('hex')}`)
