/**
 * The tables the date readers of parse/ (strict) and normalize/ (`parseDate`) share: month names and zone names.
 * Keys are folded the way normalize/ folds a value: lower case, diacritics removed (`Ιούλ` → `ιουλ`, `július` →
 * `julius`).
 */

/** English month names and abbreviations (lower case) → month number. */
export const MONTHS: Readonly<Record<string, number>> = Object.freeze({
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
})

/** Month names of other languages feeds are written in (folded), full and abbreviated: Greek (the forms Greek
 * locales print, `Ιαν`, `Φεβ`, `Μάρ`/`Μαρ`, `Μάι`/`Μαΐ`, `Ιούν`/`Ιον`, …) and Hungarian (`január` … `december`,
 * `márc`, `máj`). */
export const FOREIGN_MONTHS: Readonly<Record<string, number>> = Object.freeze({
  // Greek
  ιαν: 1,
  ιανουαριος: 1,
  ιανουαριου: 1,
  φεβ: 2,
  φεβρουαριος: 2,
  φεβρουαριου: 2,
  μαρ: 3,
  μαω: 3,
  μαρτιος: 3,
  μαρτιου: 3,
  απρ: 4,
  απριλιος: 4,
  απριλιου: 4,
  μαι: 5,
  μαιος: 5,
  μαιου: 5,
  ιουν: 6,
  ιον: 6,
  ιουνιος: 6,
  ιουνιου: 6,
  ιουλ: 7,
  ιολ: 7,
  ιουλιος: 7,
  ιουλιου: 7,
  αυγ: 8,
  αυγουστος: 8,
  αυγουστου: 8,
  σεπ: 9,
  σεπτεμβριος: 9,
  σεπτεμβριου: 9,
  οκτ: 10,
  οκτωβριος: 10,
  οκτωβριου: 10,
  νοε: 11,
  νοεμβριος: 11,
  νοεμβριου: 11,
  δεκ: 12,
  δεκεμβριος: 12,
  δεκεμβριου: 12,
  // Hungarian
  januar: 1,
  februar: 2,
  marcius: 3,
  marc: 3,
  aprilis: 4,
  majus: 5,
  maj: 5,
  junius: 6,
  julius: 7,
  augusztus: 8,
  szeptember: 9,
  oktober: 10,
  november: 11,
  december: 12,
})

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

/** Fold a word as the date readers do: lower case, combining marks removed (Greek tonos and dialytika too). */
export function foldWord(word: string): string {
  const lower = word.toLowerCase()
  return /^[a-z]*$/.test(lower) ? lower : lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
}

/** Month number of an English, Greek or Hungarian month name or abbreviation (any case, accents or not). */
export function monthNumber(word: string): number | undefined {
  const name = foldWord(word).replace(/\.$/, '')
  const english = MONTHS[name]
  if (english !== undefined) return english
  const index = FULL_MONTHS.indexOf(name)
  if (index !== -1) return index + 1
  return FOREIGN_MONTHS[name]
}

/**
 * Zone names a feed date may carry, in minutes east of UTC: RFC 822's (UT, GMT, Z, the North American EST … PDT and
 * the military letters), the zone-only `ET CT MT PT AT` (standard time), Central European `MET`/`MEST`, and ICT.
 *
 * The military letters follow RFC 822 §5.2 as written (`A` = -1 … `M` = -12, `N` = +1 … `Y` = +12); RFC 1123 notes
 * the signs are the reverse of military use, but feeds that write them follow RFC 822, as feedparser does.
 */
export const RFC822_ZONES: Readonly<Record<string, number>> = Object.freeze({
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  et: -300,
  cst: -360,
  cdt: -300,
  ct: -360,
  mst: -420,
  mdt: -360,
  mt: -420,
  pst: -480,
  pdt: -420,
  pt: -480,
  ast: -240,
  adt: -180,
  at: -240,
  met: 60,
  mest: 120,
  mesz: 120,
  mez: 60,
  ict: 420,
  ...militaryZones(),
})

function militaryZones(): Record<string, number> {
  const zones: Record<string, number> = {}
  const letters = 'abcdefghiklm' // J is not used
  for (let i = 0; i < letters.length; i++) zones[letters[i]!] = -(i + 1) * 60
  const west = 'nopqrstuvwxy'
  for (let i = 0; i < west.length; i++) zones[west[i]!] = (i + 1) * 60
  return zones
}

/** Every named zone `parseDate` reads (RFC 822's and the common abbreviations; `CST` is the RFC's US Central). */
export const NAMED_ZONES: Readonly<Record<string, number>> = Object.freeze({
  ...RFC822_ZONES,
  wet: 0,
  akst: -540,
  akdt: -480,
  hst: -600,
  bst: 60,
  cet: 60,
  west: 60,
  cest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  ist: 330,
  wib: 420,
  sgt: 480,
  myt: 480,
  pht: 480,
  hkt: 480,
  awst: 480,
  wita: 480,
  jst: 540,
  kst: 540,
  wit: 540,
  acst: 570,
  aest: 600,
  acdt: 630,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
})

/**
 * `Etc/GMT`, `Etc/UTC`, `Etc/GMT+5` → minutes east of UTC. The IANA `Etc/GMT±N` names use the POSIX sign:
 * `Etc/GMT+5` is five hours WEST of Greenwich (UTC-5).
 */
export function etcZone(name: string): number | undefined {
  const match = /^etc\/(?:gmt|utc|uct|ut|zulu|universal|greenwich)(?:([+-])(\d{1,2}))?$/i.exec(name)
  if (match === null) return undefined
  if (match[1] === undefined) return 0
  const hours = Number(match[2])
  if (hours > 14) return undefined
  return (match[1] === '+' ? -1 : 1) * hours * 60
}
