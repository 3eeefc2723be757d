/**
 * Text clean-up for titles, captions, paragraphs and names, and folding for matching.
 * (Initial version: the normalization issue deepens it — entities, mojibake repair — keeping these signatures.)
 */

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g
// C0/C1 controls except tab, LF, CR
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g
const SPACES = /[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g

/** NFC, no zero-width/soft-hyphen/control characters, NBSP → space, whitespace collapsed, trimmed. */
export function cleanText(value: string): string {
  return value.normalize('NFC').replace(ZERO_WIDTH, '').replace(CONTROL, '').replace(SPACES, ' ').trim()
}

/**
 * Fold text for matching and dedupe keys: case, punctuation, Unicode form and Vietnamese tone-mark placement
 * (`hoà`/`hòa`, `thuỷ`/`thủy`) all fold to one form. Idempotent: foldText(foldText(x)) === foldText(x).
 */
export function foldText(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}
