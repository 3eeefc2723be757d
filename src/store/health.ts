/**
 * Feed health across runs: what each run's SourceOutcome changes in a source's remembered SourceHealth
 * (`nextHealth`), and how the operator reads it (`assessHealth`: failing, stale, retired, moved). Pure functions
 * over plain data, so every store keeps it the same way (inside SourceState, as JSON).
 */
import type { Source, SourceHealth, SourceHealthRow, SourceOutcome, SourceTrouble } from '../types.js'
import type { SourceState } from './types.js'

const DAY_MS = 86_400_000
/** Vietnam has no daylight saving time: its days start at 17:00 UTC. */
const VN_OFFSET_MS = 7 * 3_600_000
/** Days of new-item counts kept (and shown). */
export const HEALTH_DAYS = 30
/** Runs kept in `history`. */
export const HEALTH_HISTORY = 20

export const HEALTH_DEFAULTS = Object.freeze({
  /** A source that usually publishes daily is stale after this many days without a new item. @default 3 */
  staleDays: 3,
})

/** `YYYY-MM-DD` of an instant in Vietnam time. */
export function vietnamDay(ms: number): string {
  return new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 10)
}

/** The instant a Vietnam-time day key starts. */
function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - VN_OFFSET_MS
}

function isAttempt(outcome: SourceOutcome): boolean {
  return outcome.status !== 'skipped' && outcome.status !== 'gone'
}

function isSuccess(outcome: SourceOutcome): boolean {
  return outcome.status === 'ok' || outcome.status === 'not-modified' || outcome.status === 'unchanged'
}

/** Items this source had not carried before: new stories and new copies of known ones. */
function newItems(outcome: SourceOutcome): number {
  return outcome.items.new + outcome.items.duplicates
}

/**
 * The health after one run: `previous` (undefined the first time) and what the run did for the source. A 304 or an
 * unchanged body is a success without new items; a skipped source (back-off) changes nothing but its history.
 */
export function nextHealth(previous: SourceHealth | undefined, outcome: SourceOutcome, now: Date): SourceHealth {
  const at = now.getTime()
  const health: SourceHealth = previous
    ? { ...previous, daily: { ...previous.daily }, history: [...previous.history] }
    : { since: at, failures: 0, daily: {}, history: [] }
  const added = newItems(outcome)
  if (isAttempt(outcome)) health.lastAttemptAt = at
  if (isSuccess(outcome)) {
    health.lastSuccessAt = at
    health.failures = 0
    delete health.failingSince
    delete health.lastFailure
    delete health.retired
    if (added > 0) {
      health.lastNewItemAt = at
      const day = vietnamDay(at)
      health.daily[day] = (health.daily[day] ?? 0) + added
    }
  } else if (outcome.status === 'failed') {
    const code = outcome.code ?? 'ERR_INTERNAL'
    const failure = { at, code, ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }) }
    health.failures += 1
    if (health.failures === 1 || !health.failingSince) health.failingSince = failure
    health.lastFailure = { ...failure, ...(outcome.message === undefined ? {} : { message: outcome.message }) }
  } else if (outcome.status === 'gone') {
    health.retired ??= { at }
    health.failures = 0
    delete health.failingSince
    delete health.lastFailure
  }
  if (outcome.movedTo !== undefined) {
    if (health.moved?.to !== outcome.movedTo) health.moved = { to: outcome.movedTo, at }
  } else if (isAttempt(outcome)) delete health.moved
  health.history.push({
    at,
    status: outcome.status,
    ...(outcome.code === undefined ? {} : { code: outcome.code }),
    ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
    ...(added > 0 ? { newItems: added } : {}),
  })
  if (health.history.length > HEALTH_HISTORY) health.history.splice(0, health.history.length - HEALTH_HISTORY)
  // keep the 30 days before now, and the 30 before the last new item (what "usually daily" is read from)
  const keepNow = vietnamDay(at - (HEALTH_DAYS - 1) * DAY_MS)
  const keepLast =
    health.lastNewItemAt === undefined ? keepNow : vietnamDay(health.lastNewItemAt - (HEALTH_DAYS - 1) * DAY_MS)
  const lastDay = health.lastNewItemAt === undefined ? '' : vietnamDay(health.lastNewItemAt)
  for (const day of Object.keys(health.daily)) {
    const recent = day >= keepNow
    const beforeLast = day >= keepLast && day <= lastDay
    if (!recent && !beforeLast) delete health.daily[day]
  }
  return health
}

