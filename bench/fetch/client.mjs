// The measured side of bench/fetch.bench.ts: plain Node (no tsx, no loader hooks), the built library as a user imports
// it. Run as `node bench/fetch/client.mjs <dist/index.js> <json>`, where json is { urls, options }. Does what two cron
// runs in one process do: fetch every feed (all 200s), then again with the validators of the first run (all 304s).
// Prints one JSON line: the RSS once tonghop is loaded (before any fetch), then per run the wall and CPU time and the
// process's peak RSS so far (VmHWM, the kernel's high-water mark, so no sampling gap can miss a peak).
import { pathToFileURL } from 'node:url'
import { peakRssMiB } from '../peak-rss.mjs'

const [libPath, json] = process.argv.slice(2)
const { fetchSources } = await import(pathToFileURL(libPath).href)
const { urls, options } = JSON.parse(json)
const requests = urls.map((url, i) => ({ source: { id: `feed-${i}`, url } }))
// like the aggregator: each body is consumed as it arrives, not held until the end of the run
const runOptions = { ...options, onOutcome: () => {} }

const baselineMiB = process.memoryUsage.rss() / 2 ** 20

async function measure(run) {
  const cpu = process.cpuUsage()
  const start = performance.now()
  const outcomes = await run()
  const wallMs = performance.now() - start
  const used = process.cpuUsage(cpu)
  return { outcomes, wallMs, cpuMs: (used.user + used.system) / 1000, peakMiB: peakRssMiB() }
}

const full = await measure(() => fetchSources(requests, runOptions))
const ok = full.outcomes.filter((o) => o.status === 'ok').length
if (ok !== requests.length) throw new Error(`only ${ok}/${requests.length} ok`)
const states = new Map(full.outcomes.map((o) => [o.source.id, o.state]))
const again = await measure(() =>
  fetchSources(
    requests.map((request) => ({ ...request, state: states.get(request.source.id) })),
    runOptions,
  ),
)
const notModified = again.outcomes.filter((o) => o.status === 'not-modified').length
if (notModified !== requests.length) throw new Error(`only ${notModified}/${requests.length} not-modified`)

const strip = ({ outcomes: _, ...figures }) => figures
console.log(JSON.stringify({ baselineMiB, full: strip(full), notModified: strip(again) }))
