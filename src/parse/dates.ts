/**
 * Strict feed dates: only forms that name their zone and cannot be misread (RFC 822 with any weekday and an English,
 * Greek or Hungarian month; ISO 8601 calendar, ordinal and month-name dates with a time and an offset; asctime with a
 * zone). Everything else (day-first numeric
 * dates, zone-less times, Vietnamese forms, `GMT+7`) is left to normalize/'s `parseDate`, which gets the raw string.
 */
import { etcZone, monthNumber, RFC822_ZONES } from '../internal/months.js'

/** Zone names the strict reader accepts (minutes east of UTC): RFC 822's, `ET CT MT PT AT`, `MET`/`MEST`, the
 * military letters, ICT, `Etc/GMT[±N]`. Anything else (`GMT+7`, `JST`, `IST`) is left to normalize/. */
function zoneMinutes(zone: string): number | undefined {
  return RFC822_ZONES[zone.toLowerCase()] ?? etcZone(zone)
}

const ZONE = '[+-]\\d{4}|[+-]\\d{2}:\\d{2}|[A-Za-z]{1,4}|Etc/[A-Za-z]{2,9}(?:[+-]\\d{1,2})?'
const MONTH_WORD = '[\\p{L}]{3,12}'

// [Fri,] 10 Mar 2017 08:15[:00] +0700 | GMT | +07:00 | MEST | ET | Etc/GMT; weekday skipped, whatever its language;
// Greek and Hungarian month names too (`Κυρ, 11 Ιούλ 2004 12:00:00 EST`).
const RFC822 = new RegExp(
  `^(?:\\p{L}{2,9}\\.?,?\\s*)?(\\d{1,2})[\\s-]+(${MONTH_WORD})\\.?[\\s-]+(\\d{2}|\\d{4}),?\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.\\d+)?)?\\s*(${ZONE})$`,
  'u',
)
// 2017-03-10T08:15[:00[.123]] Z | +07:00 | +0700 | +07; ordinal 2003-335T…; Hungarian 2004-július-13T9:15-05:00
const ISO8601 =
  /^(\d{4})-(\d{2}|\d{3}|\p{L}{3,12}\.?)(?:-(\d{1,2}))?[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)$/u
// asctime / ctime with a zone: `Sun Jan  4 16:29:06 PST 2004` (without one it is zone-less: normalize/ reads it)
const ASCTIME = new RegExp(
  `^\\p{L}{2,9},?\\s+(${MONTH_WORD})\\s+(\\d{1,2})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s+(${ZONE})\\s+(\\d{4})$`,
  'u',
)

/** Keep the date strings as given (normalize/ re-reads them) and fill the instants the strict parser is sure of. */
export function setItemDates(
  item: { published?: Date; updated?: Date; raw: { published?: string; updated?: string } },
  rawPublished: string | undefined,
  rawUpdated: string | undefined,
): void {
  if (rawPublished !== undefined) {
    item.raw.published = rawPublished
    const published = parseStrictDate(rawPublished)
    if (published !== undefined) item.published = published
  }
  if (rawUpdated !== undefined) {
    item.raw.updated = rawUpdated
    const updated = parseStrictDate(rawUpdated)
    if (updated !== undefined) item.updated = updated
  }
}

/** An instant from an RFC 822 / ISO 8601 date that carries its zone; undefined for anything else. Never Invalid. */
export function parseStrictDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (text.length < 10 || text.length > 64) return undefined
  const iso = ISO8601.exec(text)
  if (iso) {
    const fraction = iso[7] === undefined ? 0 : Math.round(Number(`0.${iso[7]}`) * 1000)
    const year = +iso[1]!
    let month: number | undefined
    let day: number
    if (/^\d{3}$/.test(iso[2]!)) {
      // Ordinal date: day of the year.
      if (iso[3] !== undefined) return undefined
      const ordinal = +iso[2]!
      const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      if (ordinal < 1 || ordinal > (leap ? 366 : 365)) return undefined
      const date = new Date(Date.UTC(2000, 0, 1))
      date.setUTCFullYear(year, 0, ordinal)
      month = date.getUTCMonth() + 1
      day = date.getUTCDate()
    } else {
      month = /^\d/.test(iso[2]!) ? +iso[2]! : monthNumber(iso[2]!)
      if (iso[3] === undefined || month === undefined) return undefined
      day = +iso[3]
    }
    return build(year, month, day, +iso[4]!, +iso[5]!, iso[6] === undefined ? 0 : +iso[6], fraction, offset(iso[8]!))
  }
  const rfc = RFC822.exec(text)
  if (rfc) {
    const month = monthNumber(rfc[2]!)
    if (month === undefined) return undefined
    let year = +rfc[3]!
    if (rfc[3]!.length === 2) year += year >= 50 ? 1900 : 2000
    return build(year, month, +rfc[1]!, +rfc[4]!, +rfc[5]!, rfc[6] === undefined ? 0 : +rfc[6], 0, offset(rfc[7]!))
  }
  const asctime = ASCTIME.exec(text)
  if (asctime) {
    const month = monthNumber(asctime[1]!)
    if (month === undefined) return undefined
    const second = asctime[5] === undefined ? 0 : +asctime[5]
    return build(+asctime[7]!, month, +asctime[2]!, +asctime[3]!, +asctime[4]!, second, 0, offset(asctime[6]!))
  }
  return undefined
}

/** Minutes east of UTC, or undefined for an unknown zone. */
function offset(zone: string): number | undefined {
  const sign = zone[0]
  if (sign === '+' || sign === '-') {
    const digits = zone.slice(1).replace(':', '')
    const hours = +digits.slice(0, 2)
    const minutes = digits.length > 2 ? +digits.slice(2, 4) : 0
    if (hours > 14 || minutes > 59) return undefined
    return (sign === '-' ? -1 : 1) * (hours * 60 + minutes)
  }
  return zoneMinutes(zone)
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  zoneMinutes: number | undefined,
): Date | undefined {
  if (zoneMinutes === undefined) return undefined
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined
  if (day > new Date(Date.UTC(2000, month, 0)).getUTCDate()) return undefined // 2000: a leap year
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return undefined
  if (hour > 23 || minute > 59 || second > 60) return undefined
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, Math.min(second, 59), Math.min(ms, 999))
  const time = date.getTime() - zoneMinutes * 60_000
  return Number.isFinite(time) ? new Date(time) : undefined
}
