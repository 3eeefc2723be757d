// Preloaded with `node --import ./bench/e2e/measure.mjs …`: at exit, appends the process's own CPU time and peak RSS
// (VmHWM) as one JSON line to the file named by TONGHOP_BENCH_MEASURE.
import { appendFileSync } from 'node:fs'
import { peakRssMiB } from '../peak-rss.mjs'

const target = process.env.TONGHOP_BENCH_MEASURE
const started = performance.now()
if (target) {
  process.on('exit', (code) => {
    const r = process.resourceUsage()
    appendFileSync(
      target,
      `${JSON.stringify({ code, wallMs: performance.now() - started, cpuMs: (r.userCPUTime + r.systemCPUTime) / 1000, maxRssMiB: peakRssMiB() })}\n`,
    )
  })
}
