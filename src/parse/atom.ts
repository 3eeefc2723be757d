/** Atom 1.0 and Atom 0.3 (`<feed>`) → ParsedFeed. */
import {
  asBase,
  assignBody,
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
import type { ReadContext, ReadResult } from './rss.js'
import type { ParsedItem } from './types.js'
import { child, childrenNamed, innerMarkup, type SourceText, textContent, type XmlElement } from './xml.js'

export function readAtom(root: XmlElement, context: ReadContext): ReadResult {
  // `base` is the base before any xml:base; every URL is resolved with baseAt(node, base), which applies the
  // xml:base attributes from the document element down to the node, once each.
  const documentUrl = asBase(context.url)
  const link = alternateLink(root, documentUrl)
  const base = documentUrl ?? (root.attrs['xml:base'] === undefined ? asBase(link) : undefined)
  const feed: ReadResult['feed'] = { items: [] }

  const declared = root.attrs.version?.trim()
  const legacy = declared === '0.3' || root.ns?.get('') === 'http://purl.org/atom/ns#'
  feed.version = declared || (legacy ? '0.3' : '1.0')
  const title = textConstruct(child(root, 'title'), context.source)
  if (title !== undefined) feed.title = title
  if (link !== undefined) feed.link = link
  const subtitle = textConstruct(child(root, 'subtitle') ?? child(root, 'tagline'), context.source)
  if (subtitle !== undefined) feed.description = subtitle
  const language = clean(root.attrs['xml:lang'])
  if (language !== undefined) feed.language = language
  const rights = textConstruct(
    child(root, 'rights') ?? child(root, 'copyright') ?? child(root, 'dc:rights'),
    context.source,
  )
  if (rights !== undefined) feed.rights = rights
  const updated = parseStrictDate(optionalText(child(root, 'updated') ?? child(root, 'modified')))
  if (updated !== undefined) feed.updated = updated

  const feedAuthors = authors(root)
  let dropped = 0
  for (const node of root.children) {
    if (typeof node === 'string' || node.name !== 'entry') continue
    if (!node.complete) {
      dropped++
      continue
    }
    feed.items.push(readEntry(node, context, base, feedAuthors))
  }
  return { feed, dropped }
}

function readEntry(element: XmlElement, context: ReadContext, base: string | undefined, feedAuthors: string[]) {
  const item: ParsedItem = { categories: [], enclosures: [], media: [], raw: {} }
  const title = textConstruct(child(element, 'title'), context.source)
  if (title !== undefined) item.title = title
  const id = clean(optionalText(child(element, 'id')))
  if (id !== undefined) item.id = id
  const link = alternateLink(element, base)
  if (link !== undefined) item.link = link

  setItemDates(
    item,
    clean(optionalText(child(element, 'published') ?? child(element, 'issued') ?? child(element, 'created'))),
    clean(optionalText(child(element, 'updated') ?? child(element, 'modified'))),
  )

  const sourceNode = child(element, 'source')
  const entryAuthors = unique([
    ...authors(element),
    ...childrenNamed(element, 'dc:creator').map((c) => plain(textContent(c))),
  ])
  const names = entryAuthors.length > 0 ? entryAuthors : sourceNode ? authors(sourceNode) : []
  const byline = names.length > 0 ? names : feedAuthors
  if (byline.length > 0) item.author = byline.join(', ')

  const contentNode = child(element, 'content')
  const summaryNode = child(element, 'summary')
  assignBody(item, contentNode && body(contentNode, context.source), summaryNode && body(summaryNode, context.source))
  const bodyBase = baseAt(contentNode ?? summaryNode ?? element, base)
  if (bodyBase !== undefined) item.baseUrl = bodyBase

  item.categories = unique([
    ...childrenNamed(element, 'category').map(
      (c) => plain(c.attrs.label) ?? plain(c.attrs.term) ?? plain(textContent(c)),
    ),
    ...childrenNamed(element, 'dc:subject').map((c) => plain(textContent(c))),
  ])

  for (const l of childrenNamed(element, 'link')) {
    if (l.attrs.rel !== 'enclosure') continue
    const url = resolveUrl(l.attrs.href, baseAt(l, base))
    if (url === undefined || item.enclosures.some((e) => e.url === url)) continue
    const type = l.attrs.type?.trim()
    const length = toLength(l.attrs.length)
    item.enclosures.push({ url, ...(type ? { type } : {}), ...(length === undefined ? {} : { length }) })
  }

  item.media = readMedia(element, base)
  const language = clean(element.attrs['xml:lang'] ?? optionalText(child(element, 'dc:language')))
  if (language !== undefined) item.language = language

  if (sourceNode) {
    const sourceTitle = textConstruct(child(sourceNode, 'title'), context.source)
    const sourceUrl =
      alternateLink(sourceNode, base) ?? resolveUrl(optionalText(child(sourceNode, 'id')), baseAt(sourceNode, base))
    if (sourceTitle !== undefined || sourceUrl !== undefined)
      item.source = {
        ...(sourceTitle === undefined ? {} : { title: sourceTitle }),
        ...(sourceUrl === undefined ? {} : { url: sourceUrl }),
      }
  }
  return item
}

/** The `rel="alternate"` link (rel defaults to alternate), preferring an HTML one. */
function alternateLink(element: XmlElement, base: string | undefined): string | undefined {
  let fallback: string | undefined
  for (const node of element.children) {
    if (typeof node === 'string' || node.name !== 'link') continue
    const rel = node.attrs.rel ?? 'alternate'
    if (rel !== 'alternate') continue
    const href = node.attrs.href ?? clean(textContent(node))
    const url = resolveUrl(href, baseAt(node, base))
    if (url === undefined) continue
    const type = node.attrs.type
    if (type === undefined || /html/i.test(type)) return url
    fallback ??= url
  }
  return fallback
}

function authors(element: XmlElement): string[] {
  return unique(
    childrenNamed(element, 'author').map((a) => {
      const name = child(a, 'name')
      return plain(name ? textContent(name) : a.hasElements ? undefined : textContent(a))
    }),
  )
}

type Kind = 'text' | 'html' | 'xhtml' | 'base64' | 'xml'

function kindOf(element: XmlElement): Kind {
  const type = (element.attrs.type ?? '').trim().toLowerCase()
  const mode = (element.attrs.mode ?? '').trim().toLowerCase()
  if (mode === 'base64') return 'base64'
  if (type === 'xhtml' || type === 'application/xhtml+xml') return mode === 'escaped' ? 'html' : 'xhtml'
  if (type === 'html' || type === 'text/html') return 'html'
  if (mode === 'escaped') return 'html'
  if (type === '' || type === 'text' || type.startsWith('text/')) return element.hasElements ? 'xhtml' : 'text'
  if (type.endsWith('+xml') || type.endsWith('/xml')) return 'xml'
  // Atom 1.0: any other media type is base64.
  return 'base64'
}

/** The content of an Atom text construct or content element, as html or text. */
function body(element: XmlElement, source: SourceText): Body | undefined {
  if (element.attrs.src !== undefined && element.children.length === 0) return undefined
  const kind = kindOf(element)
  switch (kind) {
    case 'text':
      return { kind: 'text', value: textContent(element) }
    case 'html':
      return { kind: 'html', value: innerMarkup(element, source) }
    case 'xhtml': {
      // Inline XHTML wrapped in one <div xmlns="http://www.w3.org/1999/xhtml">: the div itself is not content.
      const elements = element.children.filter((n): n is XmlElement => typeof n !== 'string')
      const onlyText = element.children.every((n) => typeof n !== 'string' || n.trim() === '')
      const wrapper = elements.length === 1 && onlyText && elements[0]!.name === 'div' ? elements[0]! : element
      return { kind: 'html', value: innerMarkup(wrapper, source) }
    }
    case 'base64': {
      const encoded = textContent(element).replace(/\s+/g, '')
      if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(encoded)) return { kind: 'text', value: textContent(element) }
      const decoded = Buffer.from(encoded, 'base64').toString('utf8')
      return { kind: looksLikeHtml(decoded) ? 'html' : 'text', value: decoded }
    }
    case 'xml':
      return undefined
  }
}

