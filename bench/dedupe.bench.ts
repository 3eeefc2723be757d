/**
 * Issue 5's dedupe benchmark. Run: `node --import tsx bench/dedupe.bench.ts [--no-1m] [--reps 3]`, or just the 1M
 * SQLite row: `--only-1m [--db <path>]` (see KEEP_DB).
 *
 * - 10k corpus: the shared corpus (ensureCorpus 200×50) read through the real `parseFeed` + `normalizeFeed`,
 *   deduplicated into a memory and an SQLite store one batch of 50 at a time (the fill: add() + tx.write), then 10k
 *   NEW articles (synthetic, 10% of them copies of stored articles) are checked against the filled store (add() and
 *   writes in a transaction that is rolled back, so every repetition sees the same N stored).
 * - 10k / 100k / 1M synthetic: articles generated in memory (3 paragraphs, ~120 words; the corpus files would be
 *   6.7 GB at 1M, and reading the 100k corpus through parse + normalize alone takes minutes here — pass
 *   `--corpus-100k` to add that row too), records built by a fresh deduper and inserted in chunks of 10k (the fill),
 *   then the same 10k-new check.
 * - Each check is measured twice: add() making each article's fingerprints (a library user's plain call), and add()
 *   given them made beforehand (`prepareArticles`), as in `tonghop run`, where the feed worker makes them beside
 *   parsing.
 * - Baseline: naive all-pairs comparison (every article's fingerprint against every other) at 10k, same run.
 * - Quality: pairwise precision / recall / F1 on the 10k corpus's duplicates.jsonl ground truth.
 */
