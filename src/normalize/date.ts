/**
 * `parseDate`: the date forms feeds and Vietnamese sites write, read into an instant.
 *
 * - RFC 822/1123 (`Fri, 10 Mar 2017 08:15:00 +0700`), numeric offsets, `GMT+7`, `(GMT+7)`, `ICT` and other named
 *   zones; ISO 8601 / W3C-DTF (`2017-03-10T08:15:00+07:00`, `2017-03-10`, `2017-03`, `20170310T081500Z`);
 * - day-first numeric dates, always (`10/03/2017`, `5/3/2020`, `10-3-2017`, `10.03.2017`), with the time before or
 *   after (`09:15 | 10/03/2017`, `Thứ Sáu, 10/03/2017 - 08:15`, `Thứ năm, 5/3/2020, 14:30 (GMT+7)`), `SA`/`CH`
 *   (sáng/chiều) as AM/PM, `8h15`, `8 giờ 15 phút`, spelled-out `ngày 10 tháng 3 năm 2017`, prefixes such as
 *   `Cập nhật lúc`, `Đăng ngày`, and English month names.
 *
 * A value without a zone is read in `timeZone` (default Asia/Ho_Chi_Minh) through Intl, so any IANA zone works,
 * DST included; a date without a time is midnight there. Anything invalid (31/02, month 13, 25:00, unknown words,
 * two dates) gives `undefined`, never an Invalid Date.
 */
import { NormalizeError } from '../errors.js'
import { detach } from '../internal/detach.js'
import { etcZone, MONTHS, monthNumber, NAMED_ZONES } from '../internal/months.js'

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh'

export interface ParseDateOptions {
  /** IANA zone in which a value without a zone is read. @default 'Asia/Ho_Chi_Minh' */
  timeZone?: string
}

// ---------------------------------------------------------------------------------------------------------------
// Zones

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    })
    formatters.set(timeZone, format)
  }
  return format
}

/** True when Intl knows the IANA zone. */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone === '') return false
  if (formatters.has(timeZone)) return true
  try {
    formatter(timeZone)
    return true
  } catch {
    return false
  }
}

const offsetCache = new Map<string, number>()
const OFFSET_BUCKET = 15 * 60_000

/** Offset of `timeZone` from UTC at the instant `utc`, in ms (east positive). */
function zoneOffset(timeZone: string, utc: number): number {
  // Offsets change at most at quarter hours; cache per zone and quarter hour (bounded).
  const key = `${timeZone}|${Math.floor(utc / OFFSET_BUCKET)}`
  const cached = offsetCache.get(key)
  if (cached !== undefined) return cached
  const parts = formatter(timeZone).formatToParts(new Date(utc))
  const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value ?? 0)
  let year = get('year')
  if (parts.find((part) => part.type === 'era')?.value === 'BC') year = 1 - year
  const wall = Date.UTC(year, get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  const offset = wall - (utc - (((utc % 1000) + 1000) % 1000))
  if (offsetCache.size > 10_000) offsetCache.clear()
  offsetCache.set(detach(key), offset)
  return offset
}

/**
 * The instant at which the wall-clock time `local` (as if UTC) happens in `timeZone`. In a DST gap the time is
 * moved forward by the gap; in an overlap the earlier instant wins (Temporal's `compatible`).
 */
export function zonedToInstant(local: number, timeZone: string): number {
  const DAY = 86_400_000
  const before = zoneOffset(timeZone, local - DAY)
  const after = zoneOffset(timeZone, local + DAY)
  const candidates: number[] = []
  for (const offset of before === after ? [before] : [before, after]) {
    const instant = local - offset
    if (zoneOffset(timeZone, instant) === offset) candidates.push(instant)
  }
  if (candidates.length > 0) return Math.min(...candidates)
  // Gap (spring forward): read with the offset before the transition, which lands after the gap.
  return local - before
}

// ---------------------------------------------------------------------------------------------------------------
// Scanner over a folded copy of the value (lower case, no diacritics, đ → d)

const MONTH_NAME =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?' +
  // Greek (folded: no tonos) and Hungarian month names, full names before their abbreviations
  '|ιανουαριο[υς]|ιαν|φεβρουαριο[υς]|φεβ|μαρτιο[υς]|μαρ|μαω|απριλιο[υς]|απρ|μαιο[υς]|μαι|ιουνιο[υς]|ιουν|ιον|ιουλιο[υς]|ιουλ|ιολ' +
  '|αυγουστο[υς]|αυγ|σεπτεμβριο[υς]|σεπ|οκτωβριο[υς]|οκτ|νοεμβριο[υς]|νοε|δεκεμβριο[υς]|δεκ' +
  '|januar|februar|marcius|marc|aprilis|majus|maj|junius|julius|augusztus|szeptember|oktober)\\.?'
