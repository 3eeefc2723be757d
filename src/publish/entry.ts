import {
  foldText,
  type OutletInput,
  outletKey,
  plausibleEnclosureLength,
  resolveOutlet,
  resolveSiteOutlet,
} from '../normalize/index.js'
import type { Article, ArticleOutlet, Story } from '../types.js'
import { cleanDate, cleanHtml, cleanId, cleanLength, cleanText, cleanUrl, escapeXml, mimeType } from './clean.js'
import { PUBLISH_DEFAULTS } from './defaults.js'
import type { RenderOptions } from './types.js'

/** One outlet that carried a copy of a story. */
export interface Outlet {
  name: string
  /** The outlet's domain, when known. */
  domain?: string
  url?: string
  sourceId: string
}

export interface EntryImage {
  url: string
  type: string
  alt?: string
  caption?: string
  credit?: string
}

/**
 * A story reduced to clean, format-neutral values: every string is clean plain text (or, for `contentHtml`,
 * defused HTML), every URL absolute http(s), every date valid. Renderers only ever see these.
 */
export interface Entry {
  /** URI (http(s) URL, `urn:` or `tag:`). */
  id: string
  link: string
  title: string
  published: Date
  updated?: Date
  /** The newest of published/updated. */
  modified: Date
  /** A real byline, the only thing published as author (dc:creator, Atom author, JSON authors). */
  byline?: string
  summary?: string
  /** The body (defused) followed by the credit line and the "also published by" line. */
  contentHtml: string
  /** The summary, else the first paragraph of the text, for the HTML page's lead. */
  lead?: string
  categories: string[]
  images: EntryImage[]
  enclosures: { url: string; type: string; length?: number }[]
  /** The original publisher's name ("Báo Thái Bình"). */
  outlet: string
  /** Its identity: name, domain, 2025 group. */
  outletIdentity: ArticleOutlet
  credit: { text: string; name: string; domain?: string }
  /** The visible credit line ("Theo Báo Thái Bình"). */
  creditLine: string
  /** "Cũng đăng trên: …", or undefined when there are no copies or the line is disabled. */
  alsoLine?: string
  alsoPublishedBy: Outlet[]
  /** The feed that carried the primary copy. */
  source: { id: string; feedUrl?: string; title?: string; siteUrl?: string }
  language?: string
}

/** A bare Article is a story with no duplicates. */
export function asStory(item: Story | Article): Story {
  if ('primary' in item && item.primary) return item as Story
  const article = item as Article
  return { id: article.id, primary: article, duplicates: [] }
}

function outletInput(article: Article): OutletInput {
  const input: OutletInput = {}
  const url = cleanText(article.url)
  const siteUrl = cleanText(article.source?.siteUrl)
  const feedUrl = cleanText(article.source?.feedUrl)
  const name = cleanText(article.source?.title)
  if (url) input.url = url
  if (siteUrl) input.siteUrl = siteUrl
  if (feedUrl) input.feedUrl = feedUrl
  if (name) input.name = name
  return input
}

/** A stored identity, cleaned; undefined when it has no usable name. */
function storedOutlet(value: ArticleOutlet | undefined): ArticleOutlet | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const name = cleanText(value.name)
  if (!name) return undefined
  const domain = cleanText(value.domain)
  const group = cleanText(value.group)
  return { name, ...(domain ? { domain } : {}), ...(group ? { group } : {}) }
}

function lastResort(article: Article): ArticleOutlet {
  return { name: cleanText(article.source?.id) || 'tonghop' }
}

/**
 * The outlet that published this copy: `article.outlet` (resolved by normalize/), else — for stories stored by older
 * versions — the same chain computed here: the credit, the registry entry of the URL's or feed's host, the source's
 * title without its section parts, the host.
 */
export function outletOf(article: Article): ArticleOutlet {
  // Every identity passes publish's cleanText too: it strips what the output sentinels use, normalize's does not.
  return (
    storedOutlet(article.outlet) ??
    storedOutlet(resolveOutlet({ ...outletInput(article), ...(article.credit ? { credit: article.credit } : {}) })) ??
    carrierOf(article)
  )
}

/** The outlet whose site carried this copy (`article.site`, else the chain of {@link outletOf} without the credit). */
export function carrierOf(article: Article): ArticleOutlet {
  return storedOutlet(article.site) ?? storedOutlet(resolveSiteOutlet(outletInput(article))) ?? lastResort(article)
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole)
}

/** Which date orders a story: primary.published (primary.updated when published is not a valid date). */
export function storyDate(story: Story): number {
  const date = cleanDate(story.primary?.published) ?? cleanDate(story.primary?.updated)
  return date ? date.getTime() : Number.NaN
}

/** Newest first, ties broken by story id (ascending): a total, stable order. */
export function compareStories(a: Story, b: Story): number {
  const da = storyDate(a)
  const db = storyDate(b)
  if (da !== db) return db - da
  const ia = String(a.id ?? a.primary?.id ?? '')
  const ib = String(b.id ?? b.primary?.id ?? '')
  return ia < ib ? -1 : ia > ib ? 1 : 0
}

/**
 * The outlets that carried copies, one entry per outlet (not per feed): each copy's own site, not the publisher its
 * credit line names (a portal's copy "Theo Báo Thái Bình" was published by the portal).
 */
function otherCarriers(story: Story, identity: ArticleOutlet): Outlet[] {
  const a = story.primary
  const seen = new Set([outletKey(identity), outletKey(carrierOf(a))])
  const alsoPublishedBy: Outlet[] = []
  for (const dup of story.duplicates ?? []) {
    if (!dup) continue
    const carrier = carrierOf(dup)
    const key = outletKey(carrier)
    if (seen.has(key)) continue
    seen.add(key)
    const url = cleanUrl(dup.url)
    alsoPublishedBy.push({
      name: carrier.name,
      ...(carrier.domain ? { domain: carrier.domain } : {}),
      sourceId: cleanText(dup.source?.id) || carrier.name,
      ...(url ? { url } : {}),
    })
  }
  return alsoPublishedBy
}

