/**
 * Outlet lookups over the registry (outlet-table.ts) and the config's extra entries: by name, alias or domain,
 * an item's outlet from its credit, its site or its feed's title, and the key outlets are compared by.
 */
import { detach } from '../internal/detach.js'
import type { ArticleCredit, ArticleOutlet } from '../types.js'
import { OUTLETS } from './outlet-table.js'
import { cleanText, foldText } from './text/index.js'
import type { OutletEntry } from './types.js'

export { OUTLETS } from './outlet-table.js'

interface OutletIndex {
  byDomain: Map<string, OutletEntry>
  byName: Map<string, OutletEntry>
}

const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/

/** "https://www.BaoThaiBinh.com.vn/x" → "baothaibinh.com.vn"; undefined when the value is not a host name. */
export function domainOf(value: string): string | undefined {
  let v = value.trim().toLowerCase()
  v = v.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '')
  v = v
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '')
    .replace(/\.$/, '')
  v = v.replace(/^www\d?\./, '')
  return DOMAIN.test(v) ? v : undefined
}

/** Folded key for names: case, tone marks and punctuation ignored; "&" reads as "và". */
function nameKey(value: string): string {
  return foldText(value.replace(/&/g, ' và '))
}

function compactKey(value: string): string {
  return nameKey(value).replace(/ /g, '')
}

function buildIndex(entries: readonly OutletEntry[]): OutletIndex {
  const byDomain = new Map<string, OutletEntry>()
  const byName = new Map<string, OutletEntry>()
  const addName = (key: string, entry: OutletEntry): void => {
    if (key !== '' && !byName.has(key)) byName.set(key, entry)
  }
  for (const entry of entries) {
    for (const d of entry.domains) {
      const domain = domainOf(d)
      if (domain === undefined) continue
      if (!byDomain.has(domain)) byDomain.set(domain, entry)
      // "Baothaibinh" alone names the site too.
      const label = domain.split('.')[0] ?? ''
      if (label.length >= 4) addName(`#${label}`, entry)
    }
    for (const n of [entry.name, ...(entry.aliases ?? [])]) {
      addName(nameKey(n), entry)
      addName(`#${compactKey(n)}`, entry)
    }
  }
  return { byDomain, byName }
}

let shippedIndex: OutletIndex | undefined
const extraIndexes = new WeakMap<readonly OutletEntry[], OutletIndex>()

function lookup(index: OutletIndex, value: string): OutletEntry | undefined {
  const domain = domainOf(value)
  if (domain !== undefined) {
    // Sub-domains (m., english., …) belong to the site.
    const labels = domain.split('.')
    for (let i = 0; i < labels.length - 1; i++) {
      const found = index.byDomain.get(labels.slice(i).join('.'))
      if (found !== undefined) return found
    }
  }
  const key = nameKey(value)
  if (key === '') return undefined
  return index.byName.get(key) ?? index.byName.get(`#${key.replace(/ /g, '')}`)
}

/**
 * Finds an outlet by name, alias or domain (folded: case, tone marks, punctuation and `www.` do not matter).
 * `extra` entries (from config) are searched first.
 */
export function findOutlet(nameOrDomain: string, extra?: OutletEntry[]): OutletEntry | undefined {
  if (nameOrDomain.trim() === '') return undefined
  // The same few names (TTXVN, the site's own domain, …) are looked up again and again: remember the answers, per
  // extra-entries array (the registry itself never changes).
  let cache = extra === undefined ? shippedCache : extraCaches.get(extra)
  if (cache === undefined) {
    cache = new Map()
    if (extra !== undefined) extraCaches.set(extra, cache)
  }
  const cached = cache.get(nameOrDomain)
  if (cached !== undefined || cache.has(nameOrDomain)) return cached
  const found = findOutletUncached(nameOrDomain, extra)
  if (cache.size >= 4096) cache.clear()
  cache.set(detach(nameOrDomain), found)
  return found
}

const shippedCache = new Map<string, OutletEntry | undefined>()
const extraCaches = new WeakMap<readonly OutletEntry[], Map<string, OutletEntry | undefined>>()

