/**
 * fetch/ benchmark: 1,000 feeds from loopback servers that add 50 ms of latency to every response.
 *
 *   npm run build && node --import tsx bench/fetch.bench.ts [--feeds 1000] [--latency 50] [--runs 3] [--lib <path>]
 *
 * `--lib <path>` (repeatable) measures the given builds instead (e.g. one made from an earlier commit beside dist/).
 *
 * Three kinds of process, so that the figures are those of what a user runs:
 *   - this one (tsx) only starts the others and prints the table;
 *   - the servers run in a child process of their own;
 *   - the fetching side is bench/fetch/client.mjs: plain `node`, no tsx, importing the built library the way a user
 *     does: `tonghop` (dist/index.js, every stage loaded) and `tonghop/fetch` (dist/fetch.js, the fetch stage alone). Each repetition is a fresh client process that does two cron runs back to back: every feed
 *     (all 200s), then every feed again with the validators of the first run (all 304s). Its RSS once tonghop is
 *     loaded, before any fetch, is printed beside the peak (getrusage maxrss of the client: the whole process, node
 *     and tonghop included, over both runs).
 * Loopback has one host name, so two layouts are measured:
 *   - "100 hosts": 100 servers on distinct ports (distinct `host:port` keys), 10 feeds each, with the default
 *     politeness (perHost 2, minHostInterval 250 ms);
 *   - "1 host": one server, perHost = concurrency = 8 and minHostInterval 0 (per-host limits lifted).
 * Ideal bound = feeds ÷ concurrency × latency. The 304 run is latency-bound like the first (the servers add the same
 * 50 ms), so its wall time is close to the first's; its CPU time is the fraction that shows the work saved.
 */
import { execFile, fork } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { ensureCorpus, median } from './corpus.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const libs = process.argv.flatMap((value, i) => (process.argv[i - 1] === '--lib' ? [value] : []))
const entries =
  libs.length > 0
    ? libs.map((lib) => ({ name: lib, path: resolve(lib) }))
    : [
        { name: 'tonghop', path: join(root, 'dist/index.js') },
        { name: 'tonghop/fetch', path: join(root, 'dist/fetch.js') },
      ]
const client = join(here, 'fetch/client.mjs')

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}

if (process.argv[2] === 'serve') {
  await serve(Number(process.argv[3]), Number(process.argv[4]))
} else {
  await main()
}

/** Child: `serve <servers> <latency>` — answers every path with one of the corpus bodies, ETag by body. */
async function serve(servers: number, latency: number) {
  const { createServer } = await import('node:http')
  const bodies = ensureCorpus(20, 20)
    .files.filter((f) => f.format !== 'json')
    .map((f) => readFileSync(f.path))
  const ports: number[] = []
  for (let s = 0; s < servers; s++) {
    const server = createServer((req, res) => {
      const n = Number(new URL(req.url ?? '/', 'http://x').pathname.split('/').pop()) || 0
      const body = bodies[n % bodies.length]!
      const etag = `"b${n % bodies.length}"`
      setTimeout(() => {
        if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end()
        else res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body)
      }, latency)
    })
    server.keepAliveTimeout = 10_000
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    ports.push((server.address() as { port: number }).port)
  }
  process.send!({ ports })
}

interface RunFigures {
  wallMs: number
  cpuMs: number
  peakMiB: number
}
interface ClientReport {
  baselineMiB: number
  full: RunFigures
  notModified: RunFigures
}

async function main() {
  const feeds = arg('feeds', 1000)
  const latency = arg('latency', 50)
  const runs = arg('runs', 3)
  const concurrency = 8
  const ideal = (feeds / concurrency) * latency
  for (const entry of entries) {
    if (!existsSync(entry.path)) throw new Error(`${entry.path} not found: run \`npm run build\` first`)
  }
  const built = statSync(entries[0]!.path).mtimeMs
  const stale =
    libs.length === 0 &&
    ['fetch-feed.ts', 'fetch-sources.ts', 'body.ts', 'http.ts'].some(
      (f) => statSync(join(root, 'src/fetch', f)).mtimeMs > built,
    )
  if (stale) console.warn('warning: src/fetch/ is newer than dist/: run `npm run build` for current figures')

  const layouts = [
    { name: '100 hosts, perHost 2, minHostInterval 250', servers: 100, perHost: 2, minHostInterval: 250 },
    { name: '1 host, perHost 8, minHostInterval 0', servers: 1, perHost: 8, minHostInterval: 0 },
  ]
  const rows: string[] = []
  for (const layout of layouts) {
    const server = fork(fileURLToPath(import.meta.url), ['serve', String(layout.servers), String(latency)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const { ports } = await new Promise<{ ports: number[] }>((resolve) => server.once('message', resolve as never))
    const urls = Array.from({ length: feeds }, (_, i) => `http://127.0.0.1:${ports[i % ports.length]}/feed/${i}`)
    const options = {
      concurrency,
      perHost: layout.perHost,
      minHostInterval: layout.minHostInterval,
      allowHosts: ['127.0.0.1'],
      timeout: 30_000,
    }
    try {
      for (const entry of entries) {
        const reports: ClientReport[] = []
        const loads: number[] = []
        for (let r = 0; r < runs; r++) {
          loads.push(loadavg()[0]!)
          const { stdout } = await promisify(execFile)(
            process.execPath,
            [client, entry.path, JSON.stringify({ urls, options })],
            { maxBuffer: 1 << 20 },
          )
          reports.push(JSON.parse(stdout.trim().split('\n').at(-1)!) as ClientReport)
        }
        loads.push(loadavg()[0]!)
        rows.push(row(layout.name, entry.name, reports, loads, ideal))
      }
    } finally {
      server.kill()
    }
  }
  console.log(
    `\nfetchSources, built library in a fresh node process per repetition: ${feeds} feeds, ${latency} ms latency per response, concurrency ${concurrency}, median of ${runs}\n`,
  )
  console.log(
    '| layout | import | wall (200s) | ideal bound | ratio | wall (all 304) | 304 ÷ 200 | CPU (200s) | CPU (304s) | CPU 304 ÷ 200 | RSS loaded | peak RSS (each run) | load avg |',
  )
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const line of rows) console.log(line)
}

function row(layout: string, entry: string, reports: ClientReport[], loads: number[], ideal: number): string {
  const m = median(reports.map((x) => x.full.wallMs))
  const m304 = median(reports.map((x) => x.notModified.wallMs))
  const cpu = median(reports.map((x) => x.full.cpuMs))
  const cpu304 = median(reports.map((x) => x.notModified.cpuMs))
  const mib = (values: number[]) => `${median(values).toFixed(0)} MiB`
  const peaks = reports.map((x) => x.notModified.peakMiB)
  return `| ${layout} | ${entry} | ${fmt(m)} | ${fmt(ideal)} | ${(m / ideal).toFixed(2)}× | ${fmt(m304)} | ${(m304 / m).toFixed(2)} | ${fmt(cpu)} | ${fmt(cpu304)} | ${(cpu304 / cpu).toFixed(2)} | ${mib(reports.map((x) => x.baselineMiB))} | ${mib(peaks)} (${peaks.map((p) => p.toFixed(0)).join(', ')}) | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`
}

function fmt(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`
}
