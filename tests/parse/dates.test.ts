import { describe, expect, it } from 'vitest'
import { parseStrictDate } from '../../src/parse/dates.js'

const iso = (value: string) => parseStrictDate(value)?.toISOString()

describe('parseStrictDate: only dates that carry their zone', () => {
  it('reads RFC 822 / 1123 with numeric offsets, GMT/UT/Z and named zones', () => {
    expect(iso('Fri, 10 Mar 2017 08:15:00 +0700')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('10 Mar 2017 08:15 +0700')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Fri, 10 Mar 2017 08:15:00 +07:00')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Fri, 10 Mar 2017 01:15:00 GMT')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Fri, 10 Mar 2017 01:15:00 UT')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Fri, 10 Mar 2017 08:15:00 ICT')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Thu, 09 Mar 2017 20:15:00 EST')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Fri, 10 March 2017 08:15:00 +0700')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Fri, 10 Mar 17 08:15:00 +0700')).toBe('2017-03-10T01:15:00.000Z')
  })

  it('reads ISO 8601 / RFC 3339 with an offset or Z', () => {
    expect(iso('2017-03-10T08:15:00+07:00')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('2017-03-10T08:15:00+0700')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('2017-03-10T08:15+07')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('2017-03-10 08:15:00+07:00')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('2017-03-10T01:15:00.123456Z')).toBe('2017-03-10T01:15:00.123Z')
    expect(iso('  2017-03-10T01:15:00Z  ')).toBe('2017-03-10T01:15:00.000Z')
  })

  it('leaves zone-less, day-first and Vietnamese forms to normalize/', () => {
    for (const value of [
      '10/03/2017',
      '10/03/2017 08:15',
      '2017-03-10',
      '2017-03-10T08:15:00',
      'Fri, 10 Mar 2017 08:15:00',
      'Thứ Sáu, 10/03/2017 - 08:15',
      'Thứ năm, 5/3/2020, 14:30 (GMT+7)',
      'Fri, 10 Mar 2017 08:15:00 GMT+7',
      'ngày 10 tháng 3 năm 2017',
    ]) {
      expect(parseStrictDate(value), value).toBeUndefined()
    }
  })

  it('refuses impossible values instead of rolling them over', () => {
    for (const value of [
      '2017-02-30T08:00:00Z',
      '2017-02-29T08:00:00Z',
      '2017-13-01T08:00:00Z',
      '2017-03-10T24:00:00Z',
      '2017-03-10T08:60:00Z',
      '2017-03-10T08:00:00+25:00',
      'Fri, 32 Mar 2017 08:15:00 +0700',
      'Fri, 10 Foo 2017 08:15:00 +0700',
      'Fri, 10 Mar 2017 08:15:00 XYZ',
      '',
    ]) {
      expect(parseStrictDate(value), value).toBeUndefined()
    }
    expect(iso('2016-02-29T08:00:00Z')).toBe('2016-02-29T08:00:00.000Z')
    expect(parseStrictDate(undefined)).toBeUndefined()
  })
})
