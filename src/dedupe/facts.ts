/**
 * The facts of a text that dedupe compares besides its wording: numbers, day/month dates and names (runs of
 * capitalised words), each with where it ends, and where a text's first N words end.
 */
import { isTrimSpace } from '../normalize/index.js'
import { fastFold } from './fold.js'

/** At most this many numbers, dates or names are kept of one text. */
export const MAX_SET = 128

const NUMBER = /\d+(?:[.,]\d+)*/g

export function extractNumbers(text: string): string[] {
  return numbersAt(text).values
}

/** extractNumbers(), with where each number ends in `text`: the numbers of a prefix are a prefix of them. */
export function numbersAt(text: string): { values: string[]; ends: number[] } {
  const values: string[] = []
  const ends: number[] = []
  for (const match of text.matchAll(NUMBER)) {
    values.push(match[0].replace(/[.,]/g, '').replace(/^0+(?=\d)/, ''))
    ends.push(match.index + match[0].length)
    if (values.length >= MAX_SET) break
  }
  return { values, ends }
}

/** The numbers (or names) of `found` that end within the first `length` characters of its text. */
export function within(found: { values: string[]; ends: number[] }, length: number): string[] {
  let k = 0
  while (k < found.ends.length && (found.ends[k] as number) <= length) k++
  return found.values.slice(0, k)
}

const DATE = /(?<![\d/.-])(\d{1,2})[/-](\d{1,2})(?:[/-]\d{2,4})?(?![\d/-])/g

/** Day/month dates: templates (bulletins) that differ only in their date stay apart. */
export function extractDates(text: string): string[] {
  const out: string[] = []
  for (const match of text.matchAll(DATE)) {
    const day = Number(match[1])
    const month = Number(match[2])
    if (day < 1 || day > 31 || month < 1 || month > 12) continue
    out.push(`${day}/${month}`)
    if (out.length >= MAX_SET) break
  }
  return out
}

/** Characters a name may follow inside its word (opening quotes and brackets). */
const LEADING = '("“«\'‘['
/** Characters that end a name at the end of a word. */
const BREAK_AFTER = '.!?;:…"”)»,'

/** Classes of code units below CLASSES_SIZE, for entitiesAt(): one table lookup per character. */
const UPPER = 1
const LEAD = 2
const BREAK = 4
const SPACE = 8
const CLASSES_SIZE = 0x2100
let classes: Uint8Array | undefined

/** Upper-case letters (the Latin and Vietnamese ranges, below 0x2000), LEADING, BREAK_AFTER and isSpace() codes. */
function classTable(): Uint8Array {
  const t = new Uint8Array(CLASSES_SIZE)
  for (let c = 0; c < 0x2000; c++) {
    const ch = String.fromCharCode(c)
    if (ch !== ch.toLowerCase()) t[c] = UPPER
  }
  for (const ch of LEADING) t[ch.charCodeAt(0)] = (t[ch.charCodeAt(0)] as number) | LEAD
  for (const ch of BREAK_AFTER) t[ch.charCodeAt(0)] = (t[ch.charCodeAt(0)] as number) | BREAK
  for (const code of [32, 10, 9, 13, 0xa0]) t[code] = (t[code] as number) | SPACE
  return t
}

/** The classes of a code unit (none from CLASSES_SIZE up). */
function classOf(table: Uint8Array, code: number): number {
  return code < CLASSES_SIZE ? (table[code] as number) : 0
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 || code === 0xa0
}

/** Runs of two or more capitalised words (names of people, places, bodies), folded. */
export function extractEntities(text: string): string[] {
  return entitiesAt(text).values
}

/** The words of the current run in entitiesAt(): start and end of each, in pairs. */
let runBounds: number[] = []

/**
 * The words of a run joined by single spaces: the run's span of `text` as it is when single spaces already separate
 * them (almost always), else the words joined.
 */
