/**
 * normalizeFeed: ParsedFeed → Article[]. Synchronous and total: a bad item is skipped into `skipped` with a code,
 * the others go on; nothing in a ParsedFeed-shaped input makes it throw.
 */

import { detach } from '../internal/detach.js'
import type { ParsedFeed, ParsedItem } from '../parse/index.js'
import type { Article, ArticleCredit, ArticleOutlet, ArticleSource, Enclosure, Source } from '../types.js'
import { type BodyResult, rebuildBody } from './body/index.js'
import { detectLeadingDateline, resolveCredit } from './credit.js'
import { DEFAULT_TIME_ZONE, isValidTimeZone, parseDate } from './date.js'
import { escapeHtmlNumeric, sanitizeRebuiltHtml, sanitizeRebuiltHtmlAll } from './html/index.js'
import { articleId } from './id.js'
import { guessLanguage, languageOfUrl, primaryLanguage } from './language.js'
import { plausibleEnclosureLength } from './media.js'
import { findOutlet, outletFromCredit, resolveSiteOutlet } from './outlets.js'
import { cleanText, foldText, looksVietnamese } from './text/index.js'
import type { NormalizeOptions, NormalizeResult, NormalizeWarningCode, OutletEntry } from './types.js'
import { absoluteUrl, canonicalUrl } from './url.js'

/** Dates before this are implausible for a news item (no Vietnamese site published online before 1995). */
const EARLIEST = Date.UTC(1995, 0, 1)
/** Dates further than this after the fetch are implausible (clock skew and zone slips are under a day). */
const FUTURE_SLACK = 86_400_000
const MAX_CATEGORIES = 50
const TITLE_FROM_TEXT = 120

type DateField = 'published' | 'updated'

interface FeedContext {
  source: Source
  sourceInfo: ArticleSource
  timeZone: string
  fetchedAt: Date
  base: string | undefined
  sourceHost: string | undefined
  language: string | undefined
  outlets: OutletEntry[] | undefined
  /** The feed's own channel title (sourceInfo.title is the configured name when there is one). */
  channelTitle: string | undefined
  /** Site outlets by article host: the items of a feed share a few. */
  sites: Map<string, ArticleOutlet | undefined>
  warn: (index: number, code: NormalizeWarningCode, message: string) => void
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function validDate(value: unknown): Date | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : undefined
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const cleaned = cleanText(value)
  return cleaned === '' ? undefined : cleaned
}

