/**
 * A small tag scanner for the two markup jobs of sources/: OPML outlines and `<link>` / `<a>` elements of an HTML
 * page. It yields start and end tags with decoded attributes and skips comments, CDATA, processing instructions and
 * the raw text of `<script>` / `<style>`. It is not a parser: no tree, no text nodes — which is all these jobs need.
 */

export interface StartTag {
  kind: 'start'
  /** Lower-cased for HTML; as written for XML. */
  name: string
  /** Attribute names lower-cased; values entity-decoded. */
  attributes: Record<string, string>
  selfClosing: boolean
  /** Offset just past the tag's `>`. */
  end: number
}

export interface EndTag {
  kind: 'end'
  name: string
  end: number
}

export type Tag = StartTag | EndTag

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
}

/** Decode the XML entities, numeric references and a few common HTML ones; unknown entities are left as written. */
export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1))
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match
    }
    return NAMED[body.toLowerCase()] ?? match
  })
}

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
}

const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {}
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = match[1]!.toLowerCase()
    if (name in attributes) continue
    attributes[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '')
  }
  return attributes
}

/** Index of the `>` closing a tag that starts at `from`, skipping quoted attribute values; -1 if none. */
function findTagEnd(text: string, from: number): number {
  let quote = ''
  for (let i = from; i < text.length; i++) {
    const ch = text[i]
    if (quote) {
      if (ch === quote) quote = ''
    } else if (ch === '"' || ch === "'") quote = ch
    else if (ch === '>') return i
  }
  return -1
}

const RAW_TEXT = new Set(['script', 'style'])

/** Scan the tags of `text`. `html` lower-cases names and skips `<script>` / `<style>` bodies. */
export function* scanTags(text: string, options: { html?: boolean } = {}): Generator<Tag> {
  const html = options.html === true
  let i = 0
  while (i < text.length) {
    const lt = text.indexOf('<', i)
    if (lt < 0) return
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4)
      i = close < 0 ? text.length : close + 3
      continue
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const close = text.indexOf(']]>', lt + 9)
      i = close < 0 ? text.length : close + 3
      continue
    }
    const next = text[lt + 1]
    if (next === '!' || next === '?') {
      const close = text.indexOf('>', lt + 2)
      i = close < 0 ? text.length : close + 1
      continue
    }
    if (next === '/') {
      const close = text.indexOf('>', lt + 2)
      if (close < 0) return
      const rawName = text.slice(lt + 2, close).trim()
      yield { kind: 'end', name: html ? rawName.toLowerCase() : rawName, end: close + 1 }
      i = close + 1
      continue
    }
    const nameMatch = /^[A-Za-z_][\w:.-]*/.exec(text.slice(lt + 1, lt + 200))
    if (!nameMatch) {
      i = lt + 1
      continue
    }
    const close = findTagEnd(text, lt + 1 + nameMatch[0].length)
    if (close < 0) return
    const inner = text.slice(lt + 1 + nameMatch[0].length, close)
    const selfClosing = inner.trimEnd().endsWith('/')
    const name = html ? nameMatch[0].toLowerCase() : nameMatch[0]
    yield {
      kind: 'start',
      name,
      attributes: parseAttributes(selfClosing ? inner.trimEnd().slice(0, -1) : inner),
      selfClosing,
      end: close + 1,
    }
    i = close + 1
    if (html && RAW_TEXT.has(name) && !selfClosing) {
      const endTag = text.toLowerCase().indexOf(`</${name}`, i)
      i = endTag < 0 ? text.length : endTag
    }
  }
}

/** Text between a start tag's end and the next `<` (entity-decoded, whitespace collapsed). */
export function textAfter(text: string, from: number): string {
  const cdata = /^\s*<!\[CDATA\[/.exec(text.slice(from, from + 64))
  if (cdata) {
    const start = from + cdata[0].length
    const close = text.indexOf(']]>', start)
    return text
      .slice(start, close < 0 ? text.length : close)
      .replace(/\s+/g, ' ')
      .trim()
  }
  const stop = text.indexOf('<', from)
  return decodeEntities(text.slice(from, stop < 0 ? text.length : stop))
    .replace(/\s+/g, ' ')
    .trim()
}
