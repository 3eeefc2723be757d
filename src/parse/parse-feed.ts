import { ParseError } from '../errors.js'
import { decodeBytesInChunks } from '../internal/charset.js'
import { readAtom } from './atom.js'
import { asBase, resolveUrl } from './common.js'
import { readJsonFeed } from './json-feed.js'
import { type ReadResult, readRss } from './rss.js'
import type { ParsedFeed, ParseOptions } from './types.js'
import { parseXml, type XmlDocument, type XmlElement } from './xml.js'

/** @default 15 MiB */
export const DEFAULT_MAX_SIZE = 15 * 1024 * 1024

/** Elements that make a document an HTML page (or fragment), not a feed. */
const HTML_ROOTS = new Set([
  'html',
  'head',
  'body',
  'div',
  'p',
  'span',
  'a',
  'table',
  'script',
  'style',
  'meta',
  'link',
  'title',
  'br',
  'img',
  'h1',
  'h2',
  'h3',
  'ul',
  'form',
  'iframe',
  'center',
  'pre',
  'b',
  'font',
  'noscript',
])
const FEED_ROOTS = new Set(['rss', 'rdf:RDF', 'feed', 'channel'])

/**
 * Parse RSS 0.91/0.92/1.0/2.0, Atom 0.3/1.0 or JSON Feed 1.0/1.1 into a ParsedFeed.
 *
 * Byte input is decoded with the same charset rules as fetch (BOM, `options.charset`, Content-Type charset, XML
 * declaration, UTF-8, windows-1258). Forgiving with real-world feeds; a document cut short keeps its complete items and carries an
 * `ERR_PARSE_TRUNCATED` warning. Throws ParseError `ERR_PARSE_TOO_LARGE`, `ERR_PARSE_INVALID_FEED` (empty, HTML,
 * garbage) or `ERR_PARSE_UNKNOWN_FORMAT` (well-formed, but not a feed format tonghop reads).
 */
export async function parseFeed(input: string | Uint8Array, options: ParseOptions = {}): Promise<ParsedFeed> {
  return parseFeedSync(input, options)
}

/** parseFeed without the promise (for the benchmark and callers that want it). */
export function parseFeedSync(input: string | Uint8Array, options: ParseOptions = {}): ParsedFeed {
  const { url } = options
  const context = url === undefined ? {} : { url }
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE
  const size = typeof input === 'string' ? input.length : input.byteLength
  if (size > maxSize) {
    throw new ParseError(
      'ERR_PARSE_TOO_LARGE',
      `Feed document is ${size} ${typeof input === 'string' ? 'characters' : 'bytes'}, over the limit of ${maxSize}${where(url)}`,
      context,
    )
  }
  // Byte input is decoded in pieces (see decodeBytesInChunks) that the XML tokenizer reads one by one.
  const chunks =
    typeof input === 'string'
      ? [input]
      : decodeBytesInChunks(input, {
          ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
          ...(options.charset === undefined ? {} : { charset: options.charset }),
        }).chunks
  if (chunks[0]?.charCodeAt(0) === 0xfeff) chunks[0] = chunks[0].slice(1)

  let head: string | undefined
  for (const chunk of chunks) {
    const first = chunk.search(/\S/)
    if (first === -1) continue
    head = chunk[first]
    break
  }
  if (head === undefined) throw new ParseError('ERR_PARSE_INVALID_FEED', `Feed document is empty${where(url)}`, context)

  const base = documentBase(url, options.contentLocation)
  const jsonType = options.contentType !== undefined && /json/i.test(options.contentType)
  if (head === '{' || head === '[' || (jsonType && head !== '<'))
    return parseJson(chunks.length === 1 ? chunks[0]! : chunks.join(''), url, base, context, options.maxDepth)
  return parseXmlFeed(chunks.length === 1 ? chunks[0]! : chunks, url, base, context, options.maxDepth)
}

/** The base of relative links: `Content-Location` resolved against the request URL when it is an http(s) URL, else
 * the request URL. */
