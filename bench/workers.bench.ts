/**
 * Issue 7's benchmark: the PostgreSQL store next to SQLite on the contract suite's operations, and (when the CLI
 * is built) the throughput of 1, 2 and 3 `tonghop run` workers sharing one PostgreSQL database.
 *
 *   node --import tsx bench/workers.bench.ts [--reps 5] [--stories 10000] [--workers 1,2,3] [--feeds 200] [--items 50]
 *   TONGHOP_BENCH_PG=postgres://postgres@127.0.0.1:5432/test (default)
 *
 * Part 1 — store operations, each repetition on a fresh SQLite file and a fresh PostgreSQL schema, stories shaped
 * like dedupe's (3 exact keys, 16 buckets, a ~1.5 KB body): commit 1,000 new stories (empty store, then on top of
 * `--stories`), 10k key lookups (half hits), 10k bucket lookups, getStories 1,000, listStories 1,000, and the shared-
 * store operations (claimSources 1,000, lockKeys of one 1,000-story batch) on PostgreSQL.
 *
 * Part 2 — workers: the shared corpus served by a loopback HTTP server, N `node dist/cli.js run` processes started at
 * once against one fresh schema; wall time until all have exited, feeds fetched, stories stored.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { createPostgresStore } from '../src/entries/stores-postgres.js'
import { createSqliteStore } from '../src/store/index.js'
import type { StateStore, StoryRecord } from '../src/store/types.js'
import type { Article } from '../src/types.js'
import { ensureCorpus, median } from './corpus.js'

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    stories: { type: 'string', default: '10000' },
    workers: { type: 'string', default: '1,2,3' },
    feeds: { type: 'string', default: '200' },
    items: { type: 'string', default: '50' },
    'skip-store': { type: 'boolean', default: false },
    'skip-workers': { type: 'boolean', default: false },
    /** The built CLI to run (default dist/cli.js; a private build avoids racing a concurrent `npm run build`). */
    cli: { type: 'string' },
  },
})
const PG_URL = process.env.TONGHOP_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test'
const reps = Math.max(3, Number(values.reps))
const preload = Math.max(1_000, Number(values.stories))
const root = resolve(fileURLToPath(new URL('..', import.meta.url)))

const T0 = Date.UTC(2025, 5, 1)
const BODY = Array.from(
  { length: 6 },
  (_, i) =>
    `Đoạn ${i + 1}: Sáng nay, UBND tỉnh Thái Bình tổ chức hội nghị triển khai nhiệm vụ phát triển kinh tế - xã hội, ` +
    'bảo đảm quốc phòng, an ninh; các sở, ngành, địa phương báo cáo kết quả thực hiện và đề xuất giải pháp.',
)

function article(id: string, published: Date): Article {
  return {
    id,
    url: `https://baothaibinh.com.vn/tin/${id}.html`,
    title: `Tỉnh Thái Bình triển khai nhiệm vụ năm 2025 (${id})`,
    published,
    summary: BODY[0]!,
    contentHtml: BODY.map((p) => `<p>${p}</p>`).join(''),
    text: BODY,
    images: [{ url: `https://baothaibinh.com.vn/img/${id}.jpg`, caption: 'Quang cảnh hội nghị', credit: 'Thu Thủy' }],
    enclosures: [],
    categories: ['Thời sự'],
    source: { id: 'baothaibinh', feedUrl: 'https://baothaibinh.com.vn/rss/thoi-su.rss' },
    language: 'vi',
  }
}

function record(n: number): StoryRecord {
  const id = `s${n}`
  const published = new Date(T0 + n * 1000)
  return {
    story: { id, primary: article(id, published), duplicates: [] },
    keys: [`g:baothaibinh:${n}`, `u:baothaibinh.com.vn/tin/${n}`, `h:${n.toString(16).padStart(16, '0')}`],
    buckets: Array.from({ length: 16 }, (_, b) => `b${b}:${(n * 7919 + b * 104729) % 50_000}`),
    fingerprint: { v: 1, sig: Array.from({ length: 64 }, (_, i) => (n * 31 + i) % 65_536), title: 'tinh thai binh' },
    published,
    firstSeen: published,
    lastSeen: published,
  }
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i)