function runText(text: string, run: number[], words: number): string {
  let single = true
  for (let w = 1; w < words && single; w++) {
    const gap = run[2 * w - 1] as number
    single = run[2 * w] === gap + 1 && text.charCodeAt(gap) === 32
  }
  if (single) return text.slice(run[0], run[2 * words - 1])
  const parts: string[] = new Array(words)
  for (let w = 0; w < words; w++) parts[w] = text.slice(run[2 * w], run[2 * w + 1])
  return parts.join(' ')
}

/**
 * extractEntities(), with where each name ends in `text` (see within); given `counts`, also wordsEnd(text, counts),
 * found in the same walk over the words.
 */
export function entitiesAt(
  text: string,
  counts?: readonly number[],
): { values: string[]; ends: number[]; leads: number[] } {
  if (!classes) classes = classTable()
  const table = classes
  const values: string[] = []
  const ends: number[] = []
  const seen = new Set<string>()
  const run = runBounds
  let words = 0
  const flush = () => {
    if (words >= 2) {
      const entity = fastFold(runText(text, run, words))
      if (entity && !seen.has(entity)) {
        seen.add(entity)
        values.push(entity)
        ends.push(run[2 * words - 1] as number)
      }
    }
    words = 0
  }
  const n = text.length
  const leads: number[] = []
  const wanted = counts?.length ?? 0
  let wordsSeen = 0
  let i = 0
  while (i < n && values.length < MAX_SET) {
    while (i < n && (classOf(table, text.charCodeAt(i)) & SPACE) !== 0) i++
    if (i >= n) break
    if (leads.length < wanted && ++wordsSeen > ((counts as readonly number[])[leads.length] as number)) leads.push(i)
    let start = i
    while (start < n && (classOf(table, text.charCodeAt(start)) & LEAD) !== 0) start++
    let end = start
    while (end < n && (classOf(table, text.charCodeAt(end)) & SPACE) === 0) end++
    if (start < end && (classOf(table, text.charCodeAt(start)) & UPPER) !== 0) {
      run[2 * words] = start
      run[2 * words + 1] = end
      words++
      if ((classOf(table, text.charCodeAt(end - 1)) & BREAK) !== 0) flush()
    } else if (words > 0) flush()
    i = end
  }
  flush()
  if (run.length > 512) runBounds = []
  // (stopped at MAX_SET names: the rest of the counts from where the walk stopped)
  if (leads.length < wanted) wordsEnd(text, counts as readonly number[], i, wordsSeen, leads)
  return { values, ends, leads }
}

/** Salient numbers: not one digit, not a year (every story of a year has it). */
export function isSalientNumber(n: string): boolean {
  if (n.length < 2) return false
  if (n.length === 4) {
    const year = Number(n)
    if (year >= 1945 && year <= 2050) return false
  }
  return true
}

/** Most words of the title capitalised (ALL CAPS, Title Case): its capitals say nothing about names. */
export function shouted(title: string): boolean {
  let words = 0
  let caps = 0
  let inWord = false
  for (let i = 0; i < title.length; i++) {
    if (isTrimSpace(title.charCodeAt(i))) {
      inWord = false
      continue
    }
    if (inWord) continue
    inWord = true
    words++
    const c = title.charAt(i)
    if (c !== c.toLowerCase()) caps++
  }
  return words > 0 && caps / words >= 0.7
}

/**
 * For each of `counts` (ascending), the length of the beginning of `text` holding that many words: one pass for the
 * credit and figure leads.
 */
export function wordsEnd(text: string, counts: readonly number[], from = 0, seen = 0, out: number[] = []): number[] {
  // (from: a position that is not inside a word, the `seen` words before it already counted into `out`)
  let inWord = false
  for (let i = from; i < text.length && out.length < counts.length; i++) {
    const space = isSpace(text.charCodeAt(i))
    if (!space && !inWord && ++seen > (counts[out.length] as number)) out.push(i)
    inWord = !space
  }
  while (out.length < counts.length) out.push(text.length)
  return out
}
