// Peak RSS of the calling process in MiB, for the benchmarks' measured processes (plain node: no TypeScript here).
import { readFileSync } from 'node:fs'

/**
 * The kernel's high-water mark of this program (VmHWM). getrusage's maxrss is not used where VmHWM exists: Linux
 * carries it over exec from the parent, so a child of a big parent would report the parent's size.
 */
export function peakRssMiB() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return Number(hwm[1]) / 1024
  } catch {}
  return process.resourceUsage().maxRSS / 1024
}