const ORDINAL = '(?:st|nd|rd|th)?'
const END = '(?![\\p{L}\\p{N}])'

interface Parts {
  year?: number
  month?: number
  day?: number
  hour?: number
  minute?: number
  second?: number
  ms?: number
  meridiem?: 'am' | 'pm' | 'noon' | 'night'
  /** Minutes east of UTC. */
  offset?: number
  dates: number
  times: number
  zones: number
}

/** `true`: consumed; `false`: the value is invalid; `null`: not this token, try the next. */
type Handler = (match: RegExpExecArray, parts: Parts) => boolean | null

function setDate(parts: Parts, year: number, month: number, day: number): boolean {
  parts.dates++
  parts.year = year
  parts.month = month
  parts.day = day
  return true
}

function setTime(parts: Parts, hour: string | undefined, minute?: string, second?: string, fraction?: string): boolean {
  parts.times++
  parts.hour = Number(hour)
  parts.minute = minute === undefined || minute === '' ? 0 : Number(minute)
  parts.second = second === undefined || second === '' ? 0 : Number(second)
  parts.ms = fraction === undefined || fraction === '' ? 0 : Math.floor(Number(`0.${fraction}`) * 1000)
  return true
}

/** A second zone is accepted when it agrees (`+0700 (ICT)`); two different zones make the value invalid. */
function setZone(parts: Parts, minutes: number): boolean {
  if (parts.offset !== undefined) return parts.offset === minutes
  parts.zones++
  parts.offset = minutes
  return true
}

function signedOffset(sign: string | undefined, hours: string | undefined, minutes: string | undefined): number {
  const value = Number(hours ?? 0) * 60 + Number(minutes ?? 0)
  return sign === '-' ? -value : value
}

function year4(value: string): number {
  const year = Number(value)
  if (value.length > 2) return year
  return year < 70 ? 2000 + year : 1900 + year
}

