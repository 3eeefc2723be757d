/**
 * The one file of parse/ that knows the XML tokenizer (htmlparser2 in xmlMode) and the entity tables (entities).
 *
 * Builds a small, forgiving element tree: undeclared HTML entities (`&nbsp;`, `&agrave;`), bare `&`, control
 * characters and unescaped markup are all accepted (control characters are removed from plain-text fields by
 * common.ts `clean`; bodies keep them for normalize/, which drops them while cleaning the HTML anyway); a document that ends early is closed where it ends, and each
 * element records whether its end tag was really seen, so callers keep only complete items. Namespace prefixes are
 * canonicalised (`xmlns:c="http://purl.org/rss/1.0/modules/content/"` + `<c:encoded>` → `content:encoded`).
 */
import { DecodingMode, decodeHTML, decodeHTMLAttribute, Parser } from '../internal/markup.js'

export interface XmlElement {
  /** Canonical name: known namespaces get a fixed prefix; feed-format namespaces (Atom in Atom, RSS 1.0) none. */
  name: string
  /** Attributes as written (names not canonicalised), values entity-decoded. */
  attrs: Record<string, string>
  /** Text (entity-decoded, CDATA kept verbatim) and child elements, in document order. */
  children: XmlNode[]
  parent: XmlElement | undefined
  /** True when the end tag was seen (or the element was self-closed); false when closed by the end of input. */
  complete: boolean
  /** Whether any child is an element (unescaped markup inside). */
  hasElements: boolean
  /** Offsets of the element's content in the source: `source.slice(innerStart, innerEnd)`. */
  innerStart: number
  innerEnd: number
  /** Namespace declarations made on this element: prefix ('' for the default) → URI. */
  ns: Map<string, string> | undefined
}

export type XmlNode = XmlElement | string

/** The document's text: a string, or the pieces it was decoded in (see ChunkedText). Offsets are ≥ 0. */
export interface SourceText {
  readonly length: number
  slice(start: number, end: number): string
}

/** Text held as the pieces it was decoded in; `slice` joins the pieces a range covers. */
export class ChunkedText implements SourceText {
  readonly length: number
  /** Offset of each piece's first character. */
  private readonly starts: number[] = []

  constructor(private readonly chunks: readonly string[]) {
    let length = 0
    for (const chunk of chunks) {
      this.starts.push(length)
      length += chunk.length
    }
    this.length = length
  }

  slice(start: number, end: number): string {
    const from = Math.max(0, Math.min(start, this.length))
    const to = Math.max(from, Math.min(end, this.length))
    if (from === to) return ''
    let i = this.pieceAt(from)
    const first = this.chunks[i]!
    const offset = this.starts[i]!
    if (to <= offset + first.length) return first.slice(from - offset, to - offset)
    let out = first.slice(from - offset)
    for (i++; i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!
      const chunkStart = this.starts[i]!
      if (to <= chunkStart + chunk.length) return out + chunk.slice(0, to - chunkStart)
      out += chunk
    }
    return out
  }

  /** Index of the piece holding `offset` (binary search). */
  private pieceAt(offset: number): number {
    let low = 0
    let high = this.starts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (this.starts[mid]! <= offset) low = mid
      else high = mid - 1
    }
    return low
  }
}

export interface XmlDocument {
  source: SourceText
  /** Top-level elements, in order (junk before the real root, such as a PHP warning, is kept as its own element). */
  roots: XmlElement[]
  /** `<!DOCTYPE …>` name if any, lower-cased (`html` marks an HTML page). */
  doctype: string | undefined
  /** The input ended while elements were still open. */
  truncated: boolean
  /** Parsing stopped because elements were nested deeper than `maxDepth`. */
  tooDeep: boolean
}

export interface XmlOptions {
  /** Deepest element nesting accepted; parsing stops there (what was complete is kept). @default 256 */
  maxDepth?: number
}

/** Namespace URIs → canonical prefix ('' = unprefixed). Atom's is decided per document (see `atomPrefix`). */
const NAMESPACES: Record<string, string> = {
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://www.w3.org/1999/xhtml': '',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/elements/1.1': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
}
const ATOM_NAMESPACES = new Set(['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#'])

/** HTML void elements: in unescaped HTML inside a feed they are often not closed (`<br>`, `<img …>`). */
const VOID = new Set([
  'br',
  'img',
  'hr',
  'wbr',
  'input',
  'col',
  'area',
  'embed',
  'param',
  'track',
  'keygen',
  'basefont',
])

