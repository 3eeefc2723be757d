/**
 * The one file that imports `feed` (v6). `feed` stays the generator of RSS 2.0, Atom 1.0 and JSON Feed items; this
 * file hands it only clean values (see clean.ts / entry.ts) and extends it in one place per format:
 *
 * - RSS: item `extensions` carry `dc:creator`, `<source url>`, `media:content`/`media:credit`; the root element's
 *   namespaces are rewritten by `rssRoot()`.
 * - Atom: `feed` has no extensions, so `atomEntries()` post-processes its output: each entry carries a marker in
 *   `<rights>` that is replaced by `atomExtras()` (enclosure links with real MIME types and lengths, `<source>`).
 * - JSON Feed: `feed` writes version 1 with a singular `author`; `jsonItem()` adds the 1.1 fields (`authors`,
 *   `attachments`, `language`) and the `_tonghop` extension as item extensions, and `jsonHead()` writes the 1.1
 *   version string.
 * - Everywhere: xml-js (under `feed`) splits only the first `]]>` of a CDATA section and escapes only `"` in
 *   attributes, so plain text bound for CDATA carries a sentinel for `]]>` and attribute text one for `<`;
 *   `restoreSentinels()` turns them into a split CDATA section and `&lt;`. (Input can never contain the sentinels:
 *   clean.ts strips U+E000–U+E00F.)
 *
 * To stream, items are rendered in batches through a constant dummy feed (so the slice between the first `<item>`
 * and the last `</item>` is unambiguous), and the feed's head and tail once with zero items.
 */
import { type Extension, Feed, type FeedOptions, type Item } from 'feed'
import { cleanUrl, escapeXml } from './clean.js'
import { PUBLISH_DEFAULTS } from './defaults.js'
import type { Entry } from './entry.js'
import type { RenderOptions } from './types.js'

/** Sentinel for `]]>` inside a plain-text value that `feed` writes as CDATA (xml-js splits only the first one). */
const CDATA_END = '\uE000'
/** Sentinel for `<` inside an attribute value (xml-js does not escape it). */
const LT = '\uE001'
/** Sentinel for `&` in element text (xml-js un-escapes `&amp;` before escaping, which would eat a literal `&amp;`). */
const AMP = '\uE003'

/** Undo the sentinels: every `]]>` becomes a split CDATA section, every `<` in an attribute `&lt;`. */
export function restoreSentinels(xml: string): string {
  return xml.replaceAll(CDATA_END, ']]]]><![CDATA[>').replaceAll(LT, '&lt;').replaceAll(AMP, '&amp;')
}

const cdataText = (value: string) => value.replaceAll(']]>', CDATA_END)
/** Text for an element (not CDATA): xml-js turns a literal `&amp;` into `&` before escaping, so `&` travels as a sentinel. */
const xmlText = (value: string) => value.replaceAll('&', AMP)
const attrText = (value: string) => xmlText(value).replaceAll('<', LT)
/** Attribute value for an extension object: xml-js escapes only `"`, so `&` and `<` are escaped here. */
const extAttr = (value: string) => value.replaceAll('&', '&amp;').replaceAll('<', '&lt;')

const DUMMY: FeedOptions = {
  id: 'urn:tonghop:item',
  title: 'item',
  link: 'http://tonghop.invalid/',
  updated: new Date(0),
  generator: false,
}

function sliceBetween(xml: string, open: string, close: string): string {
  const start = xml.indexOf(open)
  const end = xml.lastIndexOf(close)
  if (start < 0 || end < start) throw new Error(`feed output has no ${open}`)
  return xml.slice(start, end + close.length)
}

function feedOptions(options: RenderOptions, updated: Date, format: 'rss' | 'atom' | 'json'): FeedOptions {
  const text = format === 'json' ? (value: string) => value : xmlText
  return {
    id: options.feedUrl ?? options.link,
    title: text(options.title),
    link: options.link,
    updated,
    generator: PUBLISH_DEFAULTS.generator,
    ...(options.description ? { description: text(options.description) } : {}),
    ...(options.language ? { language: options.language } : {}),
    ...(options.feedUrl ? { feedLinks: { [format]: options.feedUrl } } : {}),
    ...(options.hub ? { hub: options.hub } : {}),
  }
}

