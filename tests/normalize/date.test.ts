import { describe, expect, it } from 'vitest'
import { isValidTimeZone, parseDate } from '../../src/normalize/index.js'

const iso = (value: string, timeZone?: string) =>
  parseDate(value, timeZone === undefined ? {} : { timeZone })?.toISOString()

describe('parseDate: RFC 822 / 1123', () => {
  it('reads a numeric offset', () => {
    expect(iso('Fri, 10 Mar 2017 08:15:00 +0700')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Fri, 10 Mar 2017 08:15:00 -05:00')).toBe('2017-03-10T13:15:00.000Z')
  })
  it('reads GMT and UT', () => {
    expect(iso('Fri, 10 Mar 2017 01:15:00 GMT')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('10 Mar 2017 01:15 UT')).toBe('2017-03-10T01:15:00.000Z')
  })
  it('reads GMT+7 and (GMT+7)', () => {
    expect(iso('Fri, 10 Mar 2017 08:15:00 GMT+7')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Fri, 10 Mar 2017 08:15:00 (GMT+07:00)')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Fri, 10 Mar 2017 08:15:00 UTC+0700')).toBe('2017-03-10T01:15:00.000Z')
  })
  it('reads ICT and other named zones', () => {
    expect(iso('Fri, 10 Mar 2017 08:15:00 ICT')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Fri, 10 Mar 2017 08:15:00 EST')).toBe('2017-03-10T13:15:00.000Z')
    expect(iso('Fri, 10 Mar 2017 08:15:00 JST')).toBe('2017-03-09T23:15:00.000Z')
  })
  it('reads a two-digit year and no seconds', () => {
    expect(iso('10 Mar 17 08:15 +0700')).toBe('2017-03-10T01:15:00.000Z')
  })
  it('reads a two-digit offset, and a zone repeated in a comment', () => {
    expect(iso('Fri, 10 Mar 2017 08:15:00 +07')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Fri, 10 Mar 2017 08:15:00 +0700 (ICT)')).toBe('2017-03-10T01:15:00.000Z')
    expect(parseDate('Fri, 10 Mar 2017 08:15:00 +0700 (EST)')).toBeUndefined()
  })
  it('reads a JavaScript Date string with its zone comment', () => {
    expect(iso('Fri Mar 10 2017 08:15:00 GMT+0700 (Indochina Time)')).toBe('2017-03-10T01:15:00.000Z')
  })
  it('reads an RFC date without a zone in the source zone', () => {
    expect(iso('Fri, 10 Mar 2017 08:15:00')).toBe('2017-03-10T01:15:00.000Z')
  })
  it('reads English month-first dates with AM/PM', () => {
    expect(iso('March 10, 2017 8:15 PM')).toBe('2017-03-10T13:15:00.000Z')
    expect(iso('Friday, March 10, 2017 8:15 AM')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('10:15 AM, 10/03/2017')).toBe('2017-03-10T03:15:00.000Z')
  })
})

describe('parseDate: ISO 8601 / W3C-DTF', () => {
  it('reads a full date-time with offset or Z', () => {
    expect(iso('2017-03-10T08:15:00+07:00')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('2017-03-10T01:15:00.250Z')).toBe('2017-03-10T01:15:00.250Z')
  })
  it('reads a date-time without offset in the source zone', () => {
    expect(iso('2017-03-10T08:15:00')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('2017-03-10 08:15')).toBe('2017-03-10T01:15:00.000Z')
  })
  it('reads a date only as midnight in the source zone (not UTC, unlike Date.parse)', () => {
    expect(iso('2017-03-10')).toBe('2017-03-09T17:00:00.000Z')
  })
  it('reads reduced precision (year-month, year) and the basic format', () => {
    expect(iso('2017-03')).toBe('2017-02-28T17:00:00.000Z')
    expect(iso('2017')).toBe('2016-12-31T17:00:00.000Z')
    expect(iso('20170310T081500Z')).toBe('2017-03-10T08:15:00.000Z')
  })
  it('reads a SQL/Java timestamp with fractional seconds', () => {
    expect(iso('2017-03-10 08:15:00.0')).toBe('2017-03-10T01:15:00.000Z')
  })
  it('reads year-first slashed dates', () => {
    expect(iso('2017/03/10 08:15')).toBe('2017-03-10T01:15:00.000Z')
  })
})

describe('parseDate: day-first numeric dates', () => {
  it('reads a bare day-first date in the source zone', () => {
    expect(iso('10/03/2017', 'Asia/Ho_Chi_Minh')).toBe('2017-03-09T17:00:00.000Z')
  })
  it('reads single-digit day and month', () => {
    expect(iso('5/3/2020')).toBe('2020-03-04T17:00:00.000Z')
  })
  it('reads dashes and dots', () => {
    expect(iso('10-3-2017')).toBe('2017-03-09T17:00:00.000Z')
    expect(iso('10.03.2017')).toBe('2017-03-09T17:00:00.000Z')
  })
  it('reads a two-digit year', () => {
    expect(iso('10/03/17')).toBe('2017-03-09T17:00:00.000Z')
  })
  it('reads the time before the date: 09:15 | 10/03/2017', () => {
    expect(iso('09:15 | 10/03/2017')).toBe('2017-03-10T02:15:00.000Z')
  })
  it('reads a weekday, the date, then the time: Thứ Sáu, 10/03/2017 - 08:15', () => {
    expect(iso('Thứ Sáu, 10/03/2017 - 08:15')).toBe('2017-03-10T01:15:00.000Z')
  })
  it('reads Thứ năm, 5/3/2020, 14:30 (GMT+7)', () => {
    expect(iso('Thứ năm, 5/3/2020, 14:30 (GMT+7)')).toBe('2020-03-05T07:30:00.000Z')
  })
  it('reads numbered and abbreviated weekdays: Thứ 6, T6, CN, Chủ nhật', () => {
    expect(iso('Thứ 6, 10/3/2017 | 08:15 GMT+7')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('T6, 10/03/2017')).toBe('2017-03-09T17:00:00.000Z')
    expect(iso('CN, 12/03/2017 20:00')).toBe('2017-03-12T13:00:00.000Z')
    expect(iso('Chủ nhật, 12/03/2017 20:00')).toBe('2017-03-12T13:00:00.000Z')
  })
  it('reads seconds', () => {
    expect(iso('10/03/2017 08:15:30')).toBe('2017-03-10T01:15:30.000Z')
  })
})

describe('parseDate: Vietnamese forms', () => {
  it('reads SA and CH as AM and PM', () => {
    expect(iso('10/03/2017 09:15 SA')).toBe('2017-03-10T02:15:00.000Z')
    expect(iso('02:30 CH 10/03/2017')).toBe('2017-03-10T07:30:00.000Z')
    expect(iso('10/03/2017 12:05 SA')).toBe('2017-03-09T17:05:00.000Z')
    expect(iso('10/03/2017 12:05 CH')).toBe('2017-03-10T05:05:00.000Z')
  })
  it('reads sáng, chiều, tối', () => {
    expect(iso('8 giờ 15 phút sáng ngày 10/3/2017')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('3 giờ chiều 10/3/2017')).toBe('2017-03-10T08:00:00.000Z')
    expect(iso('8 giờ tối 10/3/2017')).toBe('2017-03-10T13:00:00.000Z')
  })
  it('reads 8h15 and 08g30', () => {
    expect(iso('8h15 10/3/2017')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('10/3/2017 08g30')).toBe('2017-03-10T01:30:00.000Z')
  })
  it('reads the spelled-out form', () => {
    expect(iso('ngày 10 tháng 3 năm 2017')).toBe('2017-03-09T17:00:00.000Z')
    expect(iso('Thứ sáu, ngày 10 tháng 03 năm 2017 08:15')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('10 tháng 3, 2017')).toBe('2017-03-09T17:00:00.000Z')
  })
  it('reads prefixes: Cập nhật lúc, Đăng ngày, Ngày đăng, Published', () => {
    expect(iso('Cập nhật lúc 09:15 ngày 10/03/2017')).toBe('2017-03-10T02:15:00.000Z')
    expect(iso('Đăng ngày 10/03/2017')).toBe('2017-03-09T17:00:00.000Z')
    expect(iso('Ngày đăng: 10/03/2017 08:15')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('Published: 10/03/2017')).toBe('2017-03-09T17:00:00.000Z')
    expect(iso('Cập nhật: 08:15 (GMT+7), Thứ sáu, 10/03/2017')).toBe('2017-03-10T01:15:00.000Z')
  })
  it('reads decomposed (NFD) and upper-case input', () => {
    expect(iso('THỨ SÁU, 10/03/2017 - 08:15'.normalize('NFD'))).toBe('2017-03-10T01:15:00.000Z')
  })
})

describe('parseDate: zones', () => {
  it('reads a zone-less value in any IANA zone, not a fixed +7', () => {
    expect(iso('10/03/2017', 'UTC')).toBe('2017-03-10T00:00:00.000Z')
    expect(iso('10/03/2017 08:15', 'Asia/Tokyo')).toBe('2017-03-09T23:15:00.000Z')
    expect(iso('10/03/2017', 'Asia/Kolkata')).toBe('2017-03-09T18:30:00.000Z')
  })
  it('follows DST', () => {
    expect(iso('01/07/2021 12:00', 'Europe/Berlin')).toBe('2021-07-01T10:00:00.000Z')
    expect(iso('01/01/2021 12:00', 'Europe/Berlin')).toBe('2021-01-01T11:00:00.000Z')
  })
  it('moves a time in a DST gap forward and takes the earlier instant in an overlap', () => {
    expect(iso('14/03/2021 02:30', 'America/New_York')).toBe('2021-03-14T07:30:00.000Z')
    expect(iso('07/11/2021 01:30', 'America/New_York')).toBe('2021-11-07T05:30:00.000Z')
  })
  it('ignores the source zone when the value has its own', () => {
    expect(iso('2017-03-10T08:15:00Z', 'Asia/Tokyo')).toBe('2017-03-10T08:15:00.000Z')
  })
  it('throws a coded error for an unknown zone option (configuration, not input)', () => {
    expect(() => parseDate('10/03/2017', { timeZone: 'Mars/Olympus' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
    )
    expect(isValidTimeZone('Mars/Olympus')).toBe(false)
    expect(isValidTimeZone('Asia/Bangkok')).toBe(true)
  })
})

describe('parseDate: invalid input gives undefined, never an Invalid Date', () => {
  it('rejects impossible calendar dates', () => {
    expect(parseDate('31/02/2017')).toBeUndefined()
    expect(parseDate('29/02/2017')).toBeUndefined()
    expect(parseDate('2017-02-29')).toBeUndefined()
    expect(parseDate('00/03/2017')).toBeUndefined()
  })
  it('accepts 29 February in a leap year', () => {
    expect(iso('29/02/2020')).toBe('2020-02-28T17:00:00.000Z')
  })
  it('rejects month 13 (day-first is never swapped to month-first)', () => {
    expect(parseDate('10/13/2017')).toBeUndefined()
    expect(parseDate('2017-13-01')).toBeUndefined()
  })
  it('rejects impossible times', () => {
    expect(parseDate('25:00 10/03/2017')).toBeUndefined()
    expect(parseDate('10/03/2017 08:61')).toBeUndefined()
    expect(parseDate('10/03/2017 14:30 SA')).toBeUndefined()
  })
  it('rejects unknown words, two dates, two times, and garbage', () => {
    for (const value of [
      'hello 10/03/2017',
      '10/03/2017 11/03/2017',
      '08:15 09:15 10/03/2017',
      'Invalid Date',
      '',
      '   ',
      '08:15',
      'Thứ Sáu',
      '123456789', // ('12345' is an ISO 8601 ordinal date: 2012, day 345)
      'x'.repeat(500),
      '10/03/2017 +0700 +0800',
    ]) {
      expect(parseDate(value)).toBeUndefined()
    }
  })
  it('rejects offsets beyond ±18 hours', () => {
    expect(parseDate('2017-03-10T08:15:00+25:00')).toBeUndefined()
  })
  it('does not throw on non-string input', () => {
    expect(parseDate(undefined as unknown as string)).toBeUndefined()
    expect(parseDate(12 as unknown as string)).toBeUndefined()
  })
})

describe('parseDate: the forms of the conformance suites, one table', () => {
  // [value, source zone, instant]
  const table: [string, string, string][] = [
    ['Thu, 30 Apr 2015 08:57:00 MET', 'UTC', '2015-04-30T07:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 MEST', 'UTC', '2015-04-30T06:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 Etc/GMT', 'Asia/Ho_Chi_Minh', '2015-04-30T08:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 ET', 'UTC', '2015-04-30T13:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 CT', 'UTC', '2015-04-30T14:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 MT', 'UTC', '2015-04-30T15:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 PT', 'UTC', '2015-04-30T16:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 AT', 'UTC', '2015-04-30T12:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 A', 'UTC', '2015-04-30T09:57:00.000Z'],
    ['Thu, 30 Apr 2015 08:57 Y', 'UTC', '2015-04-29T20:57:00.000Z'],
    // asctime, zone-less: in the source zone; with a zone: that zone
    ['Sun Jan  4 16:29:06 2004', 'UTC', '2004-01-04T16:29:06.000Z'],
    ['Sun Jan  4 16:29:06 2004', 'Asia/Ho_Chi_Minh', '2004-01-04T09:29:06.000Z'],
    ['Sun Jan 4 16:29:06 PST 2004', 'Asia/Ho_Chi_Minh', '2004-01-05T00:29:06.000Z'],
    // ISO 8601 reduced (implied century) and ordinal forms
    ['-0312', 'UTC', '2003-12-01T00:00:00.000Z'],
    ['-03-12', 'UTC', '2003-12-01T00:00:00.000Z'],
    ['031231', 'UTC', '2003-12-31T00:00:00.000Z'],
    ['03335', 'UTC', '2003-12-01T00:00:00.000Z'],
    ['2003-335', 'UTC', '2003-12-01T00:00:00.000Z'],
    ['2004-335', 'UTC', '2004-11-30T00:00:00.000Z'],
    ['2003-335T10:14:55Z', 'Asia/Ho_Chi_Minh', '2003-12-01T10:14:55.000Z'],
    // Korean (zone-less: the source zone, Asia/Seoul for a Korean source)
    ['2004-05-25 오후 11:23:17', 'Asia/Seoul', '2004-05-25T14:23:17.000Z'],
    ['2004-05-25 오전 11:23:17', 'Asia/Seoul', '2004-05-25T02:23:17.000Z'],
    ['2004년 05월 28일  01:31:15', 'Asia/Seoul', '2004-05-27T16:31:15.000Z'],
    // Greek and Hungarian month names
    ['Κυρ, 11 Ιούλ 2004 12:00:00 EST', 'UTC', '2004-07-11T17:00:00.000Z'],
    ['11 Δεκ 2004 12:00:00 +0200', 'UTC', '2004-12-11T10:00:00.000Z'],
    ['2004-július-13T9:15-05:00', 'UTC', '2004-07-13T14:15:00.000Z'],
    ['2004-március-13', 'Asia/Ho_Chi_Minh', '2004-03-12T17:00:00.000Z'],
    // an RFC 822 date with no time: midnight in the source zone
    ['Thu, 01 Jan 2004', 'Asia/Ho_Chi_Minh', '2003-12-31T17:00:00.000Z'],
    ['01 Jan 2004', 'UTC', '2004-01-01T00:00:00.000Z'],
  ]
  for (const [value, zone, expected] of table) {
    it(`reads ${value} (source zone ${zone})`, () => expect(iso(value, zone)).toBe(expected))
  }

  it('keeps the Vietnamese forms exact', () => {
    expect(iso('Thứ Sáu, 10/03/2017 - 08:15')).toBe('2017-03-10T01:15:00.000Z')
    expect(iso('ngày 10 tháng 3 năm 2017')).toBe('2017-03-09T17:00:00.000Z')
    expect(iso('Thứ năm, 5/3/2020, 14:30 (GMT+7)')).toBe('2020-03-05T07:30:00.000Z')
    expect(iso('T6, 10/03/2017 8h15 SA')).toBe('2017-03-10T01:15:00.000Z')
  })

  it('refuses a military letter with no time, an ordinal day past the year, and a Korean date with a bad day', () => {
    expect(parseDate('10 Mar 2017 A')).toBeUndefined()
    expect(parseDate('2003-366')).toBeUndefined()
    expect(parseDate('2004년 02월 30일')).toBeUndefined()
  })
})
