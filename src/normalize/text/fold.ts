/** Folding for matching and dedupe keys: foldText, and comparisons that stop at the first folded difference. */
import { CLEAN, cleanText, scan } from './clean.js'

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
