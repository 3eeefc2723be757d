/** Readers of a parsed item's fields: strings, links, authors, categories, enclosures, languages. */
import { detach } from '../internal/detach.js'
import type { ParsedItem } from '../parse/index.js'
import type { Enclosure } from '../types.js'
import { escapeHtmlNumeric } from './html/index.js'
import { plausibleEnclosureLength } from './media.js'
import { cleanText, foldText } from './text/index.js'
import { absoluteUrl, canonicalUrl } from './url.js'

const MAX_CATEGORIES = 50

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

export function validDate(value: unknown): Date | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : undefined
}

export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const cleaned = cleanText(value)
  return cleaned === '' ? undefined : cleaned
}

export function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  try {
    return new URL(url).hostname.replace(/^www\./, '')
  } catch {
    return undefined
  }
}

const languages = new Map<string, string | undefined>()

/** BCP 47 form of a feed's language (`vi-vn` → `vi-VN`); a few spelled-out names; otherwise undefined. Remembered
 * per value: Intl.getCanonicalLocales costs tens of µs, and feeds repeat a handful of values. */
export function canonicalLanguage(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  if (languages.has(value)) return languages.get(value)
  const language = readLanguage(value)
  if (languages.size < 1000) languages.set(detach(value), language)
  return language
}

function readLanguage(value: string): string | undefined {
  const raw = text(value)?.replace(/_/g, '-')
  if (raw === undefined) return undefined
  const named: Record<string, string> = { vietnamese: 'vi', 'tieng viet': 'vi', english: 'en', 'tieng anh': 'en' }
  const known = named[foldText(raw)]
  if (known !== undefined) return known
  try {
    return Intl.getCanonicalLocales(raw)[0]
  } catch {
    return undefined
  }
}

/** `x@y (Name)` → `Name`, `Name <x@y>` → `Name`, a bare e-mail → nothing. */
export function cleanAuthor(value: unknown): string | undefined {
  let author = text(value)
  if (author === undefined) return undefined
  const emailThenName = /^\S+@\S+\s*\((.+)\)$/.exec(author)
  if (emailThenName) author = emailThenName[1]?.trim() ?? ''
  const nameThenEmail = /^(.+?)\s*[<(]\s*(?:mailto:)?\S+@\S+\s*[>)]$/.exec(author)
  if (nameThenEmail) author = nameThenEmail[1]?.trim() ?? ''
  if (/^(?:mailto:)?[^\s@]+@[^\s@]+$/.test(author)) return undefined
  author = author.replace(/^["'“‘(]+|["'”’)]+$/g, '').trim()
  return author === '' ? undefined : author
}

export function categoriesOf(values: unknown): string[] {
  if (!Array.isArray(values)) return []
  const seen = new Set<string>()
  const out: string[] = []
  for (const value of values) {
    const category = text(value)
    if (category === undefined) continue
    const key = foldText(category)
    if (key === '' || seen.has(key)) continue
    seen.add(key)
    out.push(category)
    if (out.length >= MAX_CATEGORIES) break
  }
  return out
}

export function enclosuresOf(values: unknown, base: string | undefined): Enclosure[] {
  if (!Array.isArray(values)) return []
  const seen = new Set<string>()
  const out: Enclosure[] = []
  for (const value of values) {
    if (value === null || typeof value !== 'object') continue
    const { url: rawUrl, type: rawType, length: rawLength } = value as Record<string, unknown>
    const url = absoluteUrl(str(rawUrl) ?? '', base)
    if (url === undefined || seen.has(url)) continue
    seen.add(url)
    const type = /^[\w.+-]+\/[\w.+-]+/.exec(text(rawType)?.toLowerCase() ?? '')?.[0]
    const length = plausibleEnclosureLength(url, type, rawLength)
    out.push({ url, ...(type === undefined ? {} : { type }), ...(length === undefined ? {} : { length }) })
  }
  return out
}

/** The item's own link: `link`, else a guid that is an http(s) URL. */
export function linkOf(item: ParsedItem, base: string | undefined): string | undefined {
  const link = str(item.link)
  if (link !== undefined) {
    const url = canonicalUrl(link, base)
    if (url !== undefined) return url
  }
  const guid = str(item.id)?.trim()
  if (guid !== undefined && /^https?:\/\//i.test(guid)) return canonicalUrl(guid)
  return undefined
}

/** Plain-text summary as body HTML, for items that carry no content: one paragraph per line. */
export function textToHtml(value: string): string {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => `<p>${escapeHtmlNumeric(line)}</p>`)
    .join('')
}

export function shorten(value: string, max: number): string {
  if (value.length <= max) return value
  const cut = value.slice(0, max)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`
}
