import { describe, expect, it } from 'vitest'
import { assessHealth, nextHealth, type SourceState } from '../../src/store/index.js'
import type { SourceHealth, SourceOutcome } from '../../src/types.js'

const DAY = 86_400_000
const T0 = Date.UTC(2026, 2, 1, 2, 0, 0)

function outcome(status: SourceOutcome['status'], extra: Partial<SourceOutcome> = {}): SourceOutcome {
  return {
    id: 's',
    url: 'https://bao.example.vn/rss',
    status,
    items: { total: 0, new: 0, updated: 0, duplicates: 0, skipped: 0 },
    durationMs: 1,
    warnings: [],
    ...extra,
  }
}
const withNew = (n: number) => outcome('ok', { items: { total: n, new: n, updated: 0, duplicates: 0, skipped: 0 } })

/** Health after one outcome per day, from T0. */
function days(outcomes: SourceOutcome[]): SourceHealth {
  let health: SourceHealth | undefined
  outcomes.forEach((o, i) => {
    health = nextHealth(health, o, new Date(T0 + i * DAY))
  })
  return health!
}

function row(health: SourceHealth, nowMs: number, staleDays?: number) {
  const states = new Map<string, SourceState>([['s', { key: 's', health }]])
  return assessHealth([{ id: 's', url: 'https://bao.example.vn/rss' }], states, {
    now: new Date(nowMs),
    ...(staleDays === undefined ? {} : { staleDays }),
  })[0]!
}

describe('feed health', () => {
  it('counts a 304 or an unchanged body as a success without new items', () => {
    const health = days([withNew(2), outcome('not-modified'), outcome('unchanged')])
    expect(health).toMatchObject({ failures: 0, lastSuccessAt: T0 + 2 * DAY, lastNewItemAt: T0 })
    expect(Object.values(health.daily)).toEqual([2])
  })

  it('leaves a skipped run (back-off) out of the attempts and the failure streak', () => {
    const health = days([outcome('failed', { code: 'ERR_FETCH_RATE_LIMITED', httpStatus: 429 }), outcome('skipped')])
    expect(health).toMatchObject({ failures: 1, lastAttemptAt: T0, failingSince: { at: T0, httpStatus: 429 } })
    expect(health.history.map((h) => h.status)).toEqual(['failed', 'skipped'])
  })

  it('flags a daily publisher that went quiet for `staleDays`, and not one that publishes weekly', () => {
    const daily = days([...Array(6).fill(withNew(3)), ...Array(4).fill(outcome('not-modified'))])
    expect(row(daily, T0 + 7 * DAY)).toMatchObject({ usuallyDaily: true, daysWithoutNewItems: 2 })
    expect(row(daily, T0 + 7 * DAY).trouble).toBeUndefined()
    expect(row(daily, T0 + 9 * DAY)).toMatchObject({ trouble: 'stale', daysWithoutNewItems: 4 })
    expect(row(daily, T0 + 9 * DAY, 5).trouble).toBeUndefined()

    const weekly = days([withNew(5), ...Array(6).fill(outcome('not-modified')), withNew(5), outcome('not-modified')])
    expect(row(weekly, T0 + 12 * DAY)).toMatchObject({ usuallyDaily: false, daysWithoutNewItems: 5 })
    expect(row(weekly, T0 + 12 * DAY).trouble).toBeUndefined()
  })

  it('keeps 30 days of counts and at most 20 runs of history', () => {
    const health = days(Array(45).fill(withNew(1)))
    expect(Object.keys(health.daily)).toHaveLength(30)
    expect(health.history).toHaveLength(20)
    expect(row(health, T0 + 44 * DAY).itemsPerDay).toEqual(Array(30).fill(1))
  })
})