function documentBase(url: string | undefined, contentLocation: string | undefined): string | undefined {
  const location = contentLocation === undefined ? undefined : asBase(resolveUrl(contentLocation, asBase(url)))
  return location ?? url
}

function parseJson(
  text: string,
  url: string | undefined,
  base: string | undefined,
  context: { url?: string },
  maxDepth: number | undefined,
): ParsedFeed {
  const result = readJsonFeed(text, base, maxDepth)
  if (result.kind === 'not-json')
    throw new ParseError('ERR_PARSE_INVALID_FEED', `Document is neither XML nor valid JSON${where(url)}`, context)
  if (result.kind === 'not-a-feed')
    throw new ParseError(
      'ERR_PARSE_UNKNOWN_FORMAT',
      `JSON document is not a JSON Feed (no \`items\` array, or a \`version\` other than https://jsonfeed.org/version/…, 1, 1.0 or 1.1)${where(url)}`,
      context,
    )
  const warnings: ParsedFeed['warnings'] = []
  if (result.tooDeep) warnings.push(tooDeepWarning(result.feed.items.length, result.dropped))
  else if (result.truncated) warnings.push(truncatedWarning(result.feed.items.length, result.dropped))
  return { ...result.feed, warnings }
}

function parseXmlFeed(
  text: string | readonly string[],
  url: string | undefined,
  base: string | undefined,
  context: { url?: string },
  maxDepth: number | undefined,
): ParsedFeed {
  const document = parseXml(text, maxDepth === undefined ? {} : { maxDepth })
  const warnings: ParsedFeed['warnings'] = []
  const found = findRoot(document, warnings)
  const root = found ?? orphanRoot(document, warnings)
  if (root === undefined) {
    const first = document.roots[0]
    if (first === undefined || document.doctype === 'html' || HTML_ROOTS.has(first.name.toLowerCase())) {
      const what = first === undefined ? 'no XML element' : `an HTML page (<${first.name}>)`
      throw new ParseError('ERR_PARSE_INVALID_FEED', `Not a feed: found ${what}${where(url)}`, context)
    }
    throw new ParseError(
      'ERR_PARSE_UNKNOWN_FORMAT',
      `Unknown feed format: document element <${first.name}>${where(url)}`,
      context,
    )
  }

  const readContext = { source: document.source, url: base }
  let format: ParsedFeed['format']
  let result: ReadResult
  if (root.name === 'feed') {
    format = 'atom'
    result = readAtom(root, readContext)
  } else if (root.name === 'rdf:RDF') {
    format = 'rdf'
    result = readRss(root, readContext, true)
  } else {
    format = 'rss'
    result = readRss(root, readContext, false)
  }

  if (found !== undefined) {
    // Several feed roots of the same kind (two documents pasted together): every one's items, in order.
    for (const other of document.roots) {
      if (other === root || other.name !== root.name) continue
      const more =
        root.name === 'feed' ? readAtom(other, readContext) : readRss(other, readContext, root.name === 'rdf:RDF')
      result.feed.items.push(...more.feed.items)
      result.dropped += more.dropped
    }
  }

  if (document.tooDeep) {
    warnings.push(tooDeepWarning(result.feed.items.length, result.dropped))
  } else if (
    !root.complete ||
    result.dropped > 0 ||
    (document.truncated && found !== undefined && root.parent === undefined)
  ) {
    warnings.push(truncatedWarning(result.feed.items.length, result.dropped))
  }
  return { format, ...result.feed, warnings }
}

/**
 * The feed's document element: the first top-level feed root (junk before it, such as a PHP notice, is skipped with
 * a warning), else one wrapped in HTML (a feed saved from a browser's view, `<html><body><pre><rss>…`).
 */