function hostOf(url: string | undefined): string | undefined {
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
function canonicalLanguage(value: unknown): string | undefined {
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

function categoriesOf(values: unknown): string[] {
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

function enclosuresOf(values: unknown, base: string | undefined): Enclosure[] {
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
function linkOf(item: ParsedItem, base: string | undefined): string | undefined {
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
function textToHtml(value: string): string {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => `<p>${escapeHtmlNumeric(line)}</p>`)
    .join('')
}

function shorten(value: string, max: number): string {
  if (value.length <= max) return value
  const cut = value.slice(0, max)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`
}

function readDate(item: ParsedItem, field: DateField, ctx: FeedContext, index: number): Date | undefined {
  const raw = str((item.raw as Record<string, unknown> | undefined)?.[field])
  let parsed: Date | undefined
  if (raw !== undefined && raw.trim() !== '') {
    try {
      parsed = parseDate(raw, { timeZone: ctx.timeZone })
    } catch {
      parsed = undefined
    }
  }
  const date = parsed ?? validDate(item[field])
  if (date === undefined && raw !== undefined && raw.trim() !== '') {
    ctx.warn(index, 'ERR_NORMALIZE_DATE_INVALID', `unreadable ${field} date \`${shorten(cleanText(raw), 80)}\``)
  }
  return date
}

function plausible(date: Date, ctx: FeedContext): boolean {
  const time = date.getTime()
  return time >= EARLIEST && time <= ctx.fetchedAt.getTime() + FUTURE_SLACK
}

/**
 * published = the item's published date (re-read from the raw string in the source zone first), else its updated
 * date, else the fetch time. Implausible dates (before 1995, more than a day after the fetch) are reported and
 * skipped. Where the date came from is reported as ERR_NORMALIZE_DATE_FALLBACK whenever it is not `published`.
 */
function datesOf(item: ParsedItem, ctx: FeedContext, index: number): { published: Date; updated?: Date } {
  const candidates: [DateField, Date | undefined][] = [
    ['published', readDate(item, 'published', ctx, index)],
    ['updated', readDate(item, 'updated', ctx, index)],
  ]
  let published: Date | undefined
  for (const [field, date] of candidates) {
    if (date === undefined) continue
    if (!plausible(date, ctx)) {
      ctx.warn(index, 'ERR_NORMALIZE_DATE_IMPLAUSIBLE', `implausible ${field} date ${date.toISOString()} ignored`)
      continue
    }
    if (published === undefined) {
      published = date
      if (field !== 'published') {
        ctx.warn(index, 'ERR_NORMALIZE_DATE_FALLBACK', `published date taken from the item's ${field} date`)
      }
    }
  }
  if (published === undefined) {
    ctx.warn(index, 'ERR_NORMALIZE_DATE_FALLBACK', 'no usable date: published set to the fetch time')
    published = new Date(ctx.fetchedAt.getTime())
  }
  const updated = candidates[1]?.[1]
  return updated !== undefined && plausible(updated, ctx) ? { published, updated } : { published }
}

function creditFrom(value: string | undefined, outlets: OutletEntry[] | undefined): ArticleCredit | undefined {
  const credit = text(value)
  if (credit === undefined) return undefined
  return resolveCredit(credit, outlets) ?? { text: credit }
}

/**
 * Who first published the story: the body's credit line, else an RSS `<source>` naming another site, else the
 * configured `source.credit`, else `rules.credit`.
 */
function creditOf(item: ParsedItem, body: BodyResult, ctx: FeedContext): ArticleCredit | undefined {
  if (body.credit !== undefined) return body.credit
  const origin = item.source
  if (origin !== null && typeof origin === 'object') {
    const originUrl = absoluteUrl(str(origin.url) ?? '')
    const originHost = hostOf(originUrl)
    if (originHost === undefined || originHost !== ctx.sourceHost) {
      const byName = creditFrom(str(origin.title), ctx.outlets)
      if (byName !== undefined)
        return originHost === undefined || byName.domain !== undefined ? byName : { ...byName, domain: originHost }
      if (originHost !== undefined)
        return resolveCredit(originHost, ctx.outlets) ?? { text: originHost, domain: originHost }
    }
  }
  return creditFrom(ctx.source.credit, ctx.outlets) ?? creditFrom(ctx.source.rules?.credit, ctx.outlets)
}

function normalizeItem(item: ParsedItem, url: string, id: string, ctx: FeedContext, index: number): Article {
  const { published, updated } = datesOf(item, ctx, index)
  const rawTitle = text(item.title)
  const rawSummary = text(item.summary)
  const contentHtml = str(item.contentHtml)
  const html =
    contentHtml !== undefined && contentHtml.trim() !== '' ? contentHtml : textToHtml(str(item.summary) ?? '')
  const media = Array.isArray(item.media) ? item.media.filter((m) => m !== null && typeof m?.url === 'string') : []
  // The gate runs once per feed over every body (gateBodies).
  const body = rebuildBody(html, {
    baseUrl: url,
    ...(ctx.source.rules === undefined ? {} : { rules: ctx.source.rules }),
    ...(rawTitle === undefined ? {} : { title: rawTitle }),
    ...(rawSummary === undefined ? {} : { summary: rawSummary }),
    ...(ctx.outlets === undefined ? {} : { outlets: ctx.outlets }),
    ...(media.length === 0 ? {} : { media }),
  })
  const lead = text(body.lead) ?? body.text.find((paragraph) => paragraph !== '')
  const title =
    rawTitle ??
    (rawSummary === undefined ? undefined : shorten(rawSummary, TITLE_FROM_TEXT)) ??
    (lead === undefined ? undefined : shorten(lead, TITLE_FROM_TEXT))
  if (title === undefined) throw new SkipItem('ERR_NORMALIZE_NO_TITLE', 'item has no title and no text')
  if (rawTitle === undefined) ctx.warn(index, 'ERR_NORMALIZE_NO_TITLE', 'item has no title: taken from its text')
  // a summary that opens with the dateline ("(Dân trí) - …", a page's sapo) loses it, as the body's first paragraph does
  const dateline =
    rawSummary === undefined
      ? undefined
      : detectLeadingDateline(rawSummary, ctx.outlets ? { outlets: ctx.outlets } : {})
  const summary =
    rawSummary !== undefined && dateline !== undefined && dateline.strip > 0
      ? rawSummary.slice(dateline.strip).trimStart() || rawSummary
      : (rawSummary ?? lead)
  const credit = creditOf(item, body, ctx)
  const site = siteOf(url, ctx)
  const outlet = outletFromCredit(credit, ctx.outlets) ?? site
  const author = byline(text(body.byline), ctx, site) ?? byline(cleanAuthor(item.author), ctx, site)
  const guid = text(item.id)
  const language = languageOf(item, url, `${title} ${summary ?? ''} ${lead ?? ''}`, ctx)
  return {
    id,
    ...(guid === undefined ? {} : { guid }),
    url,
    title,
    published,
    ...(updated === undefined ? {} : { updated }),
    ...(author === undefined ? {} : { author }),
    ...(summary === undefined ? {} : { summary }),
    contentHtml: body.contentHtml,
    text: body.text,
    images: body.images,
    enclosures: enclosuresOf(item.enclosures, url),
    ...(credit === undefined ? {} : { credit }),
    categories: categoriesOf(item.categories),
    source: ctx.sourceInfo,
    ...(language === undefined ? {} : { language }),
    ...(outlet === undefined ? {} : { outlet }),
    ...(site === undefined ? {} : { site }),
  }
}

/** The outlet whose site carried the item (see resolveSiteOutlet), remembered per host for the feed. */
function siteOf(url: string, ctx: FeedContext): ArticleOutlet | undefined {
  const host = hostOf(url) ?? ''
  if (ctx.sites.has(host)) return ctx.sites.get(host)
  const siteUrl = ctx.sourceInfo.siteUrl ?? str(ctx.source.siteUrl)
  const name = text(ctx.source.name)
  const site = resolveSiteOutlet(
    {
      url,
      ...(siteUrl === undefined ? {} : { siteUrl }),
      feedUrl: ctx.source.url,
      ...(name === undefined ? {} : { name }),
      ...(ctx.channelTitle === undefined ? {} : { channelTitle: ctx.channelTitle }),
    },
    ctx.outlets,
  )
  if (ctx.sites.size < 256) ctx.sites.set(host, site)
  return site
}

/**
 * A byline, or undefined when the "author" is the outlet, the feed or a section ("VnExpress", "Tin mới nhất -
 * VnExpress RSS", an Atom feed's organisation author inherited by its entries): only a person is published as author.
 */
function byline(author: string | undefined, ctx: FeedContext, site: ArticleOutlet | undefined): string | undefined {
  if (author === undefined) return undefined
  const key = foldText(author)
  for (const name of [site?.name, ctx.channelTitle, text(ctx.source.name)]) {
    if (name !== undefined && foldText(name) === key) return undefined
  }
  return findOutlet(author, ctx.outlets) === undefined ? author : undefined
}

/**
 * The item's language: its own `xml:lang`/`dc:language`, else an English edition's URL (`e.vnexpress.net`), else
 * its text when that clearly reads as another language than the feed's, else the feed's, else `vi` for text with
 * Vietnamese letters.
 */
function languageOf(item: ParsedItem, url: string, sample: string, ctx: FeedContext): string | undefined {
  const own = canonicalLanguage(item.language)
  if (own !== undefined) return own
  const byUrl = languageOfUrl(url)
  if (byUrl !== undefined) return primaryLanguage(ctx.language) === byUrl ? ctx.language : byUrl
  const guessed = guessLanguage(sample)
  if (guessed !== undefined && primaryLanguage(ctx.language) !== guessed) return guessed
  return ctx.language ?? (looksVietnamese(sample) ? 'vi' : undefined)
}

class SkipItem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

function contextOf(feed: ParsedFeed, options: NormalizeOptions, result: NormalizeResult): FeedContext {
  const given = options?.source
  const source: Source =
    given !== null && typeof given === 'object' && typeof given.id === 'string'
      ? given
      : { id: 'unknown', url: typeof given?.url === 'string' ? given.url : '' }
  const warn = (index: number, code: NormalizeWarningCode, message: string) => {
    result.warnings.push({ index, code, message })
  }
  let timeZone = DEFAULT_TIME_ZONE
  for (const zone of [options?.timeZone, source.timeZone]) {
    if (zone === undefined) continue
    if (isValidTimeZone(zone)) {
      timeZone = zone
      break
    }
    warn(-1, 'ERR_NORMALIZE_TIME_ZONE', `unknown time zone \`${String(zone)}\`: ${DEFAULT_TIME_ZONE} used`)
  }
  let fetchedAt: Date | undefined
  try {
    fetchedAt = validDate(typeof options?.now === 'function' ? options.now() : undefined)
  } catch {
    fetchedAt = undefined
  }
  fetchedAt ??= new Date()
  const feedUrl = absoluteUrl(source.url)
  const siteUrl = canonicalUrl(str(feed.link) ?? '', feedUrl)
  const title = text(source.name) ?? text(feed.title)
  const sourceInfo: ArticleSource = {
    id: source.id,
    feedUrl: source.url,
    ...(title === undefined ? {} : { title }),
    ...(siteUrl === undefined ? {} : { siteUrl }),
  }
  const language = canonicalLanguage(feed.language)
  const channelTitle = text(feed.title)
  return {
    source,
    sourceInfo,
    timeZone,
    fetchedAt,
    base: siteUrl ?? feedUrl,
    sourceHost: hostOf(siteUrl) ?? hostOf(feedUrl),
    language,
    outlets: Array.isArray(options?.outlets) ? [...options.outlets] : undefined,
    channelTitle,
    sites: new Map(),
    warn,
  }
}

/** Ids: an item's canonical URL, unless other items of the feed share it (or it is the site's home page). */
function idsOf(items: unknown[], links: (string | undefined)[], ctx: FeedContext): (string | undefined)[] {
  const identities = new Map<string, Set<string>>()
  items.forEach((item, index) => {
    const url = links[index]
    if (url === undefined) return
    const record = item as ParsedItem
    const identity = str(record.id) ?? str(record.title) ?? `#${index}`
    const set = identities.get(url) ?? new Set<string>()
    set.add(identity)
    identities.set(url, set)
  })
  const home = ctx.sourceInfo.siteUrl
  return items.map((item, index) => {
    const url = links[index]
    if (url === undefined) return undefined
    const shared = (identities.get(url)?.size ?? 0) > 1 || url === home || url === absoluteUrl(ctx.source.url)
    if (!shared) return articleId({ sourceId: ctx.source.id, url })
    const record = item as ParsedItem
    ctx.warn(index, 'ERR_NORMALIZE_SHARED_LINK', `link ${url} is not the item's own: id made from its guid`)
    const guid = text(record.id)
    const title = text(record.title)
    return articleId({
      sourceId: ctx.source.id,
      ...(guid === undefined ? {} : { guid }),
      ...(title === undefined ? {} : { title }),
    })
  })
}

/**
 * Turn a parsed feed into Articles, in item order. Never throws: an item that cannot become an Article is listed in
 * `skipped` (`ERR_NORMALIZE_NO_LINK`, `ERR_NORMALIZE_NO_TITLE`, `ERR_NORMALIZE_ITEM`); non-fatal notes (dates,
 * shared links, an unknown time zone and the parse warnings such as ERR_PARSE_TRUNCATED at index -1) go to `warnings`.
 */
export function normalizeFeed(feed: ParsedFeed, options: NormalizeOptions): NormalizeResult {
  const result: NormalizeResult = { articles: [], skipped: [], warnings: [] }
  const safeFeed = (feed !== null && typeof feed === 'object' ? feed : { items: [] }) as ParsedFeed
  let ctx: FeedContext
  let items: unknown[]
  try {
    ctx = contextOf(safeFeed, options, result)
    items = Array.isArray(safeFeed.items) ? safeFeed.items : []
    // The document's own problems (ERR_PARSE_TRUNCATED, …) are the feed's notes too (index -1).
    if (Array.isArray(safeFeed.warnings))
      for (const w of safeFeed.warnings)
        result.warnings.push({ index: -1, code: w.code as NormalizeWarningCode, message: w.message })
  } catch (error) {
    result.skipped.push({ index: -1, code: 'ERR_NORMALIZE_ITEM', message: messageOf(error) })
    return result
  }
  const links = items.map((item) => {
    if (item === null || typeof item !== 'object') return undefined
    try {
      return linkOf(item as ParsedItem, ctx.base)
    } catch {
      return undefined
    }
  })
  let ids: (string | undefined)[]
  try {
    ids = idsOf(items, links, ctx)
  } catch {
    ids = links
  }
  const indexes: number[] = []
  items.forEach((item, index) => {
    const warningsBefore = result.warnings.length
    try {
      if (item === null || typeof item !== 'object') throw new SkipItem('ERR_NORMALIZE_ITEM', 'item is not an object')
      const url = links[index]
      const id = ids[index]
      if (url === undefined || id === undefined) throw new SkipItem('ERR_NORMALIZE_NO_LINK', 'item has no http(s) link')
      result.articles.push(normalizeItem(item as ParsedItem, url, id, ctx, index))
      indexes.push(index)
    } catch (error) {
      // A skipped item's date notes are noise; its skip reason says what matters.
      result.warnings.length = warningsBefore
      const code = error instanceof SkipItem ? error.code : 'ERR_NORMALIZE_ITEM'
      result.skipped.push({ index, code, message: messageOf(error) })
    }
  })
  gateBodies(result, indexes)
  return result
}

/** The sanitize-html gate over every article's rebuilt body, in one go (rebuildBody left it to us). */
function gateBodies(result: NormalizeResult, indexes: number[]): void {
  try {
    const gated = sanitizeRebuiltHtmlAll(result.articles.map((article) => article.contentHtml))
    result.articles.forEach((article, i) => {
      article.contentHtml = gated[i] as string
    })
    return
  } catch {
    // Gate each body on its own below: one that cannot be gated is skipped, like any item that throws.
  }
  const kept: Article[] = []
  result.articles.forEach((article, i) => {
    try {
      article.contentHtml = sanitizeRebuiltHtml(article.contentHtml)
      kept.push(article)
    } catch (error) {
      result.skipped.push({ index: indexes[i] ?? -1, code: 'ERR_NORMALIZE_ITEM', message: messageOf(error) })
    }
  })
  result.articles = kept
  result.skipped.sort((a, b) => a.index - b.index)
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.length > 300 ? `${message.slice(0, 300)}…` : message
}