import { readFileSync, rmSync, statSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { compare } from '../src/dedupe/compare.js'
import { analyse } from '../src/dedupe/fingerprint.js'
import { createDeduper, foldUrl, prepareArticles } from '../src/dedupe/index.js'
import { DEDUPE_DEFAULTS } from '../src/dedupe/options.js'
import { normalizeFeed } from '../src/normalize/index.js'
import { parseFeed } from '../src/parse/index.js'
import { createMemoryStore, createSqliteStore, type StateStore } from '../src/store/index.js'
import type { Article } from '../src/types.js'
import { ensureCorpus, median, rng } from './corpus.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const args = process.argv.slice(2)
const has = (flag: string) => args.includes(flag)
const RUN_START = performance.now()
const REPS = Number(args[args.indexOf('--reps') + 1]) || 3
const CHECK = 10_000
const BATCH = 50
/**
 * Every SQLite store here gets a 256 MiB page cache: what the store's default gives a file of 3 GiB or more, as the
 * 1M store is (smaller files get less, down to 64 MiB); `--cache-kib <n>` measures another size.
 */
const SQLITE_CACHE_KIB = args.includes('--cache-kib') ? Number(args[args.indexOf('--cache-kib') + 1]) : 262_144

const mib = (bytes: number) => (bytes / 1048576).toFixed(0)
const rate = (n: number, ms: number) => Math.round((n * 1000) / ms)

function memory() {
  gc()
  const m = process.memoryUsage()
  return { rss: m.rss, heap: m.heapUsed }
}

// ---------------------------------------------------------------- corpus articles (real parse + normalize)
async function corpusArticles(feeds: number, items: number): Promise<{ articles: Article[]; dir: string; ms: number }> {
  const corpus = ensureCorpus(feeds, items)
  const start = performance.now()
  const articles: Article[] = []
  for (const file of corpus.files) {
    const feed = await parseFeed(readFileSync(file.path), { ...(file.url ? { url: file.url } : {}) })
    const source = { id: file.file.replace(/\..*$/, ''), url: file.url ?? `file://${file.path}` }
    const { articles: got } = normalizeFeed(feed, { source, now: () => new Date('2025-07-01T00:00:00+07:00') })
    articles.push(...got)
  }
  return { articles, dir: corpus.dir, ms: performance.now() - start }
}

// ---------------------------------------------------------------- synthetic articles
const SYLLABLES =
  'tỉnh hội nghị kinh tế phát triển nông nghiệp thủy lợi hòa bình dân vận giáo dục y đường giao thông xây dựng sản xuất lúa gạo khỏe mạnh quý thành phố huyện xã người lao động đầu tư dự án chương trình mục tiêu quốc gia năm kế hoạch ngân sách doanh nghiệp hợp tác môi trường tài nguyên văn hóa thể thao du lịch công nghệ thông tin chuyển đổi số an ninh quốc phòng cải cách hành chính chính sách xã hội giảm nghèo bền vững nước sạch điện lực cầu cảng biển rừng trồng cây ăn quả thủy sản chăn nuôi dịch bệnh trường học bệnh viện bác sĩ học sinh sinh viên thanh niên phụ nữ cựu chiến binh mặt trận tổ quốc ủy ban nhân dân hội đồng'.split(
    ' ',
  )
const PROVINCES = ['Thái Bình', 'Nam Định', 'Nghệ An', 'Hà Tĩnh', 'Quảng Bình', 'An Giang', 'Cần Thơ', 'Thanh Hóa']

const T_END = Date.parse('2025-07-01T00:00:00Z')
const SPAN = 30 * 86_400_000

/** A synthetic article: 3 paragraphs of ~40 random syllables, a province, numbers; `n` picks everything. */
function synthetic(n: number, prefix = 'syn'): Article {
  const r = rng(n * 7919 + 17)
  const word = () => SYLLABLES[Math.floor(r() * SYLLABLES.length)]!
  const para = (len: number) => Array.from({ length: len }, word).join(' ')
  const province = PROVINCES[n % PROVINCES.length]!
  const text = [
    `Ngày ${1 + (n % 28)}/${1 + (n % 12)}, tỉnh ${province} ${para(30)} đạt ${n % 997} tỷ đồng.`,
    para(40),
    `${para(35)} với ${(n * 31) % 1000} hộ dân.`,
  ]
  const url = `https://${prefix}${n % 300}.example.vn/tin/${n}.html`
  return {
    id: url,
    guid: String(n),
    url,
    title: `${province}: ${para(10)}`,
    published: new Date(T_END - Math.floor(r() * SPAN)),
    contentHtml: '',
    text,
    images: [],
    enclosures: [],
    categories: [],
    source: { id: `${prefix}-${n % 300}`, feedUrl: `https://${prefix}${n % 300}.example.vn/rss` },
  }
}

/** 10k new articles: 90% fresh synthetic, 10% copies (new URL, credit) of articles of `stored`. */
function newArticles(stored: Article[], seed: number): Article[] {
  const out: Article[] = []
  const r = rng(seed)
  for (let i = 0; i < CHECK; i++) {
    if (i % 10 === 9 && stored.length > 0) {
      const original = stored[Math.floor(r() * stored.length)]!
      const url = `https://copy${i % 50}.example.vn/bai/${seed}-${i}.html`
      out.push({
        ...original,
        id: url,
        url,
        guid: `${seed}-${i}`,
        published: new Date(original.published.getTime() + 3_600_000),
        credit: { text: 'Theo nguồn gốc' },
        source: { id: `copy-${i % 50}`, feedUrl: `https://copy${i % 50}.example.vn/rss` },
      })
    } else out.push(synthetic(10_000_000 + seed * CHECK + i, 'new'))
  }
  return out
}

// ---------------------------------------------------------------- measurements
async function fill(store: StateStore, articles: Article[]): Promise<{ ms: number; outcomes: string[] }> {
  const start = performance.now()
  const tx = await store.begin()
  const deduper = createDeduper(store, { now: () => new Date(T_END) })
  const outcomes: string[] = []
  for (let i = 0; i < articles.length; i += BATCH) {
    const { records, outcomes: got } = await deduper.add(articles.slice(i, i + BATCH))
    await tx.write({ stories: records })
    for (const o of got) outcomes.push(o.storyId)
  }
  await tx.commit()
  return { ms: performance.now() - start, outcomes }
}

/** add() 10k new articles against the store, in batches, writing through a transaction that is rolled back. */
/** CPU time of this process in ms (the work is single-threaded: SQLite runs in-thread). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/**
 * `prepared`: each batch's fingerprints are made before its add() is timed, as `tonghop run` has them made by the feed
 * worker beside parsing (prepareArticles); otherwise add() makes them.
 */
async function check(
  store: StateStore,
  fresh: Article[],
  prepared = false,
): Promise<{ ms: number; addMs: number; addCpuMs: number; joined: number }> {
  const tx = await store.begin()
  const deduper = createDeduper(store, { now: () => new Date(T_END) })
  let joined = 0
  let addMs = 0
  let addCpuMs = 0
  const start = performance.now()
  for (let i = 0; i < fresh.length; i += BATCH) {
    const batch = fresh.slice(i, i + BATCH)
    const made = prepared ? prepareArticles(batch, {}, T_END) : undefined
    const t = performance.now()
    const c = cpuMs()
    const { records, outcomes } = await deduper.add(batch, made)
    addMs += performance.now() - t
    addCpuMs += cpuMs() - c
    await tx.write({ stories: records })
    for (const o of outcomes) if (o.kind === 'duplicate') joined++
  }
  const ms = performance.now() - start
  await tx.rollback()
  return { ms, addMs, addCpuMs, joined }
}

interface Row {
  stored: string
  store: string
  source: string
  fill: string
  check: string
  checkWrite: string
  checkPrepared: string
  joined: string
  rss: string
  heap: string
}
const rows: Row[] = []

async function scale(label: string, articles: Article[], store: StateStore, source: string) {
  const before = memory()
  const filled = await fill(store, articles)
  const after = memory()
  await checkRow({
    label,
    store,
    kind: store.kind,
    source,
    stored: articles.length,
    fillMs: filled.ms,
    sample: articles,
    before,
    after,
  })
  return filled.outcomes
}

/** The 10k-new check against a filled store, REPS times, as one table row. */
async function checkRow(r: {
  label: string
  kind: string
  source: string
  stored: number
  fillMs: number
  sample: Article[]
  before: ReturnType<typeof memory>
  after: ReturnType<typeof memory>
  store: StateStore
}) {
  const times: number[] = []
  const addTimes: number[] = []
  const addCpu: number[] = []
  let joined = 0
  for (let rep = 0; rep < REPS; rep++) {
    const result = await check(r.store, newArticles(r.sample, rep + 1))
    times.push(result.ms)
    addTimes.push(result.addMs)
    addCpu.push(result.addCpuMs)
    joined = result.joined
  }
  const preparedTimes: number[] = []
  for (let rep = 0; rep < REPS; rep++)
    preparedTimes.push((await check(r.store, newArticles(r.sample, rep + 1), true)).addMs)
  rows.push({
    stored: r.label,
    store: r.kind,
    source: r.source,
    fill: Number.isNaN(r.fillMs)
      ? 'reused (--db)'
      : `${rate(r.stored, r.fillMs).toLocaleString('en')} /s (${(r.fillMs / 1000).toFixed(1)} s)`,
    check: `${rate(CHECK, median(addTimes)).toLocaleString('en')} /s (CPU ${rate(CHECK, median(addCpu)).toLocaleString('en')} /s)`,
    checkWrite: `${rate(CHECK, median(times)).toLocaleString('en')} /s`,
    checkPrepared: `${rate(CHECK, median(preparedTimes)).toLocaleString('en')} /s`,
    joined: `${joined} / ${CHECK / 10}`,
    rss: mib(r.after.rss),
    heap: `${mib(r.after.heap)} (+${mib(r.after.heap - r.before.heap)})`,
  })
  console.error(`[dedupe bench] ${r.label}: ${JSON.stringify(rows.at(-1))}`)
}

// ---------------------------------------------------------------- quality on the corpus ground truth
function quality(dir: string, articles: Article[], predicted: string[]) {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let p = parent.get(x) ?? x
    while (p !== (parent.get(p) ?? p)) p = parent.get(p) ?? p
    parent.set(x, p)
    return p
  }
  const lines = readFileSync(join(dir, 'duplicates.jsonl'), 'utf8').split('\n').filter(Boolean)
  for (const line of lines) {
    const d = JSON.parse(line) as { link: string; sourceLink: string }
    const a = find(foldUrl(d.link))
    const b = find(foldUrl(d.sourceLink))
    if (a !== b) parent.set(a, b)
  }
  const truth = articles.map((a) => find(foldUrl(a.url)))
  const pairs = (counts: Map<string, number>) => [...counts.values()].reduce((s, n) => s + (n * (n - 1)) / 2, 0)
  const count = (keys: string[]) => {
    const m = new Map<string, number>()
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1)
    return m
  }
  const tp = pairs(count(truth.map((t, i) => `${t}\u0000${predicted[i]}`)))
  const predictedPairs = pairs(count(predicted))
  const truthPairs = pairs(count(truth))
  const precision = tp / predictedPairs
  const recall = tp / truthPairs
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall), tp, predictedPairs, truthPairs }
}

