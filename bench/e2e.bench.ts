/**
 * Issue 8's end-to-end benchmark: the naive pipeline (rss-parser + feed) against `tonghop run`, on the shared corpus
 * served from a loopback server (ETag + 304), first run and steady-state run, plus `tonghop --version` cold start.
 * The naive pipeline needs an output limit (1,000 items); tonghop's first run is measured with that same limit (like
 * for like) and again with no limit (every story rendered), then a steady-state run on the no-limit store.
 *
 *   npm run build && node --import tsx bench/e2e.bench.ts [--scale 200x50,1000x100] [--reps 3]
 *
 * Each measured program runs in its own child process; CPU time comes from its own resourceUsage(), peak RSS from its
 * own VmHWM (getrusage maxrss would include this process: Linux carries it over exec).
 */
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ensureCorpus, median } from './corpus.js'

const here = dirname(fileURLToPath(import.meta.url))
/** The naive pipeline crashes (`Invalid string length`) without an output limit, so it runs with this one. */
const NAIVE_LIMIT = 1000
const root = resolve(here, '..')
const cli = join(root, 'dist/cli.js')
const measure = join(here, 'e2e/measure.mjs')

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '200x50,1000x100' }, reps: { type: 'string' } },
})

interface Sample {
  code: number
  wallMs: number
  cpuMs: number
  maxRssMiB: number
}

// The loopback server lives in this process, so children run asynchronously (spawnSync would block the server).
async function runMeasured(args: string[], env: Record<string, string> = {}): Promise<Sample & { stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tonghop-measure-'))
  const file = join(dir, 'sample.jsonl')
  const child = spawn(process.execPath, ['--import', measure, ...args], {
    env: { ...process.env, ...env, TONGHOP_BENCH_MEASURE: file },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000)
  })
  const status = await new Promise<number | null>((r) => child.on('close', (code) => r(code)))
  const r = { status, stderr }
  let sample: Sample = { code: r.status ?? -1, wallMs: Number.NaN, cpuMs: Number.NaN, maxRssMiB: Number.NaN }
  try {
    sample = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').pop()!)
  } catch {}
  rmSync(dir, { recursive: true, force: true })
  return { ...sample, code: r.status ?? sample.code, stderr: r.stderr.slice(-2000) }
}

