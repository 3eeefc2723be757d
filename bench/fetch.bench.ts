/**
 * fetch/ benchmark: 1,000 feeds from loopback servers that add 50 ms of latency to every response.
 *
 *   node --import tsx bench/fetch.bench.ts [--feeds 1000] [--latency 50] [--runs 3]
 *
 * The servers run in a child process, so the peak RSS measured here is the fetching side only. Loopback has one
 * host name, so two layouts are measured:
 *   - "100 hosts": 100 servers on distinct ports (distinct `host:port` keys), 10 feeds each, with the default
 *     politeness (perHost 2, minHostInterval 250 ms);
 *   - "1 host": one server, perHost = concurrency = 8 and minHostInterval 0 (per-host limits lifted).
 * Ideal bound = feeds ÷ concurrency × latency. The second run of each layout sends the validators of the first:
 * every answer is a 304.
 */
import { fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { fetchSources } from '../src/fetch/index.js'
import type { SourceState } from '../src/store/types.js'
import { ensureCorpus, median } from './corpus.js'

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}

if (process.argv[2] === 'serve') {
  // Child: `serve <servers> <latency>` — answers every path with one of the corpus bodies, ETag by body.
  const servers = Number(process.argv[3])
  const latency = Number(process.argv[4])
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
    ports.push((server.address() as AddressInfo).port)
  }
  process.send!({ ports })
} else {
  await main()
}

async function main() {
  const feeds = arg('feeds', 1000)
  const latency = arg('latency', 50)
  const runs = arg('runs', 3)
  const concurrency = 8
  const ideal = (feeds / concurrency) * latency

  const layouts = [
    { name: '100 hosts, perHost 2, minHostInterval 250', servers: 100, perHost: 2, minHostInterval: 250 },
    { name: '1 host, perHost 8, minHostInterval 0', servers: 1, perHost: 8, minHostInterval: 0 },
  ]
  const rows: string[] = []
  const baselineRss = process.memoryUsage.rss()
  for (const layout of layouts) {
    const child = fork(fileURLToPath(import.meta.url), ['serve', String(layout.servers), String(latency)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const { ports } = await new Promise<{ ports: number[] }>((resolve) => child.once('message', resolve as never))
    const requests = Array.from({ length: feeds }, (_, i) => ({
      source: { id: `feed-${i}`, url: `http://127.0.0.1:${ports[i % ports.length]}/feed/${i}` },
    }))
    const options = {
      concurrency,
      perHost: layout.perHost,
      minHostInterval: layout.minHostInterval,
      allowHosts: ['127.0.0.1'],
      timeout: 30_000,
      // like the aggregator: bodies are consumed as they arrive, not held until the end
      onOutcome: () => {},
    }
    const full: number[] = []
    const notModified: number[] = []
    const rss: number[] = []
    const cpuFull: number[] = []
    const cpu304: number[] = []
    for (let r = 0; r < runs; r++) {
      const first = await measure(() => fetchSources(requests, options))
      const states = new Map<string, SourceState>(first.value.map((o) => [o.source.id, o.state]))
      const okCount = first.value.filter((o) => o.status === 'ok').length
      if (okCount !== feeds) throw new Error(`run ${r}: only ${okCount}/${feeds} ok`)
      const second = await measure(() =>
        fetchSources(
          requests.map((request) => ({ ...request, state: states.get(request.source.id)! })),
          options,
        ),
      )
      const nm = second.value.filter((o) => o.status === 'not-modified').length
      if (nm !== feeds) throw new Error(`run ${r}: only ${nm}/${feeds} not-modified`)
      full.push(first.ms)
      notModified.push(second.ms)
      cpuFull.push(first.cpuMs)
      cpu304.push(second.cpuMs)
      rss.push(Math.max(first.peakRss, second.peakRss))
    }
    child.kill()
    const m = median(full)
    const m304 = median(notModified)
    rows.push(
      `| ${layout.name} | ${fmt(m)} | ${fmt(ideal)} | ${(m / ideal).toFixed(2)}× | ${fmt(m304)} | ${(m304 / m).toFixed(2)} | ${fmt(median(cpuFull))} | ${fmt(median(cpu304))} | ${(median(rss) / 2 ** 20).toFixed(0)} MiB |`,
    )
  }
  console.log(
    `\nfetchSources: ${feeds} feeds, ${latency} ms latency per response, concurrency ${concurrency}, median of ${runs}\n`,
  )
  console.log(
    '| layout | wall (200s) | ideal bound | ratio | wall (all 304) | 304 ÷ 200 | CPU (200s) | CPU (304s) | peak RSS |',
  )
  console.log('|---|---|---|---|---|---|---|---|---|')
  for (const row of rows) console.log(row)
  console.log(
    `\nRSS of this process before any fetch (node + tsx + modules): ${(baselineRss / 2 ** 20).toFixed(0)} MiB`,
  )
}

function fmt(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`
}

async function measure<T>(run: () => Promise<T>): Promise<{ value: T; ms: number; peakRss: number; cpuMs: number }> {
  const cpu = process.cpuUsage()
  let peakRss = process.memoryUsage.rss()
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss())
  }, 10)
  const start = performance.now()
  const value = await run()
  const ms = performance.now() - start
  clearInterval(timer)
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
  const used = process.cpuUsage(cpu)
  return { value, ms, peakRss, cpuMs: (used.user + used.system) / 1000 }
}
