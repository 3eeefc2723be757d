/**
 * The source credit: who originally published a story. "Theo Baothaibinh.com.vn", "Nguồn: VOV", "(Theo TTXVN)",
 * "./. (TTXVN)", a leading "(Baoquangninh.vn) –" dateline, mapped through the outlet registry. An ordinary sentence
 * that starts with "Theo" ("Theo kế hoạch, …", "Theo ông Nguyễn Văn A, …") is not a credit.
 */
import type { ArticleCredit } from '../types.js'
import { domainOf, findOutlet } from './outlets.js'
import { cleanText } from './text/index.js'
import type { OutletEntry } from './types.js'

export interface CreditContext {
  /** Extra outlets, searched before the shipped registry. */
  outlets?: OutletEntry[]
  /** The link the credit line carries (`Nguồn: <a href>`): its host names the outlet. */
  href?: string
  /** A per-source pattern whose first capture group is the outlet (`rules.creditPattern`). */
  pattern?: RegExp
}

/** Maps a credited name through the registry: `{ text, name, domain }`; unknown outlets keep the name as written. */
export function creditFromName(text: string, name: string, outlets?: OutletEntry[], href?: string): ArticleCredit {
  const parts = [name, ...name.split(/\s+[-–—/|]\s+|\s*\/\s*/)].map((p) => p.trim()).filter((p) => p !== '')
  const hrefDomain = href === undefined ? undefined : domainOf(href)
  for (const part of parts) {
    const outlet = findOutlet(part, outlets)
    if (outlet !== undefined) return withOutlet(text, outlet, domainOf(part) ?? hrefDomain)
  }
  if (hrefDomain !== undefined) {
    const outlet = findOutlet(hrefDomain, outlets)
    if (outlet !== undefined) return withOutlet(text, outlet, hrefDomain)
  }
  const domain = parts.map((p) => domainOf(p)).find((d) => d !== undefined) ?? hrefDomain
  return { text, name, ...(domain === undefined ? {} : { domain }) }
}

function withOutlet(text: string, outlet: OutletEntry, fallbackDomain: string | undefined): ArticleCredit {
  const domain = outlet.domains[0] ?? fallbackDomain
  return { text, name: outlet.name, ...(domain === undefined ? {} : { domain }) }
}

const CONNECTORS = new Set(['và', '&', '-', '–', '—', '/', '|', 'of', 'the'])
const OUTLET_WORD =
  /^(?:báo|tạp chí|đài|cổng|trang|kênh|thông tấn|trung tâm|tờ|tạp chí điện tử|báo điện tử)\s+(?!cáo\b)/iu

/** An abbreviation such as TTXVN, VOV, QĐND — but not PV/CTV (a reporter). */
function isAbbreviation(value: string): boolean {
  return /^[\p{Lu}][\p{Lu}\d.&-]{1,9}$/u.test(value) && !/^(?:PV|CTV|BTV|TG|ST|TH|PV\.|CTV\.)$/u.test(value)
}

/** Does this read as the name of an outlet (not the rest of a sentence)? */
function isOutletName(value: string, outlets: OutletEntry[] | undefined, strict: boolean): boolean {
  const v = value.trim()
  if (v === '' || v.length > 80) return false
  if (findOutlet(v, outlets) !== undefined || domainOf(v) !== undefined) return true
  const parts = v.split(/\s+[-–—/|]\s+|\s*\/\s*/)
  if (parts.length > 1 && parts.some((p) => findOutlet(p, outlets) !== undefined || domainOf(p) !== undefined))
    return true
  if (/[,;:!?]/.test(v) || /\.\s/.test(v) || /\.$/.test(v)) return false
  const words = v.split(/\s+/)
  if (words.length > 10) return false
  if (isAbbreviation(v)) return true
  if (OUTLET_WORD.test(v)) return true
  if (strict) return false
  return words.every((w) => CONNECTORS.has(w.toLowerCase()) || /^[\p{Lu}\d]/u.test(w))
}

const CREDIT_LINE = /^(theo|nguồn(?:\s+(?:tin|bài|bài viết|tham khảo))?|source)\s*(:)?\s*(.+?)\.?$/iu

/** Recognises a whole line that is a source credit. */
export function detectCreditLine(text: string, ctx: CreditContext = {}): ArticleCredit | undefined {
  if (text.length > 400) return undefined
  const t = cleanText(text)
  if (t === '' || t.length > 160) return undefined
  if (ctx.pattern !== undefined) {
    ctx.pattern.lastIndex = 0
    const m = ctx.pattern.exec(t)
    const name = m?.[1]?.trim()
    if (name !== undefined && name !== '') return creditFromName(t, name, ctx.outlets, ctx.href)
  }
  const lead = t.replace(/^\.\/\.\s*/, '')
  // The end test first: the regex alone tries every position of the line.
  const s = (lead.endsWith('./.') ? lead.replace(/\s*\.\/\.$/, '') : lead).trim()
  const inner = (/^[([]\s*(.*?)\s*[)\]]\.?$/u.exec(s)?.[1] ?? s).trim()
  const m = CREDIT_LINE.exec(inner)
  if (m !== null) {
    const word = (m[1] ?? '').toLowerCase()
    const colon = m[2] !== undefined
    const target = (m[3] ?? '').trim()
    if (word !== 'theo' && colon) {
      // "Nguồn: X" is a credit whatever X is, as long as X is short and not a sentence.
      if (target.length <= 100 && !/[.!?]\s+\p{Ll}/u.test(target) && /\p{L}/u.test(target)) {
        return creditFromName(t, target, ctx.outlets, ctx.href)
      }
      return undefined
    }
    if (isOutletName(target, ctx.outlets, false)) return creditFromName(t, target, ctx.outlets, ctx.href)
    return undefined
  }
  // A line that is nothing but an outlet: "TTXVN", "VOV.VN", "Báo Thái Bình".
  if (inner.length <= 80 && findOutlet(inner, ctx.outlets) !== undefined) {
    return creditFromName(t, inner, ctx.outlets, ctx.href)
  }
  return undefined
}