async function serveCorpus(dir: string) {
  const cache = new Map<string, { body: Buffer; etag: string }>()
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').slice(1).split('?')[0]!
    if (!/^feed-\d+\.(rss\.xml|atom\.xml|rdf\.xml|json)$/.test(name)) {
      res.writeHead(404).end()
      return
    }
    let entry = cache.get(name)
    if (!entry) {
      const body = readFileSync(join(dir, name))
      entry = { body, etag: `"${createHash('sha1').update(body).digest('hex')}"` }
      cache.set(name, entry)
    }
    if (req.headers['if-none-match'] === entry.etag) {
      res.writeHead(304, { etag: entry.etag }).end()
      return
    }
    const type = name.endsWith('.json') ? 'application/feed+json' : 'application/xml'
    res.writeHead(200, {
      'content-type': `${type}; charset=utf-8`,
      etag: entry.etag,
      'content-length': entry.body.length,
    })
    res.end(entry.body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return { server, origin: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` }
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a')

async function benchScale(feeds: number, items: number, reps: number) {
  const corpus = ensureCorpus(feeds, items)
  const { server, origin, host } = await serveCorpus(corpus.dir)
  const work = mkdtempSync(join(tmpdir(), 'tonghop-e2e-'))
  const urls = corpus.files.map((f) => `${origin}/${f.file}`)
  const xmlUrls = corpus.files.filter((f) => f.format !== 'json').map((f) => `${origin}/${f.file}`)
  writeFileSync(join(work, 'urls.json'), JSON.stringify(xmlUrls))
  const config = {
    feed: { title: 'bench', link: 'https://example.com/' },
    sources: urls,
    fetch: { allowHosts: [host], concurrency: 8, perHost: 8, minHostInterval: 0 },
    store: { sqlite: join(work, 'state.sqlite') },
    outputs: [{ path: join(work, 'merged.xml'), format: 'rss', limit: 0 }],
  }
  writeFileSync(join(work, 'tonghop.config.json'), JSON.stringify(config))
  // Like for like with the naive pipeline, which must be given a limit (it cannot render every item).
  const limited = { ...config, outputs: [{ path: join(work, 'merged-1000.xml'), format: 'rss', limit: NAIVE_LIMIT }] }
  writeFileSync(join(work, 'tonghop-1000.config.json'), JSON.stringify(limited))
  const fresh = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(work, `state.sqlite${suffix}`), { force: true })
  }

  const naive: Sample[] = []
  const firstLimited: Sample[] = []
  const first: Sample[] = []
  const steady: Sample[] = []
  for (let i = 0; i < reps; i++) {
    const n = await runMeasured([
      join(here, 'e2e/naive.mjs'),
      join(work, 'urls.json'),
      join(work, 'naive.xml'),
      String(NAIVE_LIMIT),
    ])
    if (n.code !== 0) console.error('naive failed:', n.stderr)
    naive.push(n)
    fresh()
    const l = await runMeasured([cli, 'run', '--config', join(work, 'tonghop-1000.config.json'), '--quiet'])
    if (l.code !== 0) console.error('tonghop first run (limit) exit', l.code, l.stderr)
    firstLimited.push(l)
    fresh()
    const a = await runMeasured([cli, 'run', '--config', join(work, 'tonghop.config.json'), '--quiet'])
    if (a.code !== 0) console.error('tonghop first run exit', a.code, a.stderr)
    first.push(a)
    const b = await runMeasured([cli, 'run', '--config', join(work, 'tonghop.config.json'), '--quiet'])
    if (b.code !== 0) console.error('tonghop steady run exit', b.code, b.stderr)
    steady.push(b)
  }
  server.close()
  rmSync(work, { recursive: true, force: true })
  const m = (s: Sample[], k: keyof Sample) => median(s.map((x) => x[k]))
  const row = (name: string, s: Sample[]) =>
    `| ${feeds}×${items} | ${name} | ${fmt(m(s, 'wallMs') / 1000, 2)} | ${fmt(m(s, 'cpuMs') / 1000, 2)} | ${fmt(m(s, 'maxRssMiB'))} | ${fmt(m(s, 'wallMs') / m(naive, 'wallMs'), 2)} | ${s.map((x) => x.code).join(',')} |`
  return [
    row(`naive (rss-parser + feed, limit ${NAIVE_LIMIT})`, naive),
    row(`tonghop run (first, limit ${NAIVE_LIMIT})`, firstLimited),
    row('tonghop run (first, no output limit)', first),
    row('tonghop run (steady state, all 304)', steady),
  ]
}

const reps = values.reps ? Number(values.reps) : undefined
const rows: string[] = []
for (const scale of values.scale!.split(',')) {
  const [feeds, items] = scale.split('x').map(Number) as [number, number]
  rows.push(...(await benchScale(feeds, items, reps ?? (feeds * items > 20_000 ? 1 : 3))))
}
const cold: number[] = []
for (let i = 0; i < 7; i++) cold.push((await runMeasured([cli, '--version'])).wallMs)
console.log(`\n| corpus | pipeline | wall s (median) | CPU s | peak RSS MiB | wall ÷ naive | exit codes |`)
console.log('|---|---|---|---|---|---|---|')
for (const r of rows) console.log(r)
console.log(
  `\n\`tonghop --version\` cold start: median ${fmt(median(cold))} ms over 7 runs (in-process wall, after Node start)`,
)
const coldTotal = Array.from({ length: 7 }, () => {
  const t = performance.now()
  execFileSync(process.execPath, [cli, '--version'])
  return performance.now() - t
})
console.log(`\`node dist/cli.js --version\` whole process: median ${fmt(median(coldTotal))} ms over 7 runs`)
