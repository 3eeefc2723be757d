/**
 * Full text, the worker's half: which parsed items are teasers, the extraction of their fetched pages, and the item
 * rebuilt from an extraction so that normalize/ treats the page's article exactly as a feed body (captions, photo
 * credits, the `Theo …` credit line, bylines, sanitizing). Plain functions of serialisable data, like processFeed.
 */
import { type ExtractRule, extractArticle, type FullTextMode } from '../extract/index.js'
import type { ParsedFeed, ParsedItem } from '../parse/index.js'
import type { StoredExtraction } from '../store/types.js'

/** What a feed job needs to know about full text. */
export interface FullTextJob {
  /** The source's mode (its own `fullText`, else the run's). */
  mode: FullTextMode
  teaserLength: number
  /** Config rules, tried before the shipped ones. */
  rules?: readonly ExtractRule[]
}

/** A page for an item, by the item's link: fetched now (raw HTML), or extracted on an earlier run (stored). */
export type PageInput = { html: string; url: string } | { stored: StoredExtraction }

/** What became of a page fetched now: its extraction, or why it gave nothing better than the feed. */
export type PageOutput =
  | { ok: true; extraction: StoredExtraction /** the page's `<link rel=canonical>` */; canonical?: string }
  | { ok: false; code: string; message: string }

export interface Teaser {
  /** The item's position in the feed. */
  index: number
  /** Its link: the page to fetch, and the key of everything stored about it. */
  url: string
}

const TAG = /<[^>]*>/g
const ENTITY = /&(?:#\d+|#x[\da-f]+|[a-z]+);/gi
const SPACE = /\s+/g
const ELLIPSIS = /(?:…|\.{3}|\[…\]|\[\.\.\.\])\s*$/

/** Plain text of HTML, roughly (tags dropped, an entity counted as one character): for length tests. */
export function roughText(html: string): string {
  return html.replace(TAG, ' ').replace(ENTITY, '_').replace(SPACE, ' ').trim()
}

/** The rough text of an item's body as the feed gave it (`content:encoded`, else the description). */
export function teaserText(item: ParsedItem): string {
  return roughText(item.contentHtml ?? item.summary ?? '')
}

/** The optional fields an extraction may find besides the body, in the order they are shown. */
export const EXTRACTED_FIELDS = ['lead', 'title', 'byline', 'published', 'publisher', 'image'] as const

/** `auto`: the item's body is shorter than `teaserLength` characters, or ends in an ellipsis. */
export function isTeaser(item: ParsedItem, teaserLength: number): boolean {
  const text = teaserText(item)
  return text.length < teaserLength || ELLIPSIS.test(text)
}

function pageLink(item: ParsedItem): string | undefined {
  const link = item.link
  return link && /^(?:https?|file):/i.test(link) ? link : undefined
}

/** The items whose page should be fetched, in feed order (each link once). */
export function teasersOf(feed: ParsedFeed, job: FullTextJob): Teaser[] {
  if (job.mode === 'never') return []
  const out: Teaser[] = []
  const seen = new Set<string>()
  feed.items.forEach((item, index) => {
    const url = pageLink(item)
    if (!url || seen.has(url)) return
    if (job.mode === 'auto' && !isTeaser(item, job.teaserLength)) return
    seen.add(url)
    out.push({ index, url })
  })
  return out
}

/** Extract the article of a page fetched for `item`; a page that gives less than the feed keeps the feed's item. */
export function extractPage(page: { html: string; url: string }, item: ParsedItem, job: FullTextJob): PageOutput {
  const teaser = teaserText(item)
  const result = extractArticle(page.html, {
    url: page.url,
    ...(job.rules ? { rules: job.rules } : {}),
    ...(teaser ? { teaser } : {}),
  })
  if (!result.ok) return { ok: false, code: result.code, message: result.message }
  const extraction: StoredExtraction = { url: page.url, method: result.method, html: result.html }
  if (result.rule !== undefined) extraction.rule = result.rule
  for (const key of EXTRACTED_FIELDS) {
    const value = result[key]
    if (value !== undefined && value !== '') extraction[key] = value
  }
  return { ok: true, extraction, ...(result.canonical ? { canonical: result.canonical } : {}) }
}

/**
 * The item with the page's article as its body: the lead (sapo) as its summary, and the page's byline and date where
 * the feed had none. The feed's title, link and id stay: they are what the feed published.
 */
export function withPage(item: ParsedItem, extraction: StoredExtraction): ParsedItem {
  const out: ParsedItem = { ...item, contentHtml: extraction.html, raw: { ...item.raw } }
  if (extraction.lead) out.summary = extraction.lead
  if (!item.author && extraction.byline) out.author = extraction.byline
  if (!item.title && extraction.title) out.title = extraction.title
  if (!item.published && !item.raw.published && extraction.published) out.raw.published = extraction.published
  if (extraction.image && !item.media.some((m) => m.url === extraction.image)) {
    if (!item.enclosures.some((e) => e.url === extraction.image) && !extraction.html.includes(extraction.image)) {
      out.media = [...item.media, { url: extraction.image, type: 'image' }]
    }
  }
  return out
}
