import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LookupFilter } from '../../src/store/sqlite/lookup-filter.js'
import { bucketHash } from '../../src/store/sqlite/migrations.js'

describe('LookupFilter', () => {
  it('answers "present" for every hash added, also after a round trip through its blob', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 300 }), (buckets) => {
        const filter = LookupFilter.sized(buckets.length)
        for (const b of buckets) filter.add(bucketHash(b))
        const back = LookupFilter.fromBlob(filter.toBlob(), filter.capacity, filter.rows)
        expect(back.rows).toBe(buckets.length)
        for (const b of buckets) {
          expect(filter.has(bucketHash(b))).toBe(true)
          expect(back.has(bucketHash(b))).toBe(true)
        }
      }),
    )
  })

  it('answers "present" for few hashes never added, even when filled to its capacity', () => {
    const rows = 200_000
    const filter = LookupFilter.sized(rows)
    expect(filter.capacity).toBe(rows * 2)
    for (let i = 0; i < filter.capacity; i++) filter.add(bucketHash(`m${i % 16}:${i.toString(36)}`))
    let wrong = 0
    const asked = 100_000
    for (let i = 0; i < asked; i++) if (filter.has(bucketHash(`l${i % 4}:absent-${i}`))) wrong++
    // 5 probes at 8 bits per row: about 2.2% in theory
    expect(wrong / asked).toBeLessThan(0.03)
    expect(wrong).toBeGreaterThan(0)
  })

  it('keeps a copy of the blob it was read from', () => {
    const filter = LookupFilter.sized(10)
    filter.add(bucketHash('m0:a'))
    const blob = new Uint8Array(filter.toBlob())
    const back = LookupFilter.fromBlob(blob, filter.capacity, filter.rows)
    blob.fill(0)
    expect(back.has(bucketHash('m0:a'))).toBe(true)
  })
})
