/**
 * Strict feed dates: only forms that name their zone and cannot be misread. Everything else (day-first numeric
 * dates, zone-less times, Vietnamese forms, `GMT+7`) is left to normalize/'s `parseDate`, which gets the raw string.
 */
import { MONTHS } from '../internal/months.js'

/** RFC 822 zone names (and the unambiguous ICT), in minutes east of UTC. */
const ZONES: Record<string, number> = {
  gmt: 0,
  ut: 0,
  utc: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  ict: 420,
}

// [Fri,] 10 Mar 2017 08:15[:00] +0700 | GMT | +07:00
const RFC822 =
  /^(?:[A-Za-z]{2,9}\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([+-]\d{4}|[+-]\d{2}:\d{2}|[A-Za-z]{1,4})$/
// 2017-03-10T08:15[:00[.123]] Z | +07:00 | +0700 | +07
const ISO8601 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)$/

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
    return build(
      +iso[1]!,
      +iso[2]!,
      +iso[3]!,
      +iso[4]!,
      +iso[5]!,
      iso[6] === undefined ? 0 : +iso[6],
      fraction,
      offset(iso[8]!),
    )
  }
  const rfc = RFC822.exec(text)
  if (rfc) {
    const month = monthNumber(rfc[2]!)
    if (month === undefined) return undefined
    let year = +rfc[3]!
    if (rfc[3]!.length === 2) year += year >= 50 ? 1900 : 2000
    return build(year, month, +rfc[1]!, +rfc[4]!, +rfc[5]!, rfc[6] === undefined ? 0 : +rfc[6], 0, offset(rfc[7]!))
  }
  return undefined
}

const FULL_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
]

function monthNumber(word: string): number | undefined {
  const name = word.toLowerCase()
  const short = MONTHS[name]
  if (short !== undefined) return short
  const index = FULL_MONTHS.indexOf(name)
  return index === -1 ? undefined : index + 1
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
  return ZONES[zone.toLowerCase()]
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
