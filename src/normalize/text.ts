/**
 * Text clean-up for titles, captions, paragraphs and names, and folding for matching.
 *
 * `cleanText` keeps the source's spelling (tone-mark placement, case) and only repairs what is broken: entities,
 * mojibake, `Ð` for `Đ`, invisible characters, whitespace. `foldText` is for keys and matching only.
 * The `entities` package is imported here and nowhere else in src/.
 */
import { Buffer, isUtf8 } from 'node:buffer'
import { DecodingMode, decodeHTML } from '../internal/markup.js'

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

// ---------------------------------------------------------------------------------------------------------------
// Mojibake: UTF-8 bytes that were decoded as windows-1252, windows-1258 or ISO-8859-1 (`Khuyáº¿n` → `Khuyến`).

/** Character → the byte a single-byte decoder made it from (union of windows-1252, windows-1258 and latin-1). */
const BYTE_OF = new Map<number, number>()
for (let byte = 0; byte < 0x80; byte++) BYTE_OF.set(byte, byte)
for (const label of ['windows-1252', 'windows-1258']) {
  const decoded = new TextDecoder(label).decode(Uint8Array.from({ length: 128 }, (_, i) => i + 0x80))
  let i = 0
  for (const char of decoded) {
    const code = char.codePointAt(0) ?? 0
    if (!BYTE_OF.has(code)) BYTE_OF.set(code, 0x80 + i)
    i++
  }
}
// ISO-8859-1 keeps 0x80–0x9F as C1 controls.
for (let byte = 0x80; byte < 0xa0; byte++) if (!BYTE_OF.has(byte)) BYTE_OF.set(byte, byte)

/** The characters that stand for the given bytes, ascending. */
function codesOf(test: (byte: number) => boolean): number[] {
  const codes = [...BYTE_OF].filter(([, byte]) => test(byte)).map(([code]) => code)
  return codes.sort((a, b) => a - b)
}