function findRoot(document: XmlDocument, warnings: ParsedFeed['warnings']): XmlElement | undefined {
  const index = document.roots.findIndex((r) => FEED_ROOTS.has(r.name))
  if (index !== -1) {
    const root = document.roots[index]!
    if (index > 0)
      warnings.push(recovered(`${index} element${index === 1 ? '' : 's'} before the <${root.name}> root skipped`))
    const copies = document.roots.filter((r) => r !== root && r.name === root.name).length
    if (copies > 0)
      warnings.push(recovered(`${copies + 1} <${root.name}> roots in one document: the items of all read`))
    return root
  }
  for (const top of document.roots) {
    const nested = findElement(top, (e) => FEED_ROOTS.has(e.name))
    if (nested !== undefined) {
      warnings.push(recovered(`the <${nested.name}> root was wrapped in <${top.name}>: the wrapper was skipped`))
      return nested
    }
  }
  return undefined
}

/** Depth-first, document order; the recursion is bounded by parseXml's maxDepth. */
function findElement(element: XmlElement, match: (element: XmlElement) => boolean): XmlElement | undefined {
  if (match(element)) return element
  for (const node of element.children) {
    if (typeof node === 'string') continue
    const found = findElement(node, match)
    if (found !== undefined) return found
  }
  return undefined
}

/** An item is worth keeping when it closed and holds at least one field of an item. */
const ITEM_FIELDS = new Set(['title', 'link', 'guid', 'description', 'id', 'content', 'summary', 'content:encoded'])

function isItem(element: XmlElement, name: string): boolean {
  if (element.name !== name) return false
  for (const node of element.children) if (typeof node !== 'string' && ITEM_FIELDS.has(node.name)) return true
  return false
}

/**
 * A document that lost its root (`<rss><channel>` cut off a copy saved from a browser, items pasted into an HTML
 * page): a channel made of every `<item>` (else every Atom `<entry>`) found anywhere, with the channel fields that
 * sit beside the first one. Undefined when there is no item: then the document is not a feed.
 */
function orphanRoot(document: XmlDocument, warnings: ParsedFeed['warnings']): XmlElement | undefined {
  for (const name of ['item', 'entry']) {
    const items: XmlElement[] = []
    const collect = (element: XmlElement) => {
      if (isItem(element, name)) {
        items.push(element)
        return
      }
      for (const node of element.children) if (typeof node !== 'string') collect(node)
    }
    for (const top of document.roots) collect(top)
    if (items.length === 0) continue
    const holder = items[0]!.parent
    const siblings = (holder === undefined ? document.roots : holder.children).filter(
      (n): n is XmlElement => typeof n !== 'string' && n.name !== name,
    )
    const root: XmlElement = {
      name: name === 'entry' ? 'feed' : 'channel',
      attrs: {},
      children: [...siblings, ...items].sort((a, b) => a.innerStart - b.innerStart),
      parent: undefined,
      complete: true,
      hasElements: true,
      innerStart: 0,
      innerEnd: document.source.length,
      ns: undefined,
    }
    const complete = items.filter((i) => i.complete).length
    warnings.push(
      recovered(
        `no <${name === 'entry' ? 'feed' : 'rss'}> root: ${complete} complete <${name}> element${complete === 1 ? '' : 's'} read without it`,
      ),
    )
    return root
  }
  return undefined
}

function recovered(message: string): ParsedFeed['warnings'][number] {
  return { code: 'ERR_PARSE_RECOVERED', message: `Feed document is malformed: ${message}` }
}

function tooDeepWarning(kept: number, dropped: number): ParsedFeed['warnings'][number] {
  return {
    code: 'ERR_PARSE_TOO_DEEP',
    message: `Feed document nests deeper than the limit: reading stopped there; ${kept} complete item${kept === 1 ? '' : 's'} kept, ${dropped} dropped`,
  }
}

function truncatedWarning(kept: number, dropped: number): ParsedFeed['warnings'][number] {
  return {
    code: 'ERR_PARSE_TRUNCATED',
    message: `Feed document ends early: ${kept} complete item${kept === 1 ? '' : 's'} kept, ${dropped} incomplete item${dropped === 1 ? '' : 's'} dropped`,
  }
}

function where(url: string | undefined): string {
  return url === undefined ? '' : `: ${url}`
}