function findOutletUncached(nameOrDomain: string, extra: OutletEntry[] | undefined): OutletEntry | undefined {
  if (extra !== undefined && extra.length > 0) {
    let index = extraIndexes.get(extra)
    if (index === undefined) {
      index = buildIndex(extra)
      extraIndexes.set(extra, index)
    }
    const found = lookup(index, nameOrDomain)
    if (found !== undefined) return found
  }
  shippedIndex ??= buildIndex(OUTLETS)
  return lookup(shippedIndex, nameOrDomain)
}

// ------------------------------------------------------------------------------------------------- outlet identity

/** The identity of a registry entry: its name, its current domain (else `domain`), its 2025 group. */
export function identityOf(entry: OutletEntry, domain?: string): ArticleOutlet {
  const d = entry.domains[0] ?? domain
  return { name: entry.name, ...(d === undefined ? {} : { domain: d }), ...(entry.group ? { group: entry.group } : {}) }
}

/** The registry entry whose domain is this host or a parent of it (`m.`, `e.`, … belong to the site); names ignored. */
export function findOutletByHost(host: string | undefined, extra?: OutletEntry[]): OutletEntry | undefined {
  const domain = host === undefined ? undefined : domainOf(host)
  if (domain === undefined) return undefined
  const entry = findOutlet(domain, extra)
  if (entry === undefined) return undefined
  const owns = entry.domains.some((d) => {
    const own = domainOf(d)
    return own !== undefined && (domain === own || domain.endsWith(`.${own}`))
  })
  return owns ? entry : undefined
}

/**
 * Folded titles of sections and feeds, never an outlet: "Tin mới nhất", "Thời sự", "Kinh tế", "RSS". A part of a
 * title that starts with "Tin " / "Chuyên mục " / "Tổng hợp " is one too, unless the registry knows it ("Tin tức 24h").
 */
const SECTIONS = new Set([
  'tin moi nhat',
  'moi nhat',
  'thoi su',
  'tin tuc',
  'su kien',
  'tin tuc su kien',
  'trang chu',
  'noi bat',
  'kinh te',
  'xa hoi',
  'chinh tri',
  'van hoa',
  'the thao',
  'phap luat',
  'giao duc',
  'suc khoe',
  'y te',
  'the gioi',
  'quoc te',
  'trong nuoc',
  'dia phuong',
  'kinh doanh',
  'giai tri',
  'du lich',
  'khoa hoc',
  'cong nghe',
  'so hoa',
  'xe',
  'y kien',
  'goc nhin',
  'tam su',
  'doi song',
  'nong nghiep',
  'nong thon moi',
  'quoc phong',
  'an ninh',
  'moi truong',
  'bat dong san',
  'lao dong',
  'viec lam',
  'chinh sach',
  'ban doc',
  'phong su',
  'thong bao',
  'hoat dong',
  'chuyen de',
  'video',
  'podcast',
  'multimedia',
  'media',
  'emagazine',
  'infographic',
  'anh',
  'home',
  'news',
  'latest',
  'latest news',
  'top news',
  'world',
  'business',
  'sports',
  'life',
  'travel',
  'rss',
  'feed',
  'rss feed',
])
const SECTION_PREFIX = /^(?:tin|chuyen muc|chuyen trang|tong hop|muc|rss|feed) /

function isSection(part: string, extra: OutletEntry[] | undefined): boolean {
  const key = foldText(part)
  if (key === '') return true
  if (SECTIONS.has(key)) return true
  // "Kinh tế - Xã hội", "Văn hóa và Thể thao": sections joined.
  const words = key.split(/ (?:va|and) /)
  if (words.length > 1 && words.every((w) => SECTIONS.has(w))) return true
  return SECTION_PREFIX.test(key) && findOutlet(part, extra) === undefined
}

const TITLE_SEPARATOR = /(\s+[-–—|:»›/]\s+|\s*[|»›]\s*|:\s+)/

/**
 * The outlet a site's title names, without its section parts: "Tin mới nhất - VnExpress RSS" → VnExpress (the
 * registry's), "Cổng TTĐT tỉnh Thái Bình - Kinh tế" → "Cổng TTĐT tỉnh Thái Bình", "Thời sự | Báo Nhân Dân" → Báo Nhân
 * Dân; a title that is only sections ("Tin địa phương") → undefined. `domain` is the site's host, kept on an identity
 * the registry does not know.
 */