/** A character class matching the characters that stand for the given bytes, as compact ranges. */
function classOf(test: (byte: number) => boolean): string {
  const codes = codesOf(test)
  const hex = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`
  let out = ''
  for (let i = 0; i < codes.length; i++) {
    const start = codes[i] as number
    let end = start
    while (codes[i + 1] === end + 1) end = codes[++i] as number
    out += end === start ? hex(start) : `${hex(start)}-${hex(end)}`
  }
  return `[${out}]`
}

const MOJIBAKE_LEAD = (byte: number): boolean => byte >= 0xc2 && byte <= 0xf4
const MOJIBAKE_CONT = (byte: number): boolean => byte >= 0x80 && byte <= 0xbf

/** A lead byte followed by a continuation byte, as characters: the fingerprint of UTF-8 mojibake. */
const MOJIBAKE_HINT = new RegExp(classOf(MOJIBAKE_LEAD) + classOf(MOJIBAKE_CONT))

function hasMojibakeHint(value: string): boolean {
  return MOJIBAKE_HINT.test(value)
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** Code points a local (partial) repair may produce: Latin, Vietnamese, combining marks, punctuation, emoji. */
function plausibleRepair(code: number): boolean {
  return (
    (code >= 0xa0 && code <= 0x24f) ||
    (code >= 0x300 && code <= 0x36f) ||
    (code >= 0x1e00 && code <= 0x1eff) ||
    (code >= 0x2000 && code <= 0x206f) ||
    (code >= 0x20a0 && code <= 0x20cf) ||
    code === 0x2122 ||
    (code >= 0x1f000 && code <= 0x1faff)
  )
}

function toBytes(chars: string[]): Uint8Array | undefined {
  const bytes = new Uint8Array(chars.length)
  for (let i = 0; i < chars.length; i++) {
    const byte = BYTE_OF.get(chars[i]?.codePointAt(0) ?? -1)
    if (byte === undefined) return undefined
    bytes[i] = byte
  }
  return bytes
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2
  if (lead >= 0xe0 && lead <= 0xef) return 3
  if (lead >= 0xf0 && lead <= 0xf4) return 4
  return 0
}

/** Every byte after the first is a UTF-8 continuation byte. */
function continues(bytes: Uint8Array): boolean {
  for (let k = 1; k < bytes.length; k++) if (!MOJIBAKE_CONT(bytes[k] as number)) return false
  return true
}

function repairOnce(value: string): string {
  const chars = Array.from(value)
  // Whole string: every character maps back to a byte and the bytes are valid UTF-8.
  const whole = toBytes(chars)
  if (whole !== undefined && isUtf8(whole)) {
    try {
      return UTF8.decode(whole)
    } catch {
      // not entirely mojibake; fall through to local repair
    }
  }
  // Local: repair each complete, valid UTF-8 sequence that decodes to a plausible character.
  let out = ''
  let i = 0
  while (i < chars.length) {
    const char = chars[i] as string
    const lead = BYTE_OF.get(char.codePointAt(0) ?? -1)
    const length = lead === undefined ? 0 : sequenceLength(lead)
    if (length > 0) {
      const bytes = toBytes(chars.slice(i, i + length))
      // Continuation bytes checked first: most lead characters are plain Vietnamese letters (`á`, `ê`), and a
      // decoder that throws is slow.
      if (bytes !== undefined && bytes.length === length && continues(bytes)) {
        try {
          const decoded = UTF8.decode(bytes)
          if (plausibleRepair(decoded.codePointAt(0) ?? 0)) {
            out += decoded
            i += length
            continue
          }
        } catch {
          // invalid sequence: keep the characters as they are
        }
      }
    }
    out += char
    i++
  }
  return out
}

/**
 * Repair UTF-8 text that was decoded as windows-1252/-1258 or latin-1 (`Khuyáº¿n` → `Khuyến`, `Äá»“ng` → `Đồng`),
 * also twice-garbled text. A sequence is only replaced when its bytes are valid UTF-8 (the repair round-trips), so
 * correct Vietnamese (`Hà Nội`, `Ông`) is left alone. Then `Ð` (U+00D0, Icelandic eth) written for `Đ` is replaced
 * when the text is Vietnamese.
 */
export function repairMojibake(value: string): string {
  return fixEth(repairUtf8(value))
}

function repairUtf8(value: string): string {
  let current = value
  for (let pass = 0; pass < 3 && hasMojibakeHint(current); pass++) {
    const next = repairOnce(current)
    if (next === current) break
    current = next
  }
  return current
}

/** Letters only Vietnamese uses among Latin scripts (ă â đ ê ô ơ ư and the tone-marked vowels of U+1EA0–U+1EF9). */
const VIETNAMESE = /[ăâđêôơưĂÂĐÊÔƠƯ\u1EA0-\u1EF9]/

function fixEth(value: string): string {
  if (!/[Ðð]/.test(value)) return value
  // Anywhere in Vietnamese text, or when one starts a word (Icelandic never starts a word with an eth, Vietnamese
  // often does: Ðà Nẵng, ÐOÀN); then the text is Vietnamese and every eth is read as Đ/đ.
  if (VIETNAMESE.test(value.normalize('NFC')) || /(?<![\p{L}\p{M}\p{N}])[Ðð]\p{L}/u.test(value)) {
    return value.replace(/Ð/g, 'Đ').replace(/ð/g, 'đ')
  }
  return value
}

/** Vietnamese-specific letters present: a cheap "is this Vietnamese text" test. */
export function looksVietnamese(value: string): boolean {
  return VIETNAMESE.test(value.normalize('NFC'))
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

/** scan(): nothing to do / only NFC may have work / cleanOnce has work. */
const CLEAN = 0
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
function scan(value: string): number {
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

/**
 * Fold text for matching and dedupe keys: entities, mojibake, case, punctuation, Unicode form (NFC/NFD, and
 * compatibility forms such as full-width letters) and diacritics all fold away, so Vietnamese tone-mark placement
 * (`hoà`/`hòa`, `thuỷ`/`thủy`, `oà`/`òa`, `uỳ`/`ùy`) folds to one form; `đ`/`Đ`/`Ð` → `d`. Words are separated by
 * single spaces. Idempotent: foldText(foldText(x)) === foldText(x).
 */
export function foldText(value: string): string {
  const text = cleanText(value)
  if (buffer.length < text.length * 3 + 8) buffer = new Uint16Array(text.length * 3 + 8)
  const out = buffer
  let length = 0
  // Start as if after a space: leading separators are dropped; runs of separators become one space.
  let space = true
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i)
    if (code < 0x80) {
      if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)) {
        out[length++] = code
        space = false
      } else if (code >= 0x41 && code <= 0x5a) {
        out[length++] = code + 0x20
        space = false
      } else if (!space) {
        out[length++] = 0x20
        space = true
      }
      continue
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      code = text.codePointAt(i) ?? code
      if (code > 0xffff) i++
    }
    const folded = foldChar(code)
    for (let j = 0; j < folded.length; j++) {
      const unit = folded.charCodeAt(j)
      if (unit === 0x20) {
        if (space) continue
        space = true
      } else space = false
      if (length >= out.length) return slowFold(text)
      out[length++] = unit
    }
  }
  if (length > 0 && out[length - 1] === 0x20) length--
  let folded = ''
  for (let start = 0; start < length; start += 4096) {
    folded += String.fromCharCode.apply(
      null,
      out.subarray(start, Math.min(start + 4096, length)) as unknown as number[],
    )
  }
  return folded
}

let buffer = new Uint16Array(1024)

/**
 * The folded code units of a clean text, one at a time (foldText's loop, lazily), so that two texts can be compared
 * without folding either whole: most compared paragraphs differ within a few characters.
 */
class FoldCursor {
  private index = 0
  private pending = ''
  private pendingIndex = 0
  private gap = false
  private started = false
  private held = -1

  constructor(private readonly text: string) {}

  /** The next folded code unit; -1 at the end; -2 when a character folds to more than two units (use foldText). */
  next(): number {
    if (this.held >= 0) {
      const unit = this.held
      this.held = -1
      return unit
    }
    const text = this.text
    for (;;) {
      let unit: number
      if (this.pendingIndex < this.pending.length) unit = this.pending.charCodeAt(this.pendingIndex++)
      else {
        if (this.index >= text.length) return -1
        let code = text.charCodeAt(this.index++)
        if (code < 0x80) {
          if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)) unit = code
          else if (code >= 0x41 && code <= 0x5a) unit = code + 0x20
          else unit = 0x20
        } else {
          if (code >= 0xd800 && code <= 0xdbff) {
            code = text.codePointAt(this.index - 1) ?? code
            if (code > 0xffff) this.index++
          }
          const folded = foldChar(code)
          if (folded.length > 2) return -2
          if (folded.length === 0) continue
          this.pending = folded
          this.pendingIndex = 1
          unit = folded.charCodeAt(0)
        }
      }
      if (unit === 0x20) {
        this.gap = true
        continue
      }
      if (this.gap && this.started) {
        this.gap = false
        this.held = unit
        return 0x20
      }
      this.gap = false
      this.started = true
      return unit
    }
  }
}

/** `foldText(a) === foldText(b) && foldText(a) !== ''`, stopping at the first folded difference. */
export function foldsEqual(a: string, b: string): boolean {
  if (scan(a) === CLEAN && scan(b) === CLEAN) {
    const x = new FoldCursor(a)
    const y = new FoldCursor(b)
    let empty = true
    for (;;) {
      const u = x.next()
      const v = y.next()
      if (u === -2 || v === -2) break
      if (u !== v) return false
      if (u === -1) return !empty
      empty = false
    }
  }
  const folded = foldText(a)
  return folded !== '' && folded === foldText(b)
}

/** `foldText(text).startsWith(foldText(prefix))`, stopping at the first folded difference. */
export function foldStartsWith(text: string, prefix: string): boolean {
  if (scan(text) === CLEAN && scan(prefix) === CLEAN) {
    const x = new FoldCursor(text)
    const y = new FoldCursor(prefix)
    for (;;) {
      const u = y.next()
      if (u === -1) return true
      const v = x.next()
      if (u === -2 || v === -2) break
      if (u !== v) return false
    }
  }
  return foldText(text).startsWith(foldText(prefix))
}

/** The same fold with strings, for the rare text whose folded form outgrows the buffer. */
function slowFold(text: string): string {
  let out = ''
  for (const char of text) out += foldChar(char.codePointAt(0) ?? 0)
  return out
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** Per-character folds of non-ASCII characters, computed once each: BMP in an array, the rest in a bounded map. */
const FOLDED_BMP: (string | undefined)[] = new Array(0x10000)
const FOLDED = new Map<number, string>()

function foldChar(code: number): string {
  let folded = code < 0x10000 ? FOLDED_BMP[code] : FOLDED.get(code)
  if (folded === undefined) {
    folded = String.fromCodePoint(code)
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/[đð]/g, 'd')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
    if (code < 0x10000) FOLDED_BMP[code] = folded
    else if (FOLDED.size < 65_536) FOLDED.set(code, folded)
  }
  return folded
}

/** Escape plain text for HTML text content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
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
