/** RSS 0.91 / 0.92 / 2.0 (`<rss>`) and RSS 0.9 / 1.0 (`<rdf:RDF>`) → ParsedFeed. */
import {
  asBase,
  assignBody,
  authorName,
  type Body,
  baseAt,
  clean,
  htmlToText,
  looksLikeHtml,
  optionalText,
  plain,
  readMedia,
  resolveUrl,
  toLength,
  unique,
} from './common.js'
import { parseStrictDate, setItemDates } from './dates.js'
import type { ParsedFeed, ParsedItem } from './types.js'
import { child, childrenNamed, innerMarkup, type SourceText, textContent, type XmlElement } from './xml.js'

export interface ReadContext {
  source: SourceText
  /** The document's base: its Content-Location, else its URL (options.url), when known. */
  url: string | undefined
}

export interface ReadResult {
  feed: Omit<ParsedFeed, 'warnings' | 'format'>
  /** Items whose end tag never came (the document was cut). */
  dropped: number
}

export function readRss(root: XmlElement, context: ReadContext, rdf: boolean): ReadResult {
  const channel = child(root, 'channel') ?? root
  // `rootBase` is the base before any xml:base; every URL is resolved with baseAt(node, rootBase), which applies the
  // xml:base attributes from the document element down to the node, once each.
  const documentUrl = asBase(context.url)
  const link = resolveUrl(
    firstLinkText(channel) ?? cdfHref(channel) ?? alternateAtomLink(channel)?.attrs.href,
    baseAt(channel, documentUrl),
  )
  // Without a document URL, the feed's own site link is the best base for relative item links.
  const rootBase = documentUrl ?? asBase(link)

  const feed: ReadResult['feed'] = { items: [] }
  const version = root.attrs.version?.trim()
  if (version) feed.version = version
  else if (rdf) feed.version = root.attrs.xmlns === 'http://my.netscape.com/rdf/simple/0.9/' ? '0.9' : '1.0'
  const title = plain(optionalText(child(channel, 'title') ?? child(channel, 'dc:title')))
  if (title !== undefined) feed.title = title
  if (link !== undefined) feed.link = link
  const descriptionNode =
    child(channel, 'description') ?? child(channel, 'dc:description') ?? descriptionFallback(channel)
  const description = descriptionNode && bodyText(descriptionNode, context.source)
  if (description !== undefined) feed.description = description
  const language = clean(optionalText(child(channel, 'language') ?? child(channel, 'dc:language')))
  if (language !== undefined) feed.language = language
  const rightsNode = child(channel, 'copyright') ?? child(channel, 'dc:rights') ?? child(channel, 'dcterms:rights')
  const rights = rightsNode && bodyText(rightsNode, context.source)
  if (rights !== undefined) feed.rights = rights
  const updated = parseStrictDate(
    optionalText(
      child(channel, 'lastBuildDate') ??
        child(channel, 'pubDate') ??
        child(channel, 'dc:date') ??
        child(channel, 'atom:updated'),
    ) ?? cdfLastmod(channel),
  )
  if (updated !== undefined) feed.updated = updated

  let dropped = 0
  // RSS 1.0 puts items beside the channel; some broken RSS 2.0 too. Read both, in document order.
  const elements: XmlElement[] = []
  for (const holder of channel === root ? [root] : [root, channel]) {
    for (const node of holder.children) if (typeof node !== 'string' && node.name === 'item') elements.push(node)
  }
  elements.sort((a, b) => a.innerStart - b.innerStart)
  for (const element of elements) {
    if (element.complete) feed.items.push(readItem(element, context, rootBase))
    else dropped++
  }
  return { feed, dropped }
}