const TOKENS: [RegExp, Handler][] = [
  // zone written with GMT/UTC: `GMT+7`, `GMT+07:00`, `UTC+0700`, `GMT`
  [
    new RegExp(`(?:gmt|utc|ut)\\s*(?:([+-])\\s*(\\d{1,2})(?::?(\\d{2}))?)?${END}`, 'yu'),
    (m, p) => setZone(p, signedOffset(m[1], m[2], m[3])),
  ],
  // spelled out: `10 tháng 3 năm 2017`, `10 tháng 03, 2017`
  [
    new RegExp(`(\\d{1,2})\\s*thang\\s*(\\d{1,2})\\s*(?:nam|,|/)?\\s*(\\d{4})${END}`, 'yu'),
    (m, p) => setDate(p, Number(m[3]), Number(m[2]), Number(m[1])),
  ],
  // year first with a month name: `2004-július-13` (Hungarian), `2004-Jul-13`
  [
    new RegExp(`(\\d{4})-${MONTH_NAME}-(\\d{1,2})(?:${END}|(?=t\\d))`, 'yu'),
    (m, p) => setDate(p, Number(m[1]), monthNumber(m[2] as string) ?? 0, Number(m[3])),
  ],
  // ISO 8601's `T` before a time (`2004-július-13T9:15`), before `T6` is read as a weekday
  [/t(?=\d{1,2}:\d{2})/y, (_m, p) => (p.dates > 0 ? true : null)],
  // asctime / ctime: `Sun Jan  4 16:29:06 2004`, `Sun Jan 4 16:29:06 PST 2004`
  [
    new RegExp(
      `${MONTH_NAME}\\s+(\\d{1,2})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s+(?:([a-z]{1,5})\\s+)?(\\d{4})${END}`,
      'yu',
    ),
    (m, p) => {
      if (m[6] !== undefined) {
        const zone = NAMED_ZONES[m[6]]
        if (zone === undefined || !setZone(p, zone)) return false
      }
      setTime(p, m[3], m[4], m[5])
      return setDate(p, Number(m[7]), monthNumber(m[1] as string) ?? 0, Number(m[2]))
    },
  ],
  // year first: `2017-03-10`, `2017/3/10`
  [
    new RegExp(`(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})${END}`, 'yu'),
    (m, p) => setDate(p, Number(m[1]), Number(m[3]), Number(m[4])),
  ],
  // day first, always: `10/03/2017`, `5/3/2020`, `10-3-2017`, `10.03.2017`, `10/03/17`
  [
    new RegExp(`(\\d{1,2})([-/.])(\\d{1,2})\\2(\\d{4}|\\d{2})${END}`, 'yu'),
    (m, p) => setDate(p, year4(m[4] as string), Number(m[3]), Number(m[1])),
  ],
  // `10 Mar 2017`, `10th March, 2017`, `10 Mar 17` (RFC 822)
  [
    new RegExp(`(\\d{1,2})${ORDINAL}\\s*-?\\s*${MONTH_NAME}\\s*[-,]?\\s*(\\d{4}|\\d{2})${END}`, 'yu'),
    (m, p) => setDate(p, year4(m[3] as string), monthNumber(m[2] as string) ?? 0, Number(m[1])),
  ],
  // `Mar 10, 2017`, `March 10th 2017`
  [
    new RegExp(`${MONTH_NAME}\\s*(\\d{1,2})${ORDINAL}\\s*,?\\s*(\\d{4})${END}`, 'yu'),
    (m, p) => setDate(p, Number(m[3]), monthNumber(m[1] as string) ?? 0, Number(m[2])),
  ],
  // `Fri Mar 10 08:15:00 2017` (ctime) is rare in feeds; `Mar 10` without a year is not a date.
  // time with colons: `08:15`, `08:15:30`, `08:15:30.250`
  [/(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?!\d)/y, (m, p) => setTime(p, m[1], m[2], m[3], m[4])],
  // Vietnamese time: `8h15`, `08g30`, `8 giờ 15 phút`, `8h`, `8 giờ`
  [
    new RegExp(`(\\d{1,2})\\s*(?:h|g|gio)(?:\\s*(\\d{1,2})\\s*(?:phut|p|')?)?${END}`, 'yu'),
    (m, p) => setTime(p, m[1], m[2]),
  ],
  // numeric offset right after a time: `+0700`, `-05:00`
  [/([+-])(\d{2})(?::?(\d{2}))?(?!\d)/y, (m, p) => (p.times > 0 ? setZone(p, signedOffset(m[1], m[2], m[3])) : null)],
  // meridiem: `SA`/`CH` (sáng/chiều), `AM`/`PM`, `sáng`, `chiều`, `tối`, `trưa`, `đêm`, `khuya`
  [
    new RegExp(`(a\\.m\\.|p\\.m\\.|am|pm|sa|ch|sang|chieu|toi|trua|dem|khuya)${END}`, 'yu'),
    (m, p) => {
      if (p.meridiem !== undefined) return false
      const word = m[1] as string
      p.meridiem =
        word === 'trua'
          ? 'noon'
          : word === 'dem' || word === 'khuya'
            ? 'night'
            : /^(a|sa|sang)/.test(word)
              ? 'am'
              : 'pm'
      return true
    },
  ],
  // `Thứ 6`, `T6` (before the word forms, so `Thứ` is not read as English `Thu`)
  [/(?:thu\s*|t)[2-7](?![\p{L}\p{N}/.:-])/uy, () => true],
  // weekdays (ignored: feeds get them wrong): `Thứ Sáu`, `Thứ 6`, `T6`, `Chủ nhật`, `CN`, `Fri`, `Friday`
  [
    new RegExp(
      `(?:thu\\s*(?:hai|ba|tu|nam|sau|bay)|chu\\s*nhat|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|cn|κυρ|δευ|τρι|τετ|πεμ|παρ|σαβ)${END}`,
      'yu',
    ),
    () => true,
  ],
  // words sites put around dates: `Cập nhật lúc`, `Đăng ngày`, `Ngày đăng:`, `Published:`, `giờ Hà Nội`
  [
    new RegExp(
      `(?:cap\\s*nhat|dang|ngay|luc|vao|thoi\\s*gian|xuat\\s*ban|gui|sua|gio\\s*ha\\s*noi|gio\\s*viet\\s*nam|published|updated|modified|posted|last|date|time|on|at|le)${END}`,
      'yu',
    ),
    () => true,
  ],
  // `Etc/GMT`, `Etc/GMT+5` (POSIX sign: UTC-5)
  [
    /etc\/[a-z]{2,9}(?:[+-]\d{1,2})?(?![\p{L}\p{N}])/uy,
    (m, p) => {
      const minutes = etcZone(m[0])
      return minutes === undefined ? false : setZone(p, minutes)
    },
  ],
  // named zones: `ICT`, `EST`, `MEST`, `ET`, …; `Z` and the military letters only after a time
  [
    new RegExp(`([a-z]{1,5})${END}`, 'yu'),
    (m, p) => {
      const name = m[1] as string
      const minutes = NAMED_ZONES[name]
      // One-letter zones (Z, the military letters) only after a time.
      if (minutes === undefined || (name.length === 1 && p.times === 0)) return false
      return setZone(p, minutes)
    },
  ],
  // separators and comments: `|`, `-`, `,`, `(`, `)`, `:`, `/`, `.`
  [/\s+|[,|\-–—()[\]/.:;·•]/uy, () => true],
]