function imagesOf(a: Article, link: string): EntryImage[] {
  const images: EntryImage[] = []
  for (const image of a.images ?? []) {
    const url = cleanUrl(image?.url, link)
    if (!url) continue
    const alt = cleanText(image.alt)
    const caption = cleanText(image.caption)
    const credit = cleanText(image.credit)
    images.push({
      url,
      type: mimeType(url, undefined, 'image/jpeg'),
      ...(alt ? { alt } : {}),
      ...(caption ? { caption } : {}),
      ...(credit ? { credit } : {}),
    })
  }
  return images
}

function enclosuresOf(a: Article, link: string): Entry['enclosures'] {
  const enclosures: Entry['enclosures'] = []
  for (const enclosure of a.enclosures ?? []) {
    const url = cleanUrl(enclosure?.url, link)
    if (!url) continue
    const type = mimeType(url, enclosure.type)
    // Stored by an older version, a pixel width may still sit where the byte size goes.
    const length = plausibleEnclosureLength(url, type, cleanLength(enclosure.length))
    enclosures.push({ url, type, ...(length ? { length } : {}) })
  }
  return enclosures
}

/**
 * Story → Entry, or undefined when the story cannot be published (no valid date, no usable absolute link).
 * Nothing here throws on bad data.
 */
export function toEntry(story: Story, options: RenderOptions): Entry | undefined {
  const a = story.primary
  if (!a) return undefined
  const published = cleanDate(a.published) ?? cleanDate(a.updated)
  if (!published) return undefined
  const base = cleanUrl(a.source?.siteUrl) ?? cleanUrl(a.source?.feedUrl)
  const link = cleanUrl(a.url, base) ?? cleanUrl(a.id)
  if (!link) return undefined
  const updatedRaw = cleanDate(a.updated)
  const updated = updatedRaw && updatedRaw.getTime() > published.getTime() ? updatedRaw : undefined
  const identity = outletOf(a)
  const outlet = identity.name
  const creditText = cleanText(a.credit?.text) || `Theo ${outlet}`
  const domain = identity.domain
  const creditLine = cleanText(fill(options.creditTemplate ?? PUBLISH_DEFAULTS.creditTemplate, { name: outlet }))

  const alsoPublishedBy = otherCarriers(story, identity)
  const alsoTemplate =
    options.alsoPublishedByTemplate === undefined
      ? PUBLISH_DEFAULTS.alsoPublishedByTemplate
      : options.alsoPublishedByTemplate
  const alsoLine =
    alsoTemplate !== false && alsoPublishedBy.length > 0
      ? cleanText(fill(alsoTemplate, { names: alsoPublishedBy.map((o) => o.name).join(', ') })) || undefined
      : undefined

  const bodyHtml = cleanHtml(a.contentHtml) || (a.text ?? []).map((p) => `<p>${escapeXml(cleanText(p))}</p>`).join('')
  let contentHtml = `${bodyHtml}<p class="tonghop-credit"><em>${escapeXml(creditLine)}</em></p>`
  if (alsoLine) {
    const links = alsoPublishedBy
      .map((o) => (o.url ? `<a href="${escapeXml(o.url)}">${escapeXml(o.name)}</a>` : escapeXml(o.name)))
      .join(', ')
    const names = alsoPublishedBy.map((o) => o.name).join(', ')
    const html = escapeXml(alsoLine).replace(escapeXml(names), () => links)
    contentHtml += `<p class="tonghop-also">${html}</p>`
  }

  const images = imagesOf(a, link)
  const enclosures = enclosuresOf(a, link)

  // Stored by an older version, the "author" may be the outlet itself: only a person is a byline.
  const author = cleanText(a.author) || undefined
  const byline =
    author && ![outlet, carrierOf(a).name].some((name) => foldText(name) === foldText(author)) ? author : undefined
  let lead = cleanText(a.summary) || undefined
  for (const paragraph of lead ? [] : (a.text ?? [])) {
    lead = cleanText(paragraph) || undefined
    if (lead) break
  }
  const summary = cleanText(a.summary) || undefined
  const title = cleanText(a.title) || link
  const categories = [...new Set((a.categories ?? []).map((c) => cleanText(c)).filter(Boolean))]
  const feedUrl = cleanUrl(a.source?.feedUrl)
  const siteUrl = cleanUrl(a.source?.siteUrl)
  const sourceTitle = cleanText(a.source?.title) || undefined
  const language = cleanText(a.language) || undefined
  return {
    id: cleanId(a.id, link),
    link,
    title,
    published,
    ...(updated ? { updated } : {}),
    modified: updated ?? published,
    ...(byline ? { byline } : {}),
    ...(summary ? { summary } : {}),
    contentHtml,
    ...(lead ? { lead } : {}),
    categories,
    images,
    enclosures,
    outlet,
    outletIdentity: identity,
    credit: { text: creditText, name: outlet, ...(domain ? { domain } : {}) },
    creditLine,
    ...(alsoLine ? { alsoLine } : {}),
    alsoPublishedBy,
    source: {
      id: cleanText(a.source?.id) || 'unknown',
      ...(feedUrl ? { feedUrl } : {}),
      ...(sourceTitle ? { title: sourceTitle } : {}),
      ...(siteUrl ? { siteUrl } : {}),
    },
    ...(language ? { language } : {}),
  }
}