// ---------------------------------------------------------------- naive all-pairs baseline
/**
 * Every article analysed, then compare()d with every earlier one (what dedupe without exact keys and LSH would do).
 * Run on the first `sample` articles; the time at `articles.length` is extrapolated by (n / sample)².
 */
function allPairs(all: Article[], sample: number): { ms: number; pairs: number; matches: number; measuredMs: number } {
  const articles = all.slice(0, sample)
  const start = performance.now()
  const prints = articles.map((a) => analyse(a).print)
  let matches = 0
  let pairs = 0
  for (let i = 0; i < prints.length; i++) {
    for (let j = 0; j < i; j++) {
      pairs++
      if (compare(prints[i]!, prints[j]!, DEDUPE_DEFAULTS).score >= DEDUPE_DEFAULTS.threshold) matches++
    }
  }
  const measuredMs = performance.now() - start
  const factor = (all.length / articles.length) ** 2
  return { ms: measuredMs * factor, pairs: Math.round(pairs * factor), matches, measuredMs }
}

// ---------------------------------------------------------------- main
/** Synthetic stored articles, filled the way the 1M store is: records built by a fresh deduper, written in chunks. */
async function fillSynthetic(store: StateStore, n: number): Promise<{ ms: number; sample: Article[] }> {
  const start = performance.now()
  const CHUNK = 10_000
  const sample: Article[] = []
  for (let base = 0; base < n; base += CHUNK) {
    const articles = Array.from({ length: Math.min(CHUNK, n - base) }, (_, i) => synthetic(base + i))
    sample.push(...articles.filter((_, i) => i % 100 === 0))
    const { records } = await createDeduper(createMemoryStore(), { now: () => new Date(T_END) }).add(articles)
    const tx = await store.begin()
    await tx.write({ stories: records })
    await tx.commit()
    if (n >= 500_000 && (base + CHUNK) % 100_000 === 0) {
      console.error(`[dedupe bench] fill ${n}: ${base + CHUNK} in ${((performance.now() - start) / 1000).toFixed(0)} s`)
    }
  }
  return { ms: performance.now() - start, sample }
}