function readItem(element: XmlElement, context: ReadContext, rootBase: string | undefined): ParsedItem {
  const base = baseAt(element, rootBase)
  const item: ParsedItem = { categories: [], enclosures: [], media: [], raw: {} }

  const title = titleText(child(element, 'title') ?? child(element, 'dc:title'))
  if (title !== undefined) item.title = title

  const guidNode = child(element, 'guid')
  const guid = clean(optionalText(guidNode))
  const about = clean(element.attrs['rdf:about'])
  const id = guid ?? about
  if (id !== undefined) item.id = id

  let link = resolveUrl(firstLinkText(element) ?? cdfHref(element), base)
  if (link === undefined) {
    const atomLink = alternateAtomLink(element)
    link = resolveUrl(atomLink?.attrs.href, baseAt(atomLink, rootBase))
  }
  if (link === undefined && guid !== undefined && guidNode?.attrs.isPermaLink !== 'false' && /^https?:\/\//i.test(guid))
    link = guid
  if (link === undefined && about !== undefined && /^https?:\/\//i.test(about)) link = about
  if (link !== undefined) item.link = link

  setItemDates(
    item,
    clean(
      optionalText(
        child(element, 'pubDate') ??
          child(element, 'dc:date') ??
          child(element, 'dcterms:issued') ??
          child(element, 'atom:published'),
      ),
    ),
    clean(optionalText(child(element, 'atom:updated') ?? child(element, 'dcterms:modified')) ?? cdfLastmod(element)),
  )

  const authors = unique([
    ...childrenNamed(element, 'author').map((a) => authorName(textContent(a))),
    ...childrenNamed(element, 'dc:creator').map((a) => authorName(textContent(a))),
    // Atom authors written into RSS (`<atom:author><atom:name>`), and the `dc:author` some CMSs invent
    ...childrenNamed(element, 'atom:author').map((a) =>
      authorName(optionalText(child(a, 'atom:name') ?? (a.hasElements ? undefined : a))),
    ),
    ...childrenNamed(element, 'dc:author').map((a) => authorName(textContent(a))),
  ])
  // iTunes: the author of an episode when the item names none.
  if (authors.length === 0)
    authors.push(...unique(childrenNamed(element, 'itunes:author').map((a) => authorName(textContent(a)))))
  if (authors.length > 0) item.author = authors.join(', ')

  const atomContent = child(element, 'atom:content')
  const contentNode =
    child(element, 'content:encoded') ?? child(element, 'xhtml:body') ?? child(element, 'body') ?? atomContent
  const descriptionNode =
    child(element, 'description') ?? child(element, 'dc:description') ?? descriptionFallback(element)
  const content: Body | undefined = contentNode && {
    kind: contentNode === atomContent && /^\s*text\s*$/i.test(contentNode.attrs.type ?? '') ? 'text' : 'html',
    value: innerMarkup(contentNode, context.source),
  }
  let description: Body | undefined
  if (descriptionNode) {
    const value = innerMarkup(descriptionNode, context.source)
    description = { kind: descriptionNode.hasElements || looksLikeHtml(value) ? 'html' : 'text', value }
  }
  assignBody(item, content, description)
  const bodyBase = baseAt(contentNode ?? descriptionNode ?? element, rootBase)
  if (bodyBase !== undefined) item.baseUrl = bodyBase

  item.categories = unique([
    // Atom-style `<category term="…"/>` written into RSS by some CMSs.
    ...childrenNamed(element, 'category').map((c) => plain(textContent(c)) ?? plain(c.attrs.term)),
    ...childrenNamed(element, 'atom:category').map((c) => plain(c.attrs.label) ?? plain(c.attrs.term)),
    ...childrenNamed(element, 'dc:subject').map((c) => plain(textContent(c))),
    ...itunesCategories(element),
    ...childrenNamed(element, 'itunes:keywords').flatMap((k) => textContent(k).split(',').map(plain)),
  ])

  for (const enclosure of childrenNamed(element, 'enclosure')) {
    const url = resolveUrl(enclosure.attrs.url, baseAt(enclosure, rootBase))
    if (url === undefined || item.enclosures.some((e) => e.url === url)) continue
    const type = enclosure.attrs.type?.trim()
    const length = toLength(enclosure.attrs.length)
    item.enclosures.push({ url, ...(type ? { type } : {}), ...(length === undefined ? {} : { length }) })
  }

  item.media = readMedia(element, rootBase)
  // iTunes episode artwork: an image of the item when Media RSS did not name it already
  const artwork = child(element, 'itunes:image')
  const artworkUrl = artwork && resolveUrl(artwork.attrs.href ?? clean(textContent(artwork)), baseAt(artwork, rootBase))
  if (artworkUrl !== undefined && !item.media.some((m) => m.url === artworkUrl))
    item.media.push({ url: artworkUrl, medium: 'image', thumbnail: true })
  const language = clean(element.attrs['xml:lang'] ?? optionalText(child(element, 'dc:language')))
  if (language !== undefined) item.language = language

  const sourceNode = child(element, 'source')
  if (sourceNode) {
    const sourceTitle = plain(textContent(sourceNode))
    const sourceUrl = resolveUrl(sourceNode.attrs.url, baseAt(sourceNode, rootBase))
    if (sourceTitle !== undefined || sourceUrl !== undefined)
      item.source = {
        ...(sourceTitle === undefined ? {} : { title: sourceTitle }),
        ...(sourceUrl === undefined ? {} : { url: sourceUrl }),
      }
  }
  return item
}

/** An Atom `<atom:link rel="alternate">` (rel defaults to alternate) written into RSS. */
function alternateAtomLink(element: XmlElement): XmlElement | undefined {
  return childrenNamed(element, 'atom:link').find((l) => (l.attrs.rel ?? 'alternate') === 'alternate' && l.attrs.href)
}

/** Where a summary is when there is no description: Microsoft CDF's `<ABSTRACT>`, then iTunes' summary and subtitle. */
function descriptionFallback(element: XmlElement): XmlElement | undefined {
  return child(element, 'abstract') ?? child(element, 'itunes:summary') ?? child(element, 'itunes:subtitle')
}

/** `<itunes:category text="…">`, nested subcategories included, in document order. */
function itunesCategories(element: XmlElement): (string | undefined)[] {
  const out: (string | undefined)[] = []
  for (const node of childrenNamed(element, 'itunes:category')) {
    out.push(plain(node.attrs.text))
    out.push(...itunesCategories(node))
  }
  return out
}

/** Microsoft CDF: `<CHANNEL HREF="…">`, `<ITEM HREF="…">` (attribute names in any case). */
function cdfHref(element: XmlElement): string | undefined {
  return clean(element.attrs.href ?? element.attrs.HREF ?? element.attrs.Href)
}

/** Microsoft CDF: `LASTMOD="2002-05-12T12:00"` on a channel or item. */
function cdfLastmod(element: XmlElement): string | undefined {
  return clean(element.attrs.lastmod ?? element.attrs.LASTMOD ?? element.attrs.LastMod)
}

/** RSS `<link>` text; Atom-style `<link href>` written into RSS by some CMSs. */
function firstLinkText(element: XmlElement): string | undefined {
  for (const node of element.children) {
    if (typeof node === 'string' || node.name !== 'link') continue
    const text = clean(textContent(node))
    if (text !== undefined) return text
    if (node.attrs.href !== undefined && (node.attrs.rel ?? 'alternate') === 'alternate') return node.attrs.href
  }
  return undefined
}

/** A title as plain text: markup inside it (unescaped or escaped) dropped, entities decoded. */
export function titleText(element: XmlElement | undefined): string | undefined {
  if (element === undefined) return undefined
  return plain(textContent(element))
}

function bodyText(element: XmlElement, source: SourceText): string | undefined {
  const value = innerMarkup(element, source)
  return element.hasElements || looksLikeHtml(value) ? htmlToText(value) : plain(value)
}