/**
 * The states a run writes, with the health of each processed source brought up to date. `before` is what the run
 * read at its start; states of keys without an outcome (host back-offs) pass unchanged.
 */
export function withHealth(
  states: SourceState[],
  before: Map<string, SourceState>,
  outcomes: Map<string, SourceOutcome>,
  now: Date,
): SourceState[] {
  return states.map((state) => {
    const outcome = outcomes.get(state.key)
    if (!outcome) return state
    return { ...state, health: nextHealth(before.get(state.key)?.health ?? state.health, outcome, now) }
  })
}

function usuallyDaily(health: SourceHealth): boolean {
  if (health.lastNewItemAt === undefined) return false
  const last = vietnamDay(health.lastNewItemAt)
  const first = vietnamDay(Math.max(health.since, health.lastNewItemAt - (HEALTH_DAYS - 1) * DAY_MS))
  const span = Math.round((dayStart(last) - dayStart(first)) / DAY_MS) + 1
  let active = 0
  for (const [day, n] of Object.entries(health.daily)) if (n > 0 && day >= first && day <= last) active++
  return active >= 3 && active * 2 >= span
}

const TROUBLE_ORDER: Record<SourceTrouble, number> = { failing: 0, stale: 1, retired: 2, moved: 3 }

/**
 * Each source's health as the operator reads it, most troubled first: failing (most consecutive failures first),
 * stale (no new item for `staleDays` days although it usually publishes daily; longest silence first), retired (410),
 * moved (301/308), then the rest in config order.
 */
export function assessHealth(
  sources: Pick<Source, 'id' | 'url' | 'name'>[],
  states: Map<string, SourceState>,
  options: { now: Date; staleDays?: number },
): SourceHealthRow[] {
  const now = options.now.getTime()
  const staleDays = options.staleDays ?? HEALTH_DEFAULTS.staleDays
  const today = dayStart(vietnamDay(now))
  const rows = sources.map((source, index): SourceHealthRow & { index: number } => {
    const health = states.get(source.id)?.health
    const itemsPerDay = Array.from(
      { length: HEALTH_DAYS },
      (_, i) => health?.daily[vietnamDay(today - (HEALTH_DAYS - 1 - i) * DAY_MS)] ?? 0,
    )
    const row: SourceHealthRow & { index: number } = {
      index,
      id: source.id,
      url: source.url,
      ...(source.name === undefined ? {} : { name: source.name }),
      usuallyDaily: false,
      itemsPerDay,
    }
    if (!health) return row
    row.health = health
    row.usuallyDaily = usuallyDaily(health)
    const quietSince = health.lastNewItemAt ?? health.since
    row.daysWithoutNewItems = Math.max(0, Math.floor((now - quietSince) / DAY_MS))
    if (health.failures > 0) row.trouble = 'failing'
    else if (health.retired) row.trouble = 'retired'
    else if (row.usuallyDaily && row.daysWithoutNewItems >= staleDays) row.trouble = 'stale'
    else if (health.moved) row.trouble = 'moved'
    return row
  })
  rows.sort((a, b) => {
    const ta = a.trouble === undefined ? 9 : TROUBLE_ORDER[a.trouble]
    const tb = b.trouble === undefined ? 9 : TROUBLE_ORDER[b.trouble]
    if (ta !== tb) return ta - tb
    if (a.trouble === 'failing') {
      const d = (b.health?.failures ?? 0) - (a.health?.failures ?? 0)
      if (d !== 0) return d
    }
    if (a.trouble === 'stale') {
      const d = (b.daysWithoutNewItems ?? 0) - (a.daysWithoutNewItems ?? 0)
      if (d !== 0) return d
    }
    return a.index - b.index
  })
  return rows.map(({ index: _index, ...row }) => row)
}