/**
 * A text construct (RFC 4287 §3.1: title, subtitle, summary, rights) as the plain text the publisher meant:
 * - `type="text"` given explicitly: the text as written (`&lt;blink&gt;` is the literal `<blink>`), no second
 *   decoding; without a type, a second round for feeds that escaped twice (see `plain`);
 * - `type="html"`: the escaped HTML's text (tags dropped, then entities decoded, so `&amp;lt;blink&amp;gt;` → `<blink>`);
 * - `type="xhtml"`: the text of the inline XHTML inside its `<div>`; escaped markup there is text, not tags.
 */
function textConstruct(element: XmlElement | undefined, source: SourceText): string | undefined {
  if (element === undefined) return undefined
  const kind = kindOf(element)
  if (kind === 'xhtml') return clean(xhtmlText(element))
  if (kind === 'text' && (element.attrs.type ?? '').trim().toLowerCase() === 'text') return clean(textContent(element))
  const value = body(element, source)
  if (value === undefined) return undefined
  return value.kind === 'html' ? htmlToText(value.value) : plain(value.value)
}

/** Elements whose bounds are word bounds in inline XHTML. */
const XHTML_BLOCKS = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'tr', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'])

/** The text of inline XHTML: text nodes (already entity-decoded once) in order, a space at block bounds. */
function xhtmlText(element: XmlElement): string {
  let out = ''
  for (const node of element.children) {
    if (typeof node === 'string') {
      out += node
      continue
    }
    const local = node.name.slice(node.name.indexOf(':') + 1).toLowerCase()
    if (local === 'script' || local === 'style') continue
    const block = XHTML_BLOCKS.has(local)
    if (block) out += ' '
    out += xhtmlText(node)
    if (block) out += ' '
  }
  return out
}