/**
 * `--db <path>` (with --only-1m): the 1M store file, kept after the run; when it already holds the 1M stories the
 * fill is skipped (the check rolls back, so the file stays as filled): iterate on lookups without a 10-minute fill.
 */
const KEEP_DB = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined

/** The stored articles a fill of `n` keeps as the copies' sample (every 100th), without filling. */
function syntheticSample(n: number): Article[] {
  const sample: Article[] = []
  for (let i = 0; i < n; i += 100) sample.push(synthetic(i))
  return sample
}

async function syntheticRow(label: string, n: number, kind: 'memory' | 'sqlite') {
  const keep = kind === 'sqlite' && n === 1_000_000 ? KEEP_DB : undefined
  const path = keep ?? join(tmpdir(), `tonghop-dedupe-bench-${label}-${process.pid}.sqlite`)
  const store = kind === 'memory' ? createMemoryStore() : createSqliteStore({ path, cacheKiB: SQLITE_CACHE_KIB })
  await store.init()
  const before = memory()
  const reuse = keep !== undefined && (await store.findByKeys([`i:${synthetic(n - 1).id}`])).size > 0
  if (reuse) console.error(`[dedupe bench] ${label}: reusing the filled store ${path}`)
  const filled = reuse ? { ms: Number.NaN, sample: syntheticSample(n) } : await fillSynthetic(store, n)
  const after = memory()
  const size = kind === 'sqlite' ? ` (file ${mib(statSync(path).size)} MiB)` : ''
  await checkRow({
    label,
    kind,
    source: `synthetic${size}`,
    stored: n,
    fillMs: filled.ms,
    sample: filled.sample,
    before,
    after,
    store,
  })
  await store.close()
  if (keep === undefined) for (const ext of ['', '-wal', '-shm']) rmSync(path + ext, { force: true })
}

if (has('--only-1m')) {
  // just the 1M SQLite row (the slowest part), e.g. after a store change
  await syntheticRow('1M', 1_000_000, 'sqlite')
  for (const r of rows) console.log(JSON.stringify(r))
  process.exit(0)
}
const corpus10k = await corpusArticles(200, 50)
console.error(
  `[dedupe bench] 10k corpus read (parse + normalize): ${corpus10k.articles.length} articles in ${(corpus10k.ms / 1000).toFixed(1)} s`,
)
const predicted = await scale('10k', corpus10k.articles, createMemoryStore(), 'corpus 200×50')
const q = quality(corpus10k.dir, corpus10k.articles, predicted)