function scan(folded: string): Parts | undefined {
  const parts: Parts = { dates: 0, times: 0, zones: 0 }
  let position = 0
  outer: while (position < folded.length) {
    for (const [pattern, handle] of TOKENS) {
      pattern.lastIndex = position
      const match = pattern.exec(folded)
      if (match === null || match[0] === '') continue
      const outcome = handle(match, parts)
      if (outcome === null) continue
      if (!outcome) return undefined
      position += match[0].length
      continue outer
    }
    return undefined
  }
  if (parts.dates !== 1 || parts.times > 1 || parts.zones > 1) return undefined
  return parts
}

/** An RFC 822 comment such as `(Indochina Time)`: dropped unless it is a zone name (`(ICT)`). */
const COMMENT = /\(([a-z][a-z\s]*)\)/g

// ISO 8601 / W3C-DTF, extended and basic formats.
const ISO =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[t\s]+(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$/
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})(?:t(\d{2})(\d{2})(\d{2})?(?:[.,](\d{1,9}))?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$/

// The RFC 822 form almost every RSS feed uses, read without the general scanner.
const RFC822 =
  /^(?:[a-z]{3},\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+(?:([+-])(\d{2})(\d{2})|([a-z]{1,4}|etc\/gmt))$/

function rfcParts(folded: string): Parts | undefined {
  const match = RFC822.exec(folded)
  if (match === null) return undefined
  const [, day, monthName, year, hour, minute, second, sign, offsetHours, offsetMinutes, zoneName] = match
  const month = MONTHS[monthName as string]
  if (month === undefined) return undefined
  const named = zoneName === undefined ? undefined : (NAMED_ZONES[zoneName] ?? etcZone(zoneName))
  if (zoneName !== undefined && named === undefined) return undefined
  const parts: Parts = { dates: 1, times: 0, zones: 0, year: Number(year), month, day: Number(day) }
  setTime(parts, hour, minute, second)
  setZone(parts, named ?? signedOffset(sign, offsetHours, offsetMinutes))
  return parts
}

// ISO 8601 ordinal dates (`2003-335`, `2003335`, `03335`, `03-335`, with a time or not) and the reduced forms of
// ISO 8601:1988 with an implied century (`031231` = 2003-12-31, `-0312` / `-03-12` = 2003-12).
const ISO_ORDINAL =
  /^(\d{4}|\d{2})-?(\d{3})(?:[t\s]+(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$/
const ISO_REDUCED = /^(?:(\d{2})(\d{2})(\d{2})|-(\d{2})-?(\d{2}))$/

function reducedParts(folded: string): Parts | undefined {
  const ordinal = ISO_ORDINAL.exec(folded)
  if (ordinal !== null) {
    const [, yearText, dayOfYear, hour, minute, second, fraction, zone] = ordinal
    const year = year4(yearText as string)
    const days = Number(dayOfYear)
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
    if (days < 1 || days > (leap ? 366 : 365)) return undefined
    const date = new Date(0)
    date.setUTCFullYear(year, 0, days)
    const parts: Parts = { dates: 1, times: 0, zones: 0, year, month: date.getUTCMonth() + 1, day: date.getUTCDate() }
    if (hour !== undefined) setTime(parts, hour, minute, second, fraction)
    if (zone !== undefined) applyIsoZone(parts, zone)
    return parts
  }
  const reduced = ISO_REDUCED.exec(folded)
  if (reduced === null) return undefined
  if (reduced[1] !== undefined)
    return { dates: 1, times: 0, zones: 0, year: year4(reduced[1]), month: Number(reduced[2]), day: Number(reduced[3]) }
  return { dates: 1, times: 0, zones: 0, year: year4(reduced[4] as string), month: Number(reduced[5]), day: 1 }
}

function applyIsoZone(parts: Parts, zone: string): void {
  if (zone === 'z') setZone(parts, 0)
  else setZone(parts, signedOffset(zone[0], zone.slice(1, 3), zone.slice(3).replace(':', '')))
}

function isoParts(folded: string): Parts | undefined {
  const match = ISO.exec(folded) ?? ISO_BASIC.exec(folded)
  if (match === null) return reducedParts(folded)
  const [, year, month, day, hour, minute, second, fraction, zone] = match
  const parts: Parts = { dates: 1, times: 0, zones: 0 }
  parts.year = Number(year)
  parts.month = month === undefined ? 1 : Number(month)
  parts.day = day === undefined ? 1 : Number(day)
  if (hour !== undefined) setTime(parts, hour, minute, second, fraction)
  if (zone !== undefined) applyIsoZone(parts, zone)
  return parts
}

function fold(value: string): string {
  // ASCII (ISO, RFC 822 — nearly every feed date) needs no Unicode folding.
  if (/^[\x20-\x7e]*$/.test(value)) return value.toLowerCase().trim()
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[\u00a0\u2000-\u200b\u202f\u3000\ufeff]/g, ' ')
    .trim()
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29
  return MONTH_DAYS[month - 1] ?? 0
}

function toInstant(parts: Parts, timeZone: string): Date | undefined {
  const { year = 0, month = 0, day = 0, minute = 0, second = 0, ms = 0 } = parts
  let hour = parts.hour ?? 0
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  if (parts.meridiem !== undefined && parts.hour !== undefined) {
    if (hour > 12) {
      if (parts.meridiem === 'am') return undefined
    } else if (parts.meridiem === 'am') hour = hour === 12 ? 0 : hour
    else if (parts.meridiem === 'pm') hour = hour === 12 ? 12 : hour + 12
    else if (parts.meridiem === 'noon') hour = hour < 6 ? hour + 12 : hour
    else if (parts.meridiem === 'night') hour = hour >= 6 && hour < 12 ? hour + 12 : hour === 12 ? 0 : hour
  }
  if (hour > 23 || minute > 59 || second > 60) return undefined
  const local = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms)
  // Date.UTC maps years 0–99 to 1900–1999; fix them.
  const fixed = year < 100 ? new Date(local).setUTCFullYear(year) : local
  if (parts.offset !== undefined) {
    if (Math.abs(parts.offset) > 18 * 60) return undefined
    return new Date(fixed - parts.offset * 60_000)
  }
  const instant = zonedToInstant(fixed, timeZone)
  return Number.isFinite(instant) ? new Date(instant) : undefined
}

const KOREAN = /[\uac00-\ud7a3]/
/** Korean forms (folding would split the Hangul syllables): `2004년 05월 28일 01:31:15` → `2004-05-28 01:31:15`;
 * `오전`/`오후` → `am`/`pm` (`2004-05-25 오후 11:23:17`). */
function fromKorean(value: string): string {
  return value
    .replace(/(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일/g, '$1-$2-$3')
    .replace(/오전/g, ' am ')
    .replace(/오후/g, ' pm ')
}

/**
 * Read a date as sites and feeds write it. Zone-less values are read in `options.timeZone`
 * (default Asia/Ho_Chi_Minh); a date without a time is midnight there. `undefined` for anything invalid.
 * Throws a NormalizeError (`ERR_CONFIG_INVALID`) only for a `timeZone` Intl does not know: that is a
 * programming or configuration error, not bad input.
 */
export function parseDate(value: string, options: ParseDateOptions = {}): Date | undefined {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE
  if (!isValidTimeZone(timeZone)) {
    throw new NormalizeError('ERR_CONFIG_INVALID', `Expected \`timeZone\` to be an IANA time zone, got \`${timeZone}\``)
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) return undefined
  const folded = fold(KOREAN.test(value) ? fromKorean(value) : value).replace(COMMENT, (comment, inside: string) =>
    NAMED_ZONES[inside.trim()] === undefined ? ' ' : comment,
  )
  if (folded === '') return undefined
  const parts = isoParts(folded) ?? rfcParts(folded) ?? scan(folded)
  if (parts === undefined) return undefined
  const date = toInstant(parts, timeZone)
  return date === undefined || Number.isNaN(date.getTime()) ? undefined : date
}