/** Core feed element names written in another case (`<TITLE>`, `<PubDate>`, Microsoft CDF's `<CHANNEL>`): lower case →
 * the spelling the readers look for. Only unprefixed names whose first letter is upper case are looked up. */
const CORE_NAMES = new Map(
  [
    'rss',
    'channel',
    'item',
    'title',
    'link',
    'description',
    'guid',
    'pubDate',
    'lastBuildDate',
    'author',
    'category',
    'enclosure',
    'comments',
    'source',
    'language',
    'image',
    'url',
    'feed',
    'entry',
    'id',
    'updated',
    'published',
    'summary',
    'content',
    'subtitle',
    'name',
    'abstract',
  ].map((name) => [name.toLowerCase(), name]),
)

function coreName(name: string): string {
  const first = name.charCodeAt(0)
  if (first < 65 || first > 90) return name
  return CORE_NAMES.get(name.toLowerCase()) ?? name
}

class FeedXmlParser extends Parser {
  protected override isVoidElement(name: string): boolean {
    if (VOID.has(name)) return true
    const first = name.charCodeAt(0)
    return first >= 65 && first <= 90 && name.length <= 8 && VOID.has(name.toLowerCase())
  }
}

class TooDeep extends Error {}

// XML 1.0 forbids these; feeds contain them anyway. Tab, LF and CR are kept.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

/** Remove characters XML forbids (C0 controls except tab/LF/CR, U+FFFE/U+FFFF). */
export function stripControls(text: string): string {
  CONTROL.lastIndex = 0
  return CONTROL.test(text) ? text.replace(CONTROL, '') : text
}

/** Decode HTML (and so XML) character references in text, forgiving bare `&` and unknown names. */
export function decodeEntities(text: string): string {
  return text.indexOf('&') === -1 ? text : decodeHTML(text, DecodingMode.Legacy)
}

export function decodeAttribute(text: string): string {
  return text.indexOf('&') === -1 ? text : decodeHTMLAttribute(text)
}