async function commit(store: StateStore, records: StoryRecord[], lock = false): Promise<void> {
  const tx = await store.begin()
  if (lock) await store.lockKeys?.(records.flatMap((r) => [...r.keys, ...r.buckets]))
  await tx.write({ stories: records })
  await tx.commit()
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

type Timings = Record<string, number[]>
const push = (t: Timings, name: string, ms: number) => {
  t[name] ??= []
  t[name]!.push(ms)
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
}

async function storeOps(kind: 'sqlite' | 'postgres', t: Timings): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tonghop-bench-'))
  const schema = `tonghop_bench_${randomBytes(5).toString('hex')}`
  const store =
    kind === 'sqlite'
      ? createSqliteStore({ path: join(dir, 'state.sqlite') })
      : createPostgresStore({ connectionString: PG_URL, schema })
  try {
    await store.init()
    push(t, 'commit 1,000 new stories (empty store)', await time(() => commit(store, range(0, 1_000).map(record))))
    for (let from = 1_000; from < preload; from += 1_000) {
      await commit(store, range(from, Math.min(1_000, preload - from)).map(record))
    }
    push(
      t,
      `commit 1,000 new stories (on ${preload.toLocaleString('en')})`,
      await time(() => commit(store, range(preload, 1_000).map(record))),
    )
    const hits = range(0, 5_000).map((n) => `u:baothaibinh.com.vn/tin/${(n * 13) % preload}`)
    const misses = range(0, 5_000).map((n) => `u:elsewhere.vn/${n}`)
    let found = 0
    push(
      t,
      'findByKeys 10,000 keys (half hits)',
      await time(async () => {
        found = (await store.findByKeys([...hits, ...misses])).size
      }),
    )
    if (found !== new Set(hits).size) throw new Error(`${kind}: findByKeys found ${found}`)
    const buckets = range(0, 10_000).map((n) => `b${n % 16}:${(n * 37) % 50_000}`)
    push(t, 'findByBuckets 10,000 buckets', await time(() => store.findByBuckets(buckets, new Date(T0))))
    const ids = range(0, 1_000).map((n) => `s${(n * 7) % preload}`)
    push(t, 'getStories 1,000', await time(() => store.getStories(ids)))
    push(
      t,
      'listStories 1,000',
      await time(async () => {
        let n = 0
        for await (const _ of store.listStories({ limit: 1_000 })) n++
        if (n !== 1_000) throw new Error(`${kind}: listed ${n}`)
      }),
    )
    // an update batch: 1,000 existing stories gain a copy and a key
    const updates = range(0, 1_000).map((n) => {
      const r = record(n * 3)
      r.story.duplicates.push(article(`copy-${n}`, r.published))
      r.keys = [`u:portal.thaibinh.gov.vn/${n}`]
      return r
    })
    push(t, 'commit 1,000 story updates', await time(() => commit(store, updates)))
    if (kind === 'postgres') {
      const sources = range(0, 1_000).map((n) => `feed-${n}`)
      push(t, 'claimSources 1,000', await time(() => store.claimSources!('bench', sources, 60_000)))
      push(
        t,
        'commit 1,000 new stories with lockKeys',
        await time(() => commit(store, range(preload + 1_000, 1_000).map(record), true)),
      )
    }
    push(t, 'prune (all)', await time(() => store.prune(new Date(T0 + 10 ** 10))))
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
    if (kind === 'postgres') await dropSchema(schema)
  }
}

function fmt(ms: number | undefined): string {
  if (ms === undefined) return '—'
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)
}

async function partStore(): Promise<void> {
  const sqlite: Timings = {}
  const postgres: Timings = {}
  for (let i = 0; i < reps; i++) {
    await storeOps('sqlite', sqlite)
    await storeOps('postgres', postgres)
  }
  console.log(`\n### Store operations: PostgreSQL next to SQLite (median of ${reps}, ms)\n`)
  console.log('| operation | SQLite | PostgreSQL | PostgreSQL / SQLite |')
  console.log('|---|---:|---:|---:|')
  for (const name of new Set([...Object.keys(sqlite), ...Object.keys(postgres)])) {
    const a = sqlite[name] ? median(sqlite[name]) : undefined
    const b = postgres[name] ? median(postgres[name]) : undefined
    const ratio = a !== undefined && b !== undefined ? `${(b / a).toFixed(2)}×` : '—'
    console.log(`| ${name} | ${fmt(a)} | ${fmt(b)} | ${ratio} |`)
  }
}

// ---- part 2: workers ------------------------------------------------------------------------------------------------

