/**
 * Text clean-up for titles, captions, paragraphs and names.
 *
 * `cleanText` keeps the source's spelling (tone-mark placement, case) and only repairs what is broken: entities,
 * mojibake, `Ð` for `Đ`, invisible characters, whitespace. `foldText` is for keys and matching only.
 */
import { Buffer } from 'node:buffer'
import { DecodingMode, decodeHTML } from '../../internal/markup.js'
import { codesOf, fixEth, hasMojibakeHint, MOJIBAKE_CONT, MOJIBAKE_LEAD, repairUtf8 } from './mojibake.js'

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/g
// C0/C1 controls except tab, LF, CR (those are whitespace and collapse to a space)
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g
// Lone surrogates cannot be encoded as UTF-8 and break every output format.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
const SPACES = /[\s\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/g
const ENTITY = /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i

/**
 * Decode HTML entities, also double- and triple-escaped ones (`&amp;quot;` → `"`), until nothing decodes any more.
 * Only complete entities (with `;`) are decoded, so `R&D` or `a&copy=1` stay as written.
 */
export function decodeEntities(value: string): string {
  let current = value
  // Each pass that changes the string shortens it, so this terminates.
  while (current.includes('&') && ENTITY.test(current)) {
    const next = decodeHTML(current, DecodingMode.Strict)
    if (next === current) break
    current = next
  }
  return current
}

/**
 * Entities decoded (also double-escaped), mojibake repaired, `Ð` → `Đ` in Vietnamese text, NFC, no zero-width /
 * soft-hyphen / control characters or lone surrogates, NBSP and other spaces → space, whitespace collapsed, trimmed.
 * Idempotent. A literal `<b>` stays text.
 */
export function cleanText(value: string): string {
  const input = typeof value === 'string' ? value : String(value ?? '')
  const state = scan(input)
  if (state === CLEAN) return input
  if (state === NEEDS_NFC) return input.normalize('NFC')
  let text = cleanOnce(input)
  // Removing invisible characters can complete an entity (`&am\u200bp;`) or a mojibake sequence; clean again then,
  // so that cleanText stays idempotent.
  for (let pass = 0; pass < 3 && ((text.includes('&') && ENTITY.test(text)) || hasMojibakeHint(text)); pass++) {
    const next = cleanOnce(text)
    if (next === text) break
    text = next
  }
  return text
}

/**
 * Per UTF-16 code unit, what cleanText's fast path needs to know, so that one charCode loop (no regex, no ICU call)
 * decides whether a string needs any work: `F_DIRTY` — cleanOnce would change it (invisible, control and odd space
 * characters, `&`, `Ð`/`ð`, surrogates); `F_LEAD`/`F_CONT` — a mojibake lead/continuation (MOJIBAKE_HINT's two
 * classes); `F_NFC_*` — whether NFC leaves the character alone in any context, decided lazily once per character
 * (`F_NOT_SAFE` until it is known to be safe); `F_SPACE` — U+0020.
 */
const F_DIRTY = 1
const F_LEAD = 2
const F_CONT = 4
const F_NFC_CHECKED = 8
const F_NFC_SAFE = 16
const F_SPACE = 64
/** Not (yet) known to be NFC-safe: cleared by isNfcSafe for the characters it finds safe. */
const F_NOT_SAFE = 128
const CHAR_FLAGS = new Uint8Array(0x10000)
{
  const dirty: [number, number][] = [
    [0x0000, 0x001f],
    [0x0026, 0x0026],
    [0x007f, 0x00a0],
    [0x00ad, 0x00ad],
    [0x00d0, 0x00d0],
    [0x00f0, 0x00f0],
    [0x1680, 0x1680],
    [0x180e, 0x180e],
    [0x2000, 0x200f],
    [0x2028, 0x202f],
    [0x205f, 0x2060],
    [0x3000, 0x3000],
    [0xfeff, 0xfeff],
    [0xd800, 0xdfff],
  ]
  for (const [from, to] of dirty) for (let code = from; code <= to; code++) CHAR_FLAGS[code] = F_DIRTY
  for (const code of codesOf(MOJIBAKE_LEAD)) CHAR_FLAGS[code] = (CHAR_FLAGS[code] as number) | F_LEAD
  for (const code of codesOf(MOJIBAKE_CONT)) CHAR_FLAGS[code] = (CHAR_FLAGS[code] as number) | F_CONT
  // Below U+0300 every character is NFC in any context (no combining marks, no composable second characters).
  for (let code = 0; code < 0x300; code++) CHAR_FLAGS[code] = (CHAR_FLAGS[code] as number) | F_NFC_CHECKED | F_NFC_SAFE
  CHAR_FLAGS[0x20] = (CHAR_FLAGS[0x20] as number) | F_SPACE
  for (let code = 0; code < 0x10000; code++) {
    let flags = CHAR_FLAGS[code] as number
    if ((flags & F_NFC_SAFE) === 0) flags |= F_NOT_SAFE
    CHAR_FLAGS[code] = flags
  }
}

const MARK = /\p{M}/u

/**
 * True when NFC never changes this BMP character, wherever it stands: it is its own NFC form, not a mark (marks
 * reorder and compose) and not a Hangul vowel or final jamo (those compose with the syllable before them). Those
 * are all the characters that can compose as the second of a pair in the BMP; surrogates are F_DIRTY anyway.
 */
function isNfcSafe(code: number): boolean {
  let flags = CHAR_FLAGS[code] as number
  if ((flags & F_NFC_CHECKED) === 0) {
    const char = String.fromCharCode(code)
    const safe =
      !(code >= 0xd800 && code <= 0xdfff) &&
      !(code >= 0x1161 && code <= 0x11c2) &&
      !MARK.test(char) &&
      char.normalize('NFC') === char
    flags |= F_NFC_CHECKED | (safe ? F_NFC_SAFE : 0)
    if (safe) flags &= ~F_NOT_SAFE
    CHAR_FLAGS[code] = flags
  }
  return (flags & F_NFC_SAFE) !== 0
}

/**
 * True when NFC never changes this BMP code unit, wherever it stands (see isNfcSafe); false for surrogates. A text
 * whose code units are all NFC-safe is its own NFC form, and so is any prefix of it that is followed by an NFC-safe
 * character (nothing after it can compose with its last character).
 */
export function isNfcSafeUnit(code: number): boolean {
  return ((CHAR_FLAGS[code] as number) & F_NOT_SAFE) === 0 || isNfcSafe(code)
}

/** scan(): nothing to do / only NFC may have work / cleanOnce has work. */
export const CLEAN = 0
const NEEDS_NFC = 1
const NEEDS_CLEANING = 2

/** In scan()'s accumulator: a space after a space; a mojibake continuation after a lead (bits above the flags). */
const PAIR_SPACE = F_SPACE << 8
const PAIR_MOJIBAKE = F_LEAD << 8

/**
 * scan() reads longer strings from a copy of their UTF-16 code units (one native copy, then typed-array reads)
 * rather than with charCodeAt, which on the sliced strings a parser hands out costs several times more per
 * character. Little-endian hosts only (the copy is `utf16le`); elsewhere, and for short or huge strings, charCodeAt.
 */
const SCAN_COPY_MIN = 32
const SCAN_COPY_MAX = 1 << 20
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
let unitBytes = Buffer.allocUnsafeSlow(1 << 14)
let units = new Uint16Array(unitBytes.buffer, unitBytes.byteOffset, unitBytes.length >> 1)

/** The code units of `value` in a shared buffer (valid until the next call), or undefined on big-endian hosts. */
function codeUnitsOf(value: string): Uint16Array | undefined {
  if (!LITTLE_ENDIAN) return undefined
  const bytes = value.length * 2
  if (bytes > unitBytes.length) {
    unitBytes = Buffer.allocUnsafeSlow(Math.max(bytes, unitBytes.length * 2))
    units = new Uint16Array(unitBytes.buffer, unitBytes.byteOffset, unitBytes.length >> 1)
  }
  // utf16le copies the code units as they are (lone surrogates included).
  if (unitBytes.write(value, 0, bytes, 'utf16le') !== bytes) return undefined
  return units
}

/**
 * One pass over the code units: NEEDS_CLEANING when cleanOnce would change anything apart from NFC (a dirty
 * character, two spaces in a row, a leading or trailing space, a mojibake lead/continuation pair), NEEDS_NFC when
 * some character might change under NFC, else CLEAN. The loop has no branch: it ORs every character's flags, and
 * the flags of the two pairs that matter, into one accumulator; only text with a character not yet known to be
 * NFC-safe is looked at again.
 */
export function scan(value: string): number {
  const last = value.length - 1
  if (last < 0) return CLEAN
  if (value.charCodeAt(0) === 0x20 || value.charCodeAt(last) === 0x20) return NEEDS_CLEANING
  let acc = 0
  let previous = 0
  const units = last >= SCAN_COPY_MIN && last < SCAN_COPY_MAX ? codeUnitsOf(value) : undefined
  if (units !== undefined) {
    for (let i = 0; i <= last; i++) {
      const flags = CHAR_FLAGS[units[i] as number] as number
      acc |= flags | ((flags & previous & F_SPACE) << 8) | (((flags >> 1) & previous & F_LEAD) << 8)
      previous = flags
    }
  } else {
    for (let i = 0; i <= last; i++) {
      const flags = CHAR_FLAGS[value.charCodeAt(i)] as number
      // F_CONT is F_LEAD << 1: a continuation after a lead sets PAIR_MOJIBAKE.
      acc |= flags | ((flags & previous & F_SPACE) << 8) | (((flags >> 1) & previous & F_LEAD) << 8)
      previous = flags
    }
  }
  if ((acc & (F_DIRTY | PAIR_SPACE | PAIR_MOJIBAKE)) !== 0) return NEEDS_CLEANING
  if ((acc & F_NOT_SAFE) === 0) return CLEAN
  for (let i = 0; i <= last; i++) {
    const code = value.charCodeAt(i)
    if (((CHAR_FLAGS[code] as number) & F_NOT_SAFE) !== 0 && !isNfcSafe(code)) return NEEDS_NFC
  }
  return CLEAN
}

/** Whitespace other than single spaces: a tab, a newline, NBSP, two spaces in a row, … */
const ODD_SPACE = /[^\S ]| {2}/

/** ES2024 `String.prototype.isWellFormed` (Node ≥ 20); the project's `lib` is ES2023. */
type WellFormed = string & { isWellFormed(): boolean }

function cleanOnce(value: string): string {
  let text = value
  if (text.includes('&')) text = decodeEntities(text)
  text = repairUtf8(text).normalize('NFC')
  // Fast paths: most text has none of these, and a test is much cheaper than a replace with many matches.
  if (!(text as WellFormed).isWellFormed()) text = text.replace(LONE_SURROGATE, '')
  text = text.replace(ZERO_WIDTH, '').replace(CONTROL, '')
  if (ODD_SPACE.test(text)) text = text.replace(SPACES, ' ')
  text = text.trim()
  // Last, on the final letters: removing invisible characters can put an eth at the start of a word.
  return fixEth(text)
}

/** A character String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator). */
export function isTrimSpace(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  )
}