// ---------------------------------------------------------------------------------------------------------- RSS 2.0

const RSS_NAMESPACES = {
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:media': 'http://search.yahoo.com/mrss/',
}

function rssRoot(xml: string): string {
  const attrs = Object.entries(RSS_NAMESPACES)
    .map(([k, v]) => ` ${k}="${v}"`)
    .join('')
  return xml.replace(/<rss\b[^>]*>/, `<rss version="2.0"${attrs}>`)
}

export const FH_NS = 'http://purl.org/syndication/history/1.0'

/** RFC 5005 link elements (and the archive marker) for the end of a feed's head. */
function archiveHead(options: RenderOptions, link: 'atom:link' | 'link', indent: string): string {
  const a = options.archiveLinks
  if (!a) return ''
  const lines: string[] = []
  if (a.archived) lines.push(`<fh:archive xmlns:fh="${FH_NS}"/>`)
  const rels: [string, string | undefined][] = [
    ['current', a.current],
    ['prev-archive', a.prevArchive],
    ['next-archive', a.nextArchive],
  ]
  for (const [rel, href] of rels) if (href) lines.push(`<${link} rel="${rel}" href="${escapeXml(href)}"/>`)
  return lines.map((l) => `${indent}${l}\n`).join('')
}

export function rssHead(options: RenderOptions, updated: Date): string {
  const xml = new Feed(feedOptions(options, updated, 'rss')).rss2()
  const end = xml.lastIndexOf('</channel>')
  const head = `${restoreSentinels(rssRoot(xml.slice(0, end).replace(/\s+$/, '')))}\n`
  return head + archiveHead(options, 'atom:link', '        ')
}

export function rssTail(): string {
  return '    </channel>\n</rss>\n'
}

function rssItem(entry: Entry): Item {
  const extensions: Extension[] = [
    // Only a real byline is an author: a feed, section or outlet name never is (the outlet is in <source>).
    ...(entry.byline ? [{ name: 'dc:creator', objects: { _text: xmlText(entry.byline) } }] : []),
    {
      name: 'source',
      objects: {
        _attributes: { url: extAttr(entry.source.feedUrl ?? entry.source.siteUrl ?? entry.link) },
        _text: xmlText(entry.outlet),
      },
    },
  ]
  if (entry.images.length > 0) {
    extensions.push({
      name: 'media:content',
      objects: entry.images.map((image) => ({
        _attributes: { url: extAttr(image.url), medium: 'image', type: image.type },
        ...(image.caption
          ? { 'media:description': { _attributes: { type: 'plain' }, _text: xmlText(image.caption) } }
          : {}),
        ...(image.credit
          ? { 'media:credit': { _attributes: { role: 'photographer' }, _text: xmlText(image.credit) } }
          : {}),
      })),
    } as unknown as Extension)
  }
  const enclosure = entry.enclosures[0] ?? entry.images[0]
  const item: Item = {
    title: cdataText(entry.title),
    id: entry.id,
    link: entry.link,
    date: entry.modified,
    published: entry.published,
    content: entry.contentHtml,
    ...(entry.summary ? { description: escapeXml(entry.summary) } : {}),
    ...(entry.categories.length ? { category: entry.categories.map((name) => ({ name: xmlText(name) })) } : {}),
    extensions,
  }
  if (enclosure) {
    const length = 'length' in enclosure ? enclosure.length : undefined
    // `feed` fills in `length: 0` unless the key is present; an unknown length is left out instead.
    item.enclosure = { url: enclosure.url, type: enclosure.type, length } as Item['enclosure'] & {}
  }
  return item
}

/** RSS `<item>`s of a batch of entries, rendered by `feed` in one go. */
export function rssItems(entries: Entry[]): string {
  if (entries.length === 0) return ''
  const feed = new Feed(DUMMY)
  for (const entry of entries) feed.addItem(rssItem(entry))
  return `        ${restoreSentinels(sliceBetween(feed.rss2(), '<item>', '</item>'))}\n`
}