async function partWorkers(): Promise<void> {
  const cli = resolve(values.cli ?? join(root, 'dist', 'cli.js'))
  const probe = existsSync(cli)
    ? spawnWait(process.execPath, [cli, '--version'], root)
    : Promise.resolve({ code: 1, out: 'dist/cli.js missing' })
  const version = await probe
  if (version.code !== 0) {
    console.log(`\n### Workers: skipped — \`node dist/cli.js --version\` failed (${version.out.trim().slice(0, 200)})`)
    return
  }
  const { files } = ensureCorpus(Number(values.feeds), Number(values.items))
  const bodies = new Map(files.map((f) => [`/${f.file}`, readFileSync(f.path)]))
  let fetched = 0
  const server = createServer((req, res) => {
    fetched++
    const body = bodies.get(new URL(req.url ?? '/', 'http://x').pathname)
    if (!body) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' }).end(body)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  const dir = mkdtempSync(join(tmpdir(), 'tonghop-workers-'))
  mkdirSync(join(dir, 'out'))
  const config = join(dir, 'tonghop.config.json')
  writeFileSync(
    config,
    JSON.stringify({
      feed: { title: 'bench', link: 'https://example.com/' },
      sources: files.map((f, i) => ({ id: `feed-${i}`, url: `http://127.0.0.1:${port}/${f.file}` })),
      fetch: { allowHosts: [`127.0.0.1:${port}`] },
      outputs: [{ path: 'out/merged.xml', format: 'rss' }],
      retention: { days: 0 }, // the corpus is dated 2025: keep its stories
    }),
  )
  const counts = (values.workers ?? '1,2,3').split(',').map(Number)
  const rows: string[] = []
  let base: number | undefined
  for (const n of counts) {
    const times: number[] = []
    const split: string[] = []
    let fetchedPerRound = 0
    let stories = 0
    for (let rep = 0; rep < Math.min(reps, 3); rep++) {
      const schema = `tonghop_bench_${randomBytes(5).toString('hex')}`
      const store = `${PG_URL}?schema=${schema}`
      // create the schema first so every worker starts on an initialised database
      const s = createPostgresStore({ connectionString: store })
      await s.init()
      await s.close()
      fetched = 0
      const t = performance.now()
      // `--worker` (several processes on one database); each does one round (long interval) and is then stopped
      const workers = range(0, n).map(() =>
        startWorker(
          process.execPath,
          [cli, 'run', '--worker', '--interval', '3600', '--config', config, '--store', store],
          dir,
        ),
      )
      const end = Date.now() + 20 * 60_000
      while (!workers.every((w) => w.finished() !== undefined) && !workers.some((w) => w.code() !== undefined)) {
        if (Date.now() > end) break
        await new Promise((r) => setTimeout(r, 100))
      }
      times.push(performance.now() - t)
      split.push(workers.map((w) => w.finished() ?? -1).join('/'))
      for (const w of workers) w.child.kill('SIGTERM')
      await Promise.all(workers.map((w) => w.exited))
      if (workers.some((w) => w.code() !== 0)) {
        console.error(`workers=${n}: exit codes ${workers.map((w) => w.code())}: ${workers[0]!.out().slice(-600)}`)
      }
      fetchedPerRound = fetched / files.length
      const c = new pg.Client({ connectionString: PG_URL })
      await c.connect()
      stories = (await c.query(`SELECT count(*)::int AS n FROM "${schema}".stories`)).rows[0].n
      await c.end()
      await dropSchema(schema)
    }
    const ms = median(times)
    base ??= ms
    rows.push(
      `| ${n} | ${fmt(ms)} | ${((files.length / ms) * 1000).toFixed(1)} | ${(base / ms).toFixed(2)}× | ${split.join(', ')} | ${fetchedPerRound.toFixed(2)} | ${stories} |`,
    )
  }
  server.close()
  rmSync(dir, { recursive: true, force: true })
  console.log(`\n### Workers: one round over ${files.length} feeds × ${values.items} items (median wall time, ms)\n`)
  console.log(
    '| workers | wall ms (start → every worker finished its round) | feeds/s | speed-up vs 1 | feeds per worker (each rep) | fetches per feed | stories stored |',
  )
  console.log('|---:|---:|---:|---:|---|---:|---:|')
  for (const row of rows) console.log(row)
}

/** A worker process; `finished()` is the `sources` count of its first finished round, once it logged one. */
function startWorker(cmd: string, args: string[], cwd: string) {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
  let out = ''
  let sources: number | undefined
  let code: number | undefined
  child.stderr?.on('data', (d) => {
    out += String(d)
    if (sources === undefined) {
      const line = out.split('\n').find((l) => l.includes('"tonghop run finished"'))
      if (line) sources = (JSON.parse(line) as { sources: number }).sources
    }
  })
  const exited = new Promise<void>((done) =>
    child.on('exit', (c) => {
      code = c ?? 1
      done()
    }),
  )
  return { child, exited, finished: () => sources, code: () => code, out: () => out }
}

function spawnWait(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    const child: ChildProcess = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout?.on('data', (d) => {
      out += String(d)
    })
    child.stderr?.on('data', (d) => {
      out += String(d)
    })
    child.on('exit', (code) => done({ code: code ?? 1, out }))
  })
}

if (!values['skip-store']) await partStore()
if (!values['skip-workers']) await partWorkers()
