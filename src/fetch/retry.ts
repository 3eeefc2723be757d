/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns milliseconds from `now`, ≥ 0. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), 365 * 24 * 3600) * 1000
  // An HTTP-date names a day or month ("Thu, 26 Nov 2026 10:05:00 GMT"); Date.parse alone would read "-5" as a year.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

/** Exponential back-off with jitter: attempt 1 → 150–300 ms, 2 → 300–600 ms, … capped at 8 s. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(8000, 300 * 2 ** Math.max(0, attempt - 1))
  return Math.round(base / 2 + (random() * base) / 2)
}
