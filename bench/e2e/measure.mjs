// Preloaded with `node --import ./bench/e2e/measure.mjs …`: at exit, appends the process's own CPU time and peak RSS
// (VmHWM) as one JSON line to the file named by TONGHOP_BENCH_MEASURE.
import { appendFileSync, readFileSync } from 'node:fs'

/**
 * Peak RSS of this process in MiB: the kernel's high-water mark of this program (VmHWM). getrusage's maxrss is not
 * used where VmHWM exists: Linux carries it over exec from the parent, so a child of a big parent would report the
 * parent's size.
 */
function peakRssMiB() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return Number(hwm[1]) / 1024
  } catch {}
  return process.resourceUsage().maxRSS / 1024
}

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
