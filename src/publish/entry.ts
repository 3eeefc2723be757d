import type { Article, Story } from '../types.js'
import { cleanDate, cleanHtml, cleanId, cleanLength, cleanText, cleanUrl, escapeXml, mimeType } from './clean.js'
import { PUBLISH_DEFAULTS } from './defaults.js'
import type { RenderOptions } from './types.js'

/** One outlet that carried a story. */
export interface Outlet {
  name: string
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
  byline?: string
  /** Byline, else the original publisher: every Atom entry needs an author. */
  authorName: string
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

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    return new URL(url).hostname.replace(/^www\./, '') || undefined
  } catch {
    return undefined
  }
}

/** "Theo Baothaibinh.com.vn" / "Nguồn: TTXVN" → "Baothaibinh.com.vn" / "TTXVN". */
function nameFromCreditText(text: string): string {
  return cleanText(text.replace(/^\s*(theo|nguồn|nguon|source)\s*[:：-]?\s*/iu, '').replace(/[.。]+$/, ''))
}

/** The outlet to credit for one copy: credit.name, else the credit text, else the carrying feed's title or host. */
/** The site whose feed carried this copy: the source's title, else its host. */
export function carrierOf(article: Article): string {
  return (
    cleanText(article.source?.title) ||
    hostOf(article.source?.siteUrl) ||
    hostOf(article.url) ||
    hostOf(article.source?.feedUrl) ||
    cleanText(article.source?.id) ||
    'tonghop'
  )
}

export function outletOf(article: Article): string {
  const credit = article.credit
  return (
    cleanText(credit?.name) ||
    (credit?.text ? nameFromCreditText(credit.text) : '') ||
    cleanText(credit?.domain) ||
    cleanText(article.source?.title) ||
    hostOf(article.source?.siteUrl) ||
    hostOf(article.url) ||
    hostOf(article.source?.feedUrl) ||
    cleanText(article.source?.id) ||
    'tonghop'
  )
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
  const outlet = outletOf(a)
  const creditText = cleanText(a.credit?.text) || `Theo ${outlet}`
  const domain = cleanText(a.credit?.domain) || undefined
  const creditLine = cleanText(fill(options.creditTemplate ?? PUBLISH_DEFAULTS.creditTemplate, { name: outlet }))

  // The outlets that carried copies: each copy's own site, not the publisher its credit line names (a portal's copy
  // "Theo Báo Thái Bình" was published by the portal).
  const seen = new Set([outlet.toLowerCase(), carrierOf(a).toLowerCase()])
  const alsoPublishedBy: Outlet[] = []
  for (const dup of story.duplicates ?? []) {
    if (!dup) continue
    const name = carrierOf(dup)
    if (seen.has(name.toLowerCase())) continue
    seen.add(name.toLowerCase())
    const url = cleanUrl(dup.url)
    alsoPublishedBy.push({ name, sourceId: cleanText(dup.source?.id) || name, ...(url ? { url } : {}) })
  }
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
  const enclosures: Entry['enclosures'] = []
  for (const enclosure of a.enclosures ?? []) {
    const url = cleanUrl(enclosure?.url, link)
    if (!url) continue
    const length = cleanLength(enclosure.length)
    enclosures.push({ url, type: mimeType(url, enclosure.type), ...(length ? { length } : {}) })
  }

  const byline = cleanText(a.author) || undefined
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
    authorName: byline ?? outlet,
    ...(summary ? { summary } : {}),
    contentHtml,
    ...(lead ? { lead } : {}),
    categories,
    images,
    enclosures,
    outlet,
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
