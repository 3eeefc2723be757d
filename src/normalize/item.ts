/** One parsed item → one Article: dates, body, title, summary, credit, outlet, byline and language. */
import type { ParsedItem } from '../parse/index.js'
import type { Article, ArticleCredit, ArticleOutlet } from '../types.js'
import { type BodyResult, rebuildBody } from './body/index.js'
import { detectLeadingDateline, resolveCredit } from './credit.js'
import { parseDate } from './date.js'
import type { FeedContext } from './feed-context.js'
import {
  canonicalLanguage,
  categoriesOf,
  cleanAuthor,
  enclosuresOf,
  hostOf,
  shorten,
  str,
  text,
  textToHtml,
  validDate,
} from './item-fields.js'
import { guessLanguage, languageOfUrl, primaryLanguage } from './language.js'
import { findOutlet, outletFromCredit, resolveSiteOutlet } from './outlets.js'
import { cleanText, foldText, looksVietnamese } from './text/index.js'
import type { OutletEntry } from './types.js'
import { absoluteUrl } from './url.js'

/** Dates before this are implausible for a news item (no Vietnamese site published online before 1995). */
const EARLIEST = Date.UTC(1995, 0, 1)
/** Dates further than this after the fetch are implausible (clock skew and zone slips are under a day). */
const FUTURE_SLACK = 86_400_000
const TITLE_FROM_TEXT = 120

type DateField = 'published' | 'updated'

export class SkipItem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
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

export function normalizeItem(item: ParsedItem, url: string, id: string, ctx: FeedContext, index: number): Article {
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
    if (name !== undefined && foldedName(name, ctx) === key) return undefined
  }
  return findOutlet(author, ctx.outlets) === undefined ? author : undefined
}

function foldedName(name: string, ctx: FeedContext): string {
  let folded = ctx.foldedNames.get(name)
  if (folded === undefined) {
    folded = foldText(name)
    if (ctx.foldedNames.size < 256) ctx.foldedNames.set(name, folded)
  }
  return folded
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
