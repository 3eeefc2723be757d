/** The config's `normalize` options, checked (src/options.ts composes it). */
import { checkTimeZone, type Fail } from '../internal/config-checks.js'
import { DEFAULT_TIME_ZONE } from './date.js'
import type { OutletEntry } from './types.js'

/** `timeZone` (an IANA zone, default Asia/Ho_Chi_Minh) and the extra `outlets`. */
export function resolveNormalizeOptions(
  normalizeIn: { timeZone?: string; outlets?: OutletEntry[] } = {},
  fail: Fail,
): { timeZone: string; outlets?: OutletEntry[] } {
  const timeZone = normalizeIn.timeZone ?? DEFAULT_TIME_ZONE
  checkTimeZone(timeZone, 'normalize.timeZone', fail)
  return { timeZone, ...(normalizeIn.outlets === undefined ? {} : { outlets: normalizeIn.outlets }) }
}
