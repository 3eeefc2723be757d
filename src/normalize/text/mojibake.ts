/**
 * Mojibake: UTF-8 bytes that were decoded as windows-1252, windows-1258 or ISO-8859-1 (`Khuyáº¿n` → `Khuyến`), and
 * `Ð` (Icelandic eth) written for `Đ`.
 */
import { isUtf8 } from 'node:buffer'

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
export function codesOf(test: (byte: number) => boolean): number[] {
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

export const MOJIBAKE_LEAD = (byte: number): boolean => byte >= 0xc2 && byte <= 0xf4
export const MOJIBAKE_CONT = (byte: number): boolean => byte >= 0x80 && byte <= 0xbf

/** A lead byte followed by a continuation byte, as characters: the fingerprint of UTF-8 mojibake. */
const MOJIBAKE_HINT = new RegExp(classOf(MOJIBAKE_LEAD) + classOf(MOJIBAKE_CONT))

export function hasMojibakeHint(value: string): boolean {
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

export function repairUtf8(value: string): string {
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

export function fixEth(value: string): string {
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
