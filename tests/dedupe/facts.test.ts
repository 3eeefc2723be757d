import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { entitiesAt, extractEntities, MAX_SET, wordsEnd } from '../../src/dedupe/facts.js'

const LEADS = [60, 120] as const

/** Words as feeds write them: names, lower-case words, numbers, punctuation, runs of every kind of space. */
const word = fc.constantFrom(
  'Thái',
  'Bình',
  'Hưng',
  'Yên',
  'tỉnh',
  'đạt',
  'tỷ',
  'đồng',
  '120',
  '1.250',
  'UBND',
  '(Ảnh:',
)
const gap = fc.constantFrom(' ', '  ', '\n', '\t', '\u00a0', '. ', ', ', ' \r\n')
const text = fc
  .array(fc.tuple(word, gap), { maxLength: 300 })
  .chain((parts) => fc.tuple(fc.constant(parts), fc.constantFrom('', ' ', '\n ')))
  .map(([parts, lead]) => lead + parts.map(([w, g]) => w + g).join(''))

describe('entitiesAt with counts', () => {
  it('finds the same lead ends as wordsEnd() in the same walk', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(entitiesAt(t, LEADS).leads).toEqual(wordsEnd(t, LEADS))
      }),
      { numRuns: 400 },
    )
  })

  it('finds the lead ends when it stops early at MAX_SET names', () => {
    // every pair of words a distinct name: the walk stops at MAX_SET names, before the 400th word is reached
    const names = Array.from({ length: MAX_SET + 150 }, (_, i) => `Tên${i} Riêng${i}.`).join(' ')
    const counts = [60, 120, 400] as const
    const found = entitiesAt(names, counts)
    expect(found.values).toHaveLength(MAX_SET)
    expect(found.leads).toEqual(wordsEnd(names, counts))
    expect(found.leads[2]).toBeLessThan(names.length)
  })

  it('finds the same names with or without counts', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(entitiesAt(t, LEADS).values).toEqual(extractEntities(t))
        expect(entitiesAt(t).leads).toEqual([])
      }),
      { numRuns: 200 },
    )
  })
})