// --------------------------------------------------------------------------------------------------------- Atom 1.0

export function atomHead(options: RenderOptions, updated: Date): string {
  const xml = new Feed(feedOptions(options, updated, 'atom')).atom1()
  const end = xml.lastIndexOf('</feed>')
  let head = xml.slice(0, end).replace(/\s+$/, '')
  if (options.language) {
    head = head.replace(
      /<feed\b([^>]*)>/,
      (_m, attrs: string) => `<feed${attrs} xml:lang="${escapeXml(options.language ?? '')}">`,
    )
  }
  return `${restoreSentinels(head)}\n${archiveHead(options, 'link', '    ')}`
}

export function atomTail(): string {
  return '</feed>\n'
}

/** Marks where an entry's extra elements go: `feed` writes it as `<rights>MARK n MARK</rights>`. */
const MARK = '\uE002'
const ENTRY_TO_MARK = /<entry>([\s\S]*?)<rights>\uE002(\d+)\uE002<\/rights>/g

/** What `feed` cannot write on an Atom entry: enclosure links with real MIME types and lengths, and `<source>`. */
export function atomExtras(entry: Entry): string {
  const indent = '\n        '
  const extra: string[] = []
  const seen = new Set<string>()
  for (const e of [...entry.enclosures, ...entry.images]) {
    if (seen.has(e.url)) continue
    seen.add(e.url)
    const length = 'length' in e && e.length ? ` length="${e.length}"` : ''
    extra.push(`<link rel="enclosure" href="${escapeXml(e.url)}" type="${escapeXml(e.type)}"${length}/>`)
  }
  const src = entry.source
  const sourceId = src.feedUrl ?? src.siteUrl ?? `urn:tonghop:source:${encodeURIComponent(src.id)}`
  const parts = [`<id>${escapeXml(sourceId)}</id>`, `<title>${escapeXml(entry.outlet)}</title>`]
  // RFC 4287 §4.1.2: an entry without an author takes its source's. The outlet authored the source, not the story:
  // it goes here, never in the entry's own <author>, which is only a byline.
  if (!entry.byline) parts.push(`<author><name>${escapeXml(entry.outlet)}</name></author>`)
  if (entry.credit.domain) {
    parts.push(`<link rel="alternate" href="${escapeXml(`https://${encodeURI(entry.credit.domain)}/`)}"/>`)
  } else if (src.siteUrl) {
    parts.push(`<link rel="alternate" href="${escapeXml(src.siteUrl)}"/>`)
  }
  if (src.feedUrl) parts.push(`<link rel="self" href="${escapeXml(src.feedUrl)}"/>`)
  if (src.title && src.title !== entry.outlet) parts.push(`<subtitle>${escapeXml(src.title)}</subtitle>`)
  extra.push(`<source>${indent}    ${parts.join(`${indent}    `)}${indent}</source>`)
  return extra.join(indent)
}

/**
 * Atom `<entry>`s of a batch of entries: rendered by `feed` (each carrying a marker in `<rights>`), then each
 * marker replaced by that entry's `atomExtras()` and the sentinels restored. The one post-processing step of Atom.
 */
/** `vi-VN` → `vi`: an entry in the feed's language (any region) needs no `xml:lang` of its own. */
const primary = (tag: string | undefined) => tag?.split('-')[0]?.toLowerCase()

export function atomEntries(entries: Entry[], feedLanguage?: string): string {
  if (entries.length === 0) return ''
  const feed = new Feed(DUMMY)
  entries.forEach((entry, index) => {
    feed.addItem({
      title: escapeXml(entry.title),
      id: entry.id,
      link: entry.link,
      date: entry.modified,
      published: entry.published,
      content: entry.contentHtml,
      ...(entry.summary ? { description: escapeXml(entry.summary) } : {}),
      ...(entry.byline ? { author: [{ name: xmlText(entry.byline) }] } : {}),
      ...(entry.categories.length ? { category: entry.categories.map((term) => ({ term: attrText(term) })) } : {}),
      copyright: `${MARK}${index}${MARK}`,
    })
  })
  // `<rights>` is the last element `feed` writes in an entry, so each entry's start tag is the first `<entry>` after
  // the previous marker (a literal "<entry>" inside CDATA content comes after it). An entry whose language is not the
  // feed's gets `xml:lang` there.
  const xml = sliceBetween(feed.atom1(), '<entry>', '</entry>').replace(
    ENTRY_TO_MARK,
    (_m, body: string, n: string) => {
      const entry = entries[Number(n)]!
      const lang =
        entry.language && primary(entry.language) !== primary(feedLanguage)
          ? ` xml:lang="${escapeXml(entry.language)}"`
          : ''
      return `<entry${lang}>${body}${atomExtras(entry)}`
    },
  )
  return `    ${restoreSentinels(xml)}\n`
}

// ---------------------------------------------------------------------------------------------------- JSON Feed 1.1

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1'

export function jsonHead(options: RenderOptions, updated: Date): string {
  const head = JSON.parse(new Feed(feedOptions(options, updated, 'json')).json1()) as Record<string, unknown>
  delete head.items
  head.version = JSON_FEED_VERSION
  if (options.language) head.language = options.language
  if (options.hub) head.hubs = [{ type: 'WebSub', url: options.hub }]
  // JSON Feed's pagination: next_url holds the older items.
  const older = cleanUrl(options.archiveLinks?.prevArchive)
  if (older) head.next_url = older
  const json = JSON.stringify(head)
  return `${json.slice(0, -1)},"items":[\n`
}

export function jsonTail(): string {
  return '\n]}\n'
}

function jsonItem(entry: Entry): Item {
  const attachments = [
    ...entry.enclosures.map((e) => ({
      url: e.url,
      mime_type: e.type,
      ...(e.length ? { size_in_bytes: e.length } : {}),
    })),
    ...entry.images
      .filter((i) => !entry.enclosures.some((e) => e.url === i.url))
      .map((i) => ({ url: i.url, mime_type: i.type, ...(i.caption ? { title: i.caption } : {}) })),
  ]
  const extensions: Extension[] = [
    {
      name: '_tonghop',
      objects: {
        outlet: entry.outletIdentity,
        credit: entry.credit,
        creditLine: entry.creditLine,
        source: entry.source,
        alsoPublishedBy: entry.alsoPublishedBy,
        ...(entry.images.length
          ? {
              images: entry.images.map((i) => ({
                url: i.url,
                ...(i.caption ? { caption: i.caption } : {}),
                ...(i.credit ? { credit: i.credit } : {}),
              })),
            }
          : {}),
      },
    },
  ]
  if (entry.byline)
    extensions.unshift({ name: 'authors', objects: [{ name: entry.byline }] as unknown as Record<string, unknown> })
  if (attachments.length)
    extensions.push({ name: 'attachments', objects: attachments as unknown as Record<string, unknown> })
  if (entry.language)
    extensions.push({ name: 'language', objects: entry.language as unknown as Record<string, unknown> })
  return {
    title: entry.title,
    id: entry.id,
    link: entry.link,
    date: entry.modified,
    published: entry.published,
    content: entry.contentHtml,
    ...(entry.summary ? { description: entry.summary } : {}),
    ...(entry.images[0] ? { image: entry.images[0].url } : {}),
    ...(entry.categories.length ? { category: entry.categories.map((name) => ({ name })) } : {}),
    extensions,
  }
}

/** JSON Feed 1.1 items of a batch, one per line, comma-separated (`first`: no leading comma). */
export function jsonItems(entries: Entry[], first: boolean): string {
  if (entries.length === 0) return ''
  const feed = new Feed(DUMMY)
  for (const entry of entries) feed.addItem(jsonItem(entry))
  const items = (JSON.parse(feed.json1()) as { items: Record<string, unknown>[] }).items
  return `${first ? '' : ',\n'}${items.map((item) => JSON.stringify(item)).join(',\n')}`
}