const sqlite10kPath = join(tmpdir(), `tonghop-dedupe-bench-10k-${process.pid}.sqlite`)
const sqlite10k = createSqliteStore({ path: sqlite10kPath, cacheKiB: SQLITE_CACHE_KIB })
await sqlite10k.init()
await scale('10k', corpus10k.articles, sqlite10k, 'corpus 200×50')
await sqlite10k.close()
for (const ext of ['', '-wal', '-shm']) rmSync(sqlite10kPath + ext, { force: true })

// the naive baseline at 10k, after the fills so it does not skew their memory figures
const NAIVE_SAMPLE = 1_500
const naive = allPairs(corpus10k.articles, NAIVE_SAMPLE)
const ours10k = await (async () => {
  const times: number[] = []
  for (let rep = 0; rep < REPS; rep++) {
    const start = performance.now()
    await fill(createMemoryStore(), corpus10k.articles)
    times.push(performance.now() - start)
  }
  return median(times)
})()
const corpus10kCount = corpus10k.articles.length
corpus10k.articles.length = 0

if (has('--corpus-100k')) {
  const corpus100k = await corpusArticles(1000, 100)
  console.error(
    `[dedupe bench] 100k corpus read: ${corpus100k.articles.length} articles in ${(corpus100k.ms / 1000).toFixed(1)} s`,
  )
  await scale('100k', corpus100k.articles, createMemoryStore(), 'corpus 1000×100')
  corpus100k.articles.length = 0
}

await syntheticRow('10k', 10_000, 'memory')
await syntheticRow('100k', 100_000, 'memory')
await syntheticRow('10k', 10_000, 'sqlite')
await syntheticRow('100k', 100_000, 'sqlite')
if (!has('--no-1m')) await syntheticRow('1M', 1_000_000, 'sqlite')

console.log(
  `\n## dedupe (${REPS} repetitions of the check, medians; check = add() of ${CHECK.toLocaleString('en')} new articles, 10% copies of stored ones, in batches of ${BATCH}, written through a transaction then rolled back)\n`,
)
console.log(
  '| stored | store | articles | fill (dedupe + write) | check 10k new vs stored | check, fingerprints made beforehand | check + writes | copies joined | RSS MiB | heap MiB |',
)
console.log('|---|---|---|---|---|---|---|---|---|---|')
for (const r of rows) {
  console.log(
    `| ${r.stored} | ${r.store} | ${r.source} | ${r.fill} | ${r.check} | ${r.checkPrepared} | ${r.checkWrite} | ${r.joined} | ${r.rss} | ${r.heap} |`,
  )
}
const naivePerSec = rate(naive.pairs, naive.ms)
console.log(`\n| 10k corpus, memory store | time | ratio |`)
console.log('|---|---|---|')
console.log(`| tonghop dedupe (exact keys + MinHash/LSH + verify), median | ${(ours10k / 1000).toFixed(2)} s | 1× |`)
console.log(
  `| naive all-pairs analyse + compare() at ${corpus10kCount.toLocaleString('en')} (${naive.pairs.toLocaleString('en')} pairs at ${naivePerSec.toLocaleString('en')} pairs/s; measured on the first ${NAIVE_SAMPLE.toLocaleString('en')}: ${(naive.measuredMs / 1000).toFixed(1)} s, ×(n/${NAIVE_SAMPLE})²) | ${(naive.ms / 1000).toFixed(1)} s | ${(naive.ms / ours10k).toFixed(1)}× slower |`,
)
console.log(
  `\nQuality on duplicates.jsonl (10k corpus, pairwise): precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}, F1 ${q.f1.toFixed(4)} (true pairs ${q.truthPairs}, predicted ${q.predictedPairs}, correct ${q.tp})`,
)
console.log(
  `Whole run: wall ${((performance.now() - RUN_START) / 1000).toFixed(0)} s, CPU ${(cpuMs() / 1000).toFixed(0)} s; load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' ',
    )} on ${availableParallelism()} cores (the machine is shared: wall rates are lower than the CPU-time ones)`,
)
