import { ConfigError } from '../errors.js'
import type { DedupeOptions, ResolvedDedupeOptions } from './types.js'

const DAY = 86_400_000

/**
 * Dedupe defaults, chosen on the labelled set in tests/fixtures/dedupe/labelled.json (pairwise precision 1.0 with
 * every hard negative apart) and checked on the benchmark corpus's ground truth.
 */
export const DEDUPE_DEFAULTS: Readonly<ResolvedDedupeOptions> = Object.freeze({
  /** @default 7 days */
  windowMs: 7 * DAY,
  /** @default 0.6 */
  threshold: 0.6,
  /** @default 0.8 */
  containmentThreshold: 0.8,
  /** @default 12 */
  minWords: 12,
  /** @default 0.2 */
  titleWeight: 0.2,
  /** @default 0.15 */
  maxNumberMismatch: 0.15,
  /** @default 0.34 */
  maxEntityMismatch: 0.34,
  /** @default 0.1 */
  creditBonus: 0.1,
  /** @default 3 days */
  rewriteWindowMs: 3 * DAY,
})

function fail(name: string, expected: string, value: unknown): never {
  throw new ConfigError(
    'ERR_CONFIG_INVALID',
    `Expected \`dedupe.${name}\` to be ${expected}, got \`${String(value)}\``,
    {
      path: `dedupe.${name}`,
    },
  )
}

export function resolveDedupeOptions(options: DedupeOptions = {}): ResolvedDedupeOptions {
  const out = { ...DEDUPE_DEFAULTS }
  for (const [name, value] of Object.entries(options) as [keyof ResolvedDedupeOptions, unknown][]) {
    if (value === undefined || !(name in DEDUPE_DEFAULTS)) continue
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(name, 'a finite number', value)
    if (name === 'windowMs' || name === 'minWords' || name === 'rewriteWindowMs') {
      if (value < 0) fail(name, 'a number ≥ 0', value)
    } else if (value < 0 || value > 1) fail(name, 'a number from 0 to 1', value)
    out[name] = value
  }
  return out
}
