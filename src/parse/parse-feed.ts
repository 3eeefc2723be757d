import { ParseError } from '../errors.js'
import { decodeBytes } from '../internal/charset.js'
import { readAtom } from './atom.js'
import { readJsonFeed } from './json-feed.js'
import { type ReadResult, readRss } from './rss.js'
import type { ParsedFeed, ParseOptions } from './types.js'
import { parseXml } from './xml.js'

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
 * Byte input is decoded with the same charset rules as fetch (BOM, Content-Type charset, XML declaration, UTF-8,
 * windows-1258). Forgiving with real-world feeds; a document cut short keeps its complete items and carries an
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
  let text =
    typeof input === 'string'
      ? input
      : decodeBytes(input, options.contentType === undefined ? {} : { contentType: options.contentType }).text
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)

  const first = text.search(/\S/)
  if (first === -1) throw new ParseError('ERR_PARSE_INVALID_FEED', `Feed document is empty${where(url)}`, context)

  const head = text[first]
  const jsonType = options.contentType !== undefined && /json/i.test(options.contentType)
  if (head === '{' || head === '[' || (jsonType && head !== '<')) return parseJson(text, url, context, options.maxDepth)
  return parseXmlFeed(text, url, context, options.maxDepth)
}

function parseJson(
  text: string,
  url: string | undefined,
  context: { url?: string },
  maxDepth: number | undefined,
): ParsedFeed {
  const result = readJsonFeed(text, url, maxDepth)
  if (result.kind === 'not-json')
    throw new ParseError('ERR_PARSE_INVALID_FEED', `Document is neither XML nor valid JSON${where(url)}`, context)
  if (result.kind === 'not-a-feed')
    throw new ParseError(
      'ERR_PARSE_UNKNOWN_FORMAT',
      `JSON document is not a JSON Feed (no https://jsonfeed.org/version/ "version")${where(url)}`,
      context,
    )
  const warnings: ParsedFeed['warnings'] = []
  if (result.tooDeep) warnings.push(tooDeepWarning(result.feed.items.length, result.dropped))
  else if (result.truncated) warnings.push(truncatedWarning(result.feed.items.length, result.dropped))
  return { ...result.feed, warnings }
}

function parseXmlFeed(
  text: string,
  url: string | undefined,
  context: { url?: string },
  maxDepth: number | undefined,
): ParsedFeed {
  const document = parseXml(text, maxDepth === undefined ? {} : { maxDepth })
  // Junk before the document element (a PHP notice, a stray <br />) is skipped: the first feed root wins.
  const root = document.roots.find((r) => FEED_ROOTS.has(r.name))
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

  const readContext = { source: text, url }
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

  const warnings: ParsedFeed['warnings'] = []
  if (document.tooDeep) {
    warnings.push(tooDeepWarning(result.feed.items.length, result.dropped))
  } else if (document.truncated || !root.complete || result.dropped > 0) {
    warnings.push(truncatedWarning(result.feed.items.length, result.dropped))
  }
  return { format, ...result.feed, warnings }
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