/** Recognises a source credit line; `undefined` when the text is not one. */
export function resolveCredit(text: string, outlets?: OutletEntry[]): ArticleCredit | undefined {
  return detectCreditLine(text, outlets === undefined ? {} : { outlets })
}

const DATELINE = /^\s*([^()\n]{0,40}?)\s*\(\s*((?:theo\s+)?[^()]{2,60}?)\s*\)\s*[-–—:]+\s*/iu

/** A bare dateline: "TTO - ", "VOV.VN – ", "Baothaibinh.com.vn - " (no parentheses). */
const BARE_DATELINE = /^\s*([^\s()[\]\-–—:,][^()[\]\n\-–—:,]{0,28}?)\s*[-–—]+\s+/u

/**
 * A leading dateline: "(Baoquangninh.vn) – Sáng 9/3, …", "Hà Nội (TTXVN) – …", or a bare "TTO - " / "VOV.VN - ".
 * `strip` is how many characters to cut from the paragraph: the whole dateline when it is only the credit, none
 * when it also names a place. A bare one counts only when it is a domain or an outlet's capitalised abbreviation
 * ("TTO", "PLO"), never a place name or a plain word before a dash.
 */
export function detectLeadingDateline(
  text: string,
  ctx: CreditContext = {},
): { credit: ArticleCredit; strip: number } | undefined {
  const m = DATELINE.exec(text)
  if (m === null) return detectBareDateline(text, ctx)
  const prefix = (m[1] ?? '').trim()
  const written = cleanText(m[2] ?? '')
  const name = written.replace(/^theo\s+/iu, '')
  if (prefix !== '' && (/[.!?;:]/.test(prefix) || !/^[\p{Lu}\d]/u.test(prefix))) return undefined
  if (!(findOutlet(name, ctx.outlets) !== undefined || domainOf(name) !== undefined || isAbbreviation(name))) {
    return undefined
  }
  // Text after the dash must be there (a paragraph that is only "(TTXVN) –" is not a dateline).
  if (text.slice(m[0].length).trim() === '') return undefined
  return { credit: creditFromName(written, name, ctx.outlets), strip: prefix === '' ? m[0].length : 0 }
}

function detectBareDateline(text: string, ctx: CreditContext): { credit: ArticleCredit; strip: number } | undefined {
  const m = BARE_DATELINE.exec(text)
  if (m === null) return undefined
  const name = cleanText(m[1] ?? '')
  if (name === '' || text.slice(m[0].length).trim() === '') return undefined
  const known = findOutlet(name, ctx.outlets) !== undefined
  const isDomain = domainOf(name) !== undefined && /\.[a-z]{2,}$/i.test(name)
  if (!isDomain && !(known && isAbbreviation(name.replace(/\.(?:VN|vn|COM|com)$/, '')))) return undefined
  return { credit: creditFromName(name, name, ctx.outlets), strip: m[0].length }
}

const TRAILING = /(\.\/\.|[.!?…"”»])\s*\(\s*((?:theo\s+)?[^()]{2,60}?)\s*\)\s*\.?\s*$/iu

/** "… hiệu quả./. (TTXVN)": a credit glued to the end of the last paragraph. `index` is where to cut. */
export function detectTrailingAgency(
  text: string,
  ctx: CreditContext = {},
): { credit: ArticleCredit; index: number } | undefined {
  // Only the end of the paragraph can hold it.
  const offset = text.length > 120 ? text.length - 120 : 0
  const m = TRAILING.exec(offset === 0 ? text : text.slice(offset))
  if (m === null || offset + m.index < 20) return undefined
  const written = cleanText(m[2] ?? '')
  const name = written.replace(/^theo\s+/iu, '')
  if (!(findOutlet(name, ctx.outlets) !== undefined || domainOf(name) !== undefined || isAbbreviation(name))) {
    return undefined
  }
  return { credit: creditFromName(written, name, ctx.outlets), index: offset + m.index + (m[1] ?? '').length }
}

const patternCache = new Map<string, RegExp | undefined>()

/** Compiles `rules.creditPattern` (case-insensitive); an invalid pattern is ignored. */
export function compileCreditPattern(source: string | undefined): RegExp | undefined {
  if (source === undefined || source === '') return undefined
  if (patternCache.has(source)) return patternCache.get(source)
  let re: RegExp | undefined
  for (const flags of ['iu', 'i']) {
    try {
      re = new RegExp(source, flags)
      break
    } catch {
      re = undefined
    }
  }
  if (patternCache.size > 500) patternCache.clear()
  patternCache.set(source, re)
  return re
}
