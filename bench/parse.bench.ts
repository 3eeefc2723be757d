/**
 * Issue 4's parse benchmark: items/s and MB/s from bytes, on one core, on the shared corpus (200 feeds × 50 items).
 *
 *   node --import tsx --expose-gc bench/parse.bench.ts [--feeds 200] [--items 50] [--reps 5] [--no-normalize]
 *
 * Rates are computed on the process's CPU time (user + system) of each pass, which stays meaningful on a shared,
 * busy machine; the median wall time is printed next to it. All work runs on the main thread (one core).
 *
 * Files are read into Buffers first; only decode + parse is timed. Columns:
 *  (a) bare rss-parser `parseString` — the baseline (XML files only: rss-parser does not read JSON Feed);
 *  (b) tonghop `parseFeed`;
 *  (c) the floor: decode (in pieces, as parseFeed does) + htmlparser2 xmlMode tokenize with no-op handlers (JSON:
 *      JSON.parse);
 *  (d) `parseFeed` + `normalizeFeed` (when normalize/ is importable).
 * Every column is measured on the XML subset (same files as the baseline) and, for (b)–(d), on all files.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { Parser as HtmlParser } from 'htmlparser2'
import RssParser from 'rss-parser'
import { decodeBytes, decodeBytesInChunks } from '../src/internal/charset.js'
import { type ParsedFeed, parseFeed } from '../src/parse/index.js'
import type { Source } from '../src/types.js'
import { ensureCorpus, median } from './corpus.js'

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '200' },
    items: { type: 'string', default: '50' },
    reps: { type: 'string', default: '5' },
    'no-normalize': { type: 'boolean', default: false },
  },
})
const reps = Math.max(3, Number(values.reps))
const { files } = ensureCorpus(Number(values.feeds), Number(values.items))
const all = files.map((f) => ({ ...f, buffer: readFileSync(f.path) }))
const xml = all.filter((f) => f.format !== 'json')

type NormalizeFn = (feed: ParsedFeed, options: { source: Source }) => { articles: unknown[] }
let normalizeFeed: NormalizeFn | undefined
let normalizeNote = ''
if (values['no-normalize']) normalizeNote = 'skipped (--no-normalize)'
else
  try {
    const mod = (await import('../src/normalize/index.js' as string)) as { normalizeFeed?: NormalizeFn }
    normalizeFeed = mod.normalizeFeed
    if (!normalizeFeed) normalizeNote = 'src/normalize/index.ts has no normalizeFeed export'
  } catch (error) {
    normalizeNote = `normalize/ not importable: ${(error as Error).message.split('\n')[0]}`
  }

type Corpus = typeof all
type Pass = (corpus: Corpus) => Promise<number> // returns items seen

const rss = new RssParser()
const passes: Record<string, Pass> = {
  async rssParser(corpus) {
    let n = 0
    for (const f of corpus) {
      const text = decodeBytes(f.buffer).text
      const feed = await rss.parseString(text)
      n += feed.items.length
    }
    return n
  },
  async parseFeed(corpus) {
    let n = 0
    for (const f of corpus) n += (await parseFeed(f.buffer, f.url === undefined ? {} : { url: f.url })).items.length
    return n
  },
  async floor(corpus) {
    let n = 0
    for (const f of corpus) {
      if (f.format === 'json') {
        n += (JSON.parse(decodeBytes(f.buffer).text) as { items: unknown[] }).items.length
        continue
      }
      const parser = new HtmlParser(
        {
          onopentag(name) {
            if (name === 'item' || name === 'entry') n++
          },
          ontext() {},
          onclosetag() {},
        },
        { xmlMode: true, decodeEntities: false },
      )
      // decoded in pieces, as parseFeed does (see decodeBytesInChunks)
      for (const chunk of decodeBytesInChunks(f.buffer).chunks) parser.write(chunk)
      parser.end()
    }
    return n
  },
  async parseNormalize(corpus) {
    let n = 0
    for (const f of corpus) {
      const url = f.url ?? `https://example.invalid/${f.file}`
      const feed = await parseFeed(f.buffer, { url })
      n += normalizeFeed!(feed, { source: { id: f.file, url } }).articles.length
    }
    return n
  },
}

interface Row {
  label: string
  corpus: Corpus
  pass: string
  ms: number[]
  cpu: number[]
  items: number
}

const rows: Row[] = [
  { label: '(a) rss-parser parseString', corpus: xml, pass: 'rssParser', ms: [], cpu: [], items: 0 },
  { label: '(b) parseFeed', corpus: xml, pass: 'parseFeed', ms: [], cpu: [], items: 0 },
  { label: '(c) floor: decode + htmlparser2 tokenize', corpus: xml, pass: 'floor', ms: [], cpu: [], items: 0 },
  ...(normalizeFeed
    ? [{ label: '(d) parseFeed + normalizeFeed', corpus: xml, pass: 'parseNormalize', ms: [], cpu: [], items: 0 }]
    : []),
  { label: '(b) parseFeed — all files', corpus: all, pass: 'parseFeed', ms: [], cpu: [], items: 0 },
  { label: '(c) floor — all files', corpus: all, pass: 'floor', ms: [], cpu: [], items: 0 },
]

const gc = (globalThis as { gc?: () => void }).gc
// Warm-up: one pass of each on a slice, so JIT tiers are comparable.
for (const row of rows) await passes[row.pass]!(row.corpus.slice(0, 20))
for (let r = 0; r < reps; r++) {
  for (const row of rows) {
    gc?.()
    const start = process.hrtime.bigint()
    const cpuStart = process.cpuUsage()
    row.items = await passes[row.pass]!(row.corpus)
    const cpu = process.cpuUsage(cpuStart)
    row.ms.push(Number(process.hrtime.bigint() - start) / 1e6)
    row.cpu.push((cpu.user + cpu.system) / 1000)
  }
}

const bytesOf = (corpus: Corpus) => corpus.reduce((sum, f) => sum + f.buffer.byteLength, 0)
const stats = rows.map((row) => {
  const ms = median(row.cpu)
  return {
    ...row,
    median: ms,
    wall: median(row.ms),
    itemsPerSec: row.items / (ms / 1000),
    mbPerSec: bytesOf(row.corpus) / 2 ** 20 / (ms / 1000),
  }
})
const byLabel = (prefix: string, corpus: Corpus) => stats.find((s) => s.label.startsWith(prefix) && s.corpus === corpus)
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

console.log(
  `Corpus ${values.feeds}×${values.items}: ${all.length} files, ${fmt(bytesOf(all) / 2 ** 20, 1)} MiB; XML subset ${xml.length} files, ${fmt(bytesOf(xml) / 2 ** 20, 1)} MiB (rss-parser reads no JSON Feed). Median of ${reps} runs, Node ${process.version}${gc ? ', GC between runs' : ''}.\n`,
)
console.log('| pass | files | items | CPU ms (median) | wall ms (median) | items/s | MB/s |')
console.log('|---|---:|---:|---:|---:|---:|---:|')
for (const s of stats) {
  console.log(
    `| ${s.label} | ${s.corpus.length} | ${fmt(s.items)} | ${fmt(s.median)} | ${fmt(s.wall)} | ${fmt(s.itemsPerSec)} | ${fmt(s.mbPerSec, 1)} |`,
  )
}
const a = byLabel('(a)', xml)!
const b = byLabel('(b)', xml)!
const c = byLabel('(c)', xml)!
const d = byLabel('(d)', xml)
console.log('\n| ratio (items/s, XML subset) | value |')
console.log('|---|---:|')
console.log(`| (b)/(a) parseFeed vs rss-parser | ${fmt(b.itemsPerSec / a.itemsPerSec, 2)}× |`)
console.log(`| (b)/(c) parseFeed vs floor | ${fmt(b.itemsPerSec / c.itemsPerSec, 2)}× |`)
if (d) {
  console.log(`| (d)/(a) parse+normalize vs rss-parser (target ≥ 0.8×) | ${fmt(d.itemsPerSec / a.itemsPerSec, 2)}× |`)
  console.log(`| (d)/(c) parse+normalize vs floor | ${fmt(d.itemsPerSec / c.itemsPerSec, 2)}× |`)
} else {
  console.log(`| (d) parse+normalize | not measured: ${normalizeNote} |`)
}