export function outletFromTitle(
  title: string | undefined,
  domain: string | undefined,
  extra?: OutletEntry[],
): ArticleOutlet | undefined {
  if (title === undefined) return undefined
  const clean = cleanText(title)
  if (clean === '' || clean.length > 200) return undefined
  const whole = findOutlet(clean, extra)
  if (whole !== undefined) return identityOf(whole, domain)
  const tokens = clean.split(TITLE_SEPARATOR)
  const parts: string[] = []
  for (let i = 0; i < tokens.length; i += 2) {
    const part = (tokens[i] ?? '').replace(/\s+(?:rss(?:\s+feeds?)?|feeds?)$/i, '').trim()
    tokens[i] = part
    parts.push(part)
  }
  for (const part of parts) {
    if (part === '') continue
    const entry = findOutlet(part, extra)
    if (entry !== undefined && !isSection(part, undefined)) return identityOf(entry, domain)
  }
  // Drop section parts from both ends; what is left, separators and all, is the name.
  let first = 0
  let last = parts.length - 1
  while (first <= last && isSection(parts[first] ?? '', extra)) first++
  while (last >= first && isSection(parts[last] ?? '', extra)) last--
  if (first > last) return undefined
  const name = tokens
    .slice(first * 2, last * 2 + 1)
    .join('')
    .trim()
  if (name === '' || !/\p{L}/u.test(name)) return undefined
  return { name, ...(domain === undefined ? {} : { domain }) }
}

export interface OutletInput {
  credit?: ArticleCredit
  /** The article's URL. */
  url?: string
  /** The site and the feed that carried it. */
  siteUrl?: string
  feedUrl?: string
  /** The source's configured name. */
  name?: string
  /** The feed's own channel title. */
  channelTitle?: string
}

/** "Theo Baothaibinh.com.vn" / "Nguồn: TTXVN" → "Baothaibinh.com.vn" / "TTXVN". */
function nameFromCreditText(text: string): string {
  return cleanText(text.replace(/^\s*(?:theo|nguồn|nguon|source)\s*[:：-]?\s*/iu, '').replace(/[.。]+$/, ''))
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined || !/^https?:/i.test(url)) return undefined
  return domainOf(url)
}

/** The outlet a credit names (through the registry when it can). */
export function outletFromCredit(credit: ArticleCredit | undefined, extra?: OutletEntry[]): ArticleOutlet | undefined {
  if (credit === undefined || credit === null) return undefined
  const name = cleanText(credit.name ?? '') || nameFromCreditText(credit.text ?? '')
  const domain = cleanText(credit.domain ?? '') || undefined
  if (name === '' && domain === undefined) return undefined
  const entry = (domain === undefined ? undefined : findOutletByHost(domain, extra)) ?? findOutlet(name, extra)
  const group = entry?.group
  return {
    name: name || entry?.name || (domain as string),
    ...(domain === undefined ? {} : { domain }),
    ...(group === undefined ? {} : { group }),
  }
}

/**
 * The outlet whose site carried an article: the registry entry of the article URL's host, else of the feed's host,
 * else the configured name, else the channel title (section parts dropped, a title that is only a section skipped),
 * else the host.
 */
export function resolveSiteOutlet(input: OutletInput, extra?: OutletEntry[]): ArticleOutlet | undefined {
  const urlHost = hostOf(input.url)
  const feedHost = hostOf(input.siteUrl) ?? hostOf(input.feedUrl)
  const registered = findOutletByHost(urlHost, extra) ?? findOutletByHost(feedHost, extra)
  if (registered !== undefined) return identityOf(registered, feedHost ?? urlHost)
  const host = feedHost ?? urlHost
  const named = outletFromTitle(input.name, host, extra) ?? outletFromTitle(input.channelTitle, host, extra)
  if (named !== undefined) return named
  return host === undefined ? undefined : { name: host, domain: host }
}

/** The outlet that published an article: its credit first, then {@link resolveSiteOutlet}. */
export function resolveOutlet(input: OutletInput, extra?: OutletEntry[]): ArticleOutlet | undefined {
  return outletFromCredit(input.credit, extra) ?? resolveSiteOutlet(input, extra)
}

/** One key per outlet: its 2025 group, else its domain, else its folded name. */
export function outletKey(outlet: ArticleOutlet): string {
  return outlet.group ?? outlet.domain ?? `#${foldText(outlet.name)}`
}
