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

describe('parseStrictDate: the zones and forms of the conformance suites', () => {
  // [value, instant]: each expected instant is worked out by hand from the zone's offset.
  const table: [string, string][] = [
    ['Thu, 30 Apr 2015 08:57:00 MET', '2015-04-30T07:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 MEST', '2015-04-30T06:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 Etc/GMT', '2015-04-30T08:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 Etc/GMT+5', '2015-04-30T13:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 ET', '2015-04-30T13:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 CT', '2015-04-30T14:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 MT', '2015-04-30T15:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 PT', '2015-04-30T16:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 AT', '2015-04-30T12:57:00.000Z'],
    // RFC 822 §5.2 military zones, as written there: A = -1, M = -12, N = +1, Y = +12
    ['Thu, 30 Apr 2015 08:57:00 A', '2015-04-30T09:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 M', '2015-04-30T20:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 N', '2015-04-30T07:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 Y', '2015-04-29T20:57:00.000Z'],
    ['Sun Jan  4 16:29:06 PST 2004', '2004-01-05T00:29:06.000Z'],
    ['2003-335T10:14:55Z', '2003-12-01T10:14:55.000Z'],
    ['2004-366T23:00:00+01:00', '2004-12-31T22:00:00.000Z'],
    ['Κυρ, 11 Ιούλ 2004 12:00:00 EST', '2004-07-11T17:00:00.000Z'],
    ['2004-július-13T9:15-05:00', '2004-07-13T14:15:00.000Z'],
  ]
  for (const [value, expected] of table) {
    it(`reads ${value}`, () => expect(iso(value)).toBe(expected))
  }

  it('leaves zone-less asctime, Korean and reduced ISO forms to normalize/, and refuses day 366 of a common year', () => {
    for (const value of ['Sun Jan  4 16:29:06 2004', '2004-05-25 오후 11:23:17', '031231', '2003-366T10:00:00Z']) {
      expect(parseStrictDate(value), value).toBeUndefined()
    }
  })
})