/** Parse a document given whole or in the pieces it was decoded in (the same tree either way). */
export function parseXml(input: string | readonly string[], options: XmlOptions = {}): XmlDocument {
  const source: SourceText = typeof input === 'string' ? input : new ChunkedText(input)
  const maxDepth = options.maxDepth ?? 256
  const roots: XmlElement[] = []
  const stack: XmlElement[] = []
  let doctype: string | undefined
  let pending = ''
  let inCdata = false
  let atEnd = false
  let endedOpen = false
  let tooDeep = false
  const scope = new NamespaceScope()

  const flush = () => {
    if (pending === '') return
    const top = stack[stack.length - 1]
    if (top) top.children.push(decodeEntities(pending))
    pending = ''
  }

  const parser: FeedXmlParser = new FeedXmlParser(
    {
      onopentag(name, attribs) {
        flush()
        if (stack.length >= maxDepth) {
          tooDeep = true
          throw new TooDeep()
        }
        const parent = stack[stack.length - 1]
        const attrs: Record<string, string> = {}
        let ns: Map<string, string> | undefined
        for (const key in attribs) {
          const value = decodeAttribute(attribs[key] ?? '')
          attrs[key] = value
          if (key === 'xmlns' || key.startsWith('xmlns:')) {
            ns ??= new Map()
            ns.set(key === 'xmlns' ? '' : key.slice(6), value)
          }
        }
        const element: XmlElement = {
          name,
          attrs,
          children: [],
          parent,
          complete: false,
          hasElements: false,
          innerStart: parser.endIndex + 1,
          innerEnd: parser.endIndex + 1,
          ns,
        }
        if (parent === undefined && scope.atomPrefix === undefined) scope.atomPrefix = rootAtomPrefix(name)
        if (ns) scope.push(ns)
        element.name = scope.canonical(coreName(name))
        if (parent) {
          parent.children.push(element)
          parent.hasElements = true
        } else {
          roots.push(element)
        }
        stack.push(element)
      },
      onclosetag(_name, isImplied) {
        flush()
        const element = stack.pop()
        if (!element) return
        if (element.ns) scope.pop()
        element.complete = !(isImplied && atEnd)
        if (!element.complete) endedOpen = true
        element.innerEnd = isImplied ? Math.max(element.innerStart, parser.startIndex) : parser.startIndex
        if (element.innerEnd < element.innerStart) element.innerEnd = element.innerStart
      },
      ontext(text) {
        if (inCdata) {
          // The tokenizer holds a CDATA section cut by a chunk boundary until its end: it arrives whole.
          const top = stack[stack.length - 1]
          if (top) top.children.push(text)
        } else {
          pending += text
        }
      },
      oncdatastart() {
        flush()
        inCdata = true
      },
      oncdataend() {
        inCdata = false
      },
      onprocessinginstruction(name, data) {
        if (name.toLowerCase() === '!doctype') doctype = /^!doctype\s+([^\s>[]+)/i.exec(data)?.[1]?.toLowerCase()
      },
    },
    { xmlMode: true, decodeEntities: false, recognizeCDATA: true, recognizeSelfClosing: true },
  )

  try {
    if (typeof input === 'string') parser.write(input)
    else for (const chunk of input) parser.write(chunk)
    atEnd = true
    parser.end()
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error
  }
  flush()
  const truncated = endedOpen || stack.length > 0
  closeOpen(stack, source.length)
  return { source, roots, doctype, truncated, tooDeep }
}

/** Whatever is still open (input ended, or parsing stopped at the depth limit) is incomplete. */
function closeOpen(stack: XmlElement[], end: number): void {
  while (stack.length > 0) {
    const element = stack.pop()!
    element.complete = false
    element.innerEnd = Math.max(element.innerStart, end)
  }
}

/**
 * The document element decides whether Atom's namespace is "the" namespace ('') or a guest in RSS ('atom'); other
 * elements at the top (junk before it, such as a PHP notice's <br />) do not count (undefined).
 */
function rootAtomPrefix(name: string): string | undefined {
  const local = coreName(name.slice(name.indexOf(':') + 1))
  if (local === 'feed') return ''
  if (local === 'rss' || local === 'RDF' || local === 'channel') return 'atom'
  return undefined
}

/**
 * The namespaces in scope: the elements that declare some, innermost last, and a prefix cache valid until that list
 * changes, so lookups stay O(1) however deep the document nests (hostile input can declare a prefix on every level).
 */
class NamespaceScope {
  private readonly declaring: Map<string, string>[] = []
  private readonly cache = new Map<string, string | undefined>()
  /** Atom's prefix in canonical names: '' in an Atom document, 'atom' in RSS (see rootAtomPrefix). */
  atomPrefix: string | undefined

  push(ns: Map<string, string>): void {
    this.declaring.push(ns)
    this.cache.clear()
  }

  pop(): void {
    this.declaring.pop()
    this.cache.clear()
  }

  private lookup(prefix: string): string | undefined {
    if (this.cache.has(prefix)) return this.cache.get(prefix)
    let uri: string | undefined
    for (let i = this.declaring.length - 1; i >= 0 && uri === undefined; i--) uri = this.declaring[i]!.get(prefix)
    this.cache.set(prefix, uri)
    return uri
  }

  /** `prefix:local` with the prefix tonghop knows its namespace by (`dc:`, `media:`, …), else as written. */
  canonical(qname: string): string {
    const colon = qname.indexOf(':')
    if (colon === -1) return qname
    const uri = this.lookup(qname.slice(0, colon))
    if (uri === undefined) return qname
    const local = qname.slice(colon + 1)
    const prefix = ATOM_NAMESPACES.has(uri) ? (this.atomPrefix ?? 'atom') : NAMESPACES[uri]
    if (prefix === undefined) return qname
    return prefix === '' ? local : `${prefix}:${local}`
  }
}

// ————— tree helpers —————

export function child(element: XmlElement, name: string): XmlElement | undefined {
  for (const node of element.children) if (typeof node !== 'string' && node.name === name) return node
  return undefined
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = []
  for (const node of element.children) if (typeof node !== 'string' && node.name === name) out.push(node)
  return out
}

/** All text inside the element, markup dropped (a title with unescaped `<b>` keeps its words). */
export function textContent(element: XmlElement): string {
  const { children } = element
  if (children.length === 1 && typeof children[0] === 'string') return children[0]
  let out = ''
  for (const node of children) out += typeof node === 'string' ? node : textContent(node)
  return out
}

/** The element's content as markup: its text when it holds escaped or CDATA HTML; the source slice when the HTML
 * was written unescaped inside the feed. */
export function innerMarkup(element: XmlElement, source: SourceText): string {
  if (!element.hasElements) return textContent(element)
  return source.slice(element.innerStart, element.innerEnd)
}
