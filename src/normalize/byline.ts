/**
 * The byline at the end of a body: "Minh Hà", "Bài và ảnh: Thu Thủy", "Hồng Nhung (tổng hợp)", "Minh Hà (TTXVN)",
 * "Nhóm PV". Conservative: a short last line that reads as a sentence is not a byline.
 */
import { cleanText } from './text/index.js'

export interface BylineOptions {
  /** The whole line is right-aligned, bold or italic (how CMSs set bylines). */
  formatted?: boolean
}

export interface Byline {
  /** The author(s) as written, without a "Bài và ảnh:" prefix. */
  byline: string
  /** An agency named in parentheses ("Minh Hà (TTXVN)" → "TTXVN"). */
  agency?: string
}

const PREFIX =
  /^(?:(?:bài|tin|ảnh|video|clip)\s*(?:,|và|&|-|\/)\s*(?:ảnh|bài|tin|video|clip)(?:\s*(?:,|và|&)\s*(?:ảnh|video|clip))?|bài|tin|thực hiện|nhóm thực hiện|người viết|tác giả|phóng viên|pv|nhóm pv|nhóm phóng viên)\s*:\s*(.+)$/iu
const TEAM = /^(?:nhóm\s+(?:pv|phóng viên|ctv|phóng viên thường trú)|pv|ctv|ban biên tập|bbt|nhóm pv\s*\+.*)$/iu
const PAREN = /^(.+?)\s*\(\s*([^()]{1,30})\s*\)$/u
const COMPILED = /^(?:tổng hợp|th|t\.h|st|sưu tầm|lược dịch|dịch|theo .+|ctv|pv|bt|biên tập)$/iu
const CONNECTOR = new Set(['và', '&', '-', '–', '—', '/', ',', '+'])

/** "Minh Hà", "N.H", "Nguyễn Văn A - Thu Hà": each word capitalised (or an initial), few words, no sentence. */
export function isNameLike(value: string, maxWords = 8): boolean {
  const v = value.trim()
  if (v === '' || v.length > 60) return false
  if (/[!?;:"“”]/.test(v) || /\.\s+\p{Ll}/u.test(v) || /\d{3,}/.test(v)) return false
  if (/\.$/.test(v) && !/(?:^|[\s.])\p{Lu}\.$/u.test(v)) return false
  const words = v.split(/\s+|(?<=,)/).filter((w) => w !== '' && w !== ',')
  if (words.length > maxWords) return false
  let names = 0
  for (const w of words) {
    const bare = w.replace(/,$/, '')
    if (CONNECTOR.has(bare.toLowerCase())) continue
    if (!/^[\p{Lu}\d]/u.test(bare)) return false
    names++
  }
  return names > 0
}

function isAgency(value: string): boolean {
  return /^(?:theo\s+)?[\p{Lu}][\p{Lu}\d.&-]{1,9}$/u.test(value) && !/^(?:PV|CTV|BTV|TH|ST|BT)$/u.test(value)
}

/** Recognises a byline line; `undefined` when the text is not one. */
export function detectByline(text: string, options: BylineOptions = {}): Byline | undefined {
  if (text.length > 200) return undefined
  const t = cleanText(text)
  if (t === '' || t.length > 80) return undefined
  const prefixed = PREFIX.exec(t)
  if (prefixed?.[1] !== undefined) {
    const name = prefixed[1].trim().replace(/\.$/, '')
    if (isNameLike(name) || PAREN.test(name)) return { byline: name }
    return undefined
  }
  if (TEAM.test(t)) return { byline: t }
  const paren = PAREN.exec(t)
  if (paren?.[1] !== undefined && paren[2] !== undefined && isNameLike(paren[1], 6)) {
    const inner = paren[2].trim()
    // "Thu Hà (Theo VOV)": the byline, and the outlet it came from.
    const via = /^theo\s+(.+)$/iu.exec(inner)?.[1]
    if (via !== undefined && /^[\p{Lu}\d]/u.test(via)) return { byline: t, agency: via }
    if (COMPILED.test(inner)) return { byline: t }
    if (isAgency(inner)) return { byline: t, agency: inner.replace(/^theo\s+/iu, '') }
    return undefined
  }
  // A bare name: only when set apart (right-aligned, bold, italic), or clearly a short name.
  if (options.formatted === true && isNameLike(t, 8)) return { byline: t }
  if (isNameLike(t, 4) && t.length <= 30 && t.split(/\s+/).length >= 2 && !/[.,]/.test(t)) return { byline: t }
  return undefined
}
