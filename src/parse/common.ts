/** Helpers shared by the RSS, Atom and JSON Feed readers. */
import type { ParsedItem, ParsedMedia } from './types.js'
import { child, childrenNamed, decodeEntities, stripControls, textContent, type XmlElement } from './xml.js'

/** A body or description as the feed gave it. */
export interface Body {
  kind: 'html' | 'text'
  value: string
}

const TAG = /<\/?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?\/?>|<!--[\s\S]*?-->/
const ENTITY = /&(?:#\d{1,7}|#[xX][\da-fA-F]{1,6}|[A-Za-z][A-Za-z\d]{1,31});/

/** Whitespace that `clean` changes: a tab or line break, or two spaces in a row. */
const ODD_WHITESPACE = /[\t\r\n]| {2}/

/** Drop control characters, collapse runs of spaces, tabs and newlines and trim; undefined when nothing is left. */
export function clean(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  let out = stripControls(text)
  // Replacing every single space by a space would copy the text for nothing: only runs and tabs/newlines change it.
  if (ODD_WHITESPACE.test(out)) out = out.replace(/[ \t\r\n]+/g, ' ')
  out = out.trim()
  return out === '' ? undefined : out
}

/** Plain text of a field that should be plain: a second round of entity decoding when the feed escaped twice
 * (`H&amp;agrave;` in the XML), then whitespace collapsed. */
export function plain(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  return clean(ENTITY.test(text) ? decodeEntities(text) : text)
}

export function looksLikeHtml(text: string): boolean {
  return TAG.test(text) || ENTITY.test(text)
}

/** Text of an HTML fragment: scripts, styles and comments dropped, tags removed, entities decoded. */
export function htmlToText(html: string): string | undefined {
  const text = html
    .replace(/<(script|style|noscript)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(
      /<\/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|figure|figcaption|section|article)\b[^>]*>/gi,
      ' ',
    )
    // a tag, quoted attribute values included (`<a title="x > y">`); a `<` not followed by a name is text
    .replace(/<\/?[A-Za-z!?][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>/g, '')
  return clean(decodeEntities(text))
}

/** Plain text as HTML paragraphs (blank line = new paragraph, newline = <br>). */
export function textToHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return escaped
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p>${p.replace(/\r?\n/g, '<br>')}</p>`)
    .join('')
}

/** Absolute URL of `href` against `base`; the trimmed href when it cannot be resolved; undefined when empty. */
export function resolveUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (href === undefined) return undefined
  const trimmed = href.trim()
  if (trimmed === '') return undefined
  try {
    return new URL(trimmed, base).href
  } catch {
    return trimmed
  }
}

/** Only an http(s) URL can serve as a base: a `file:` document URL (a local copy of a feed) says nothing about where
 * the site's relative links point, so the feed's own site link is used instead. */
export function asBase(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined
  } catch {
    return undefined
  }
}

/** The base URL in effect at `element`: every `xml:base` from the root down, over the document's own base. */
export function baseAt(element: XmlElement | undefined, documentBase: string | undefined): string | undefined {
  let chain: string[] | undefined
  for (let el = element; el; el = el.parent) {
    const base = el.attrs['xml:base']
    if (base === undefined) continue
    chain ??= []
    chain.push(base)
  }
  if (chain === undefined) return documentBase
  let base = documentBase
  for (let i = chain.length - 1; i >= 0; i--) base = resolveUrl(chain[i], base) ?? base
  return base
}

/** `minhha@baothaibinh.com.vn (Minh Hà)`, `Minh Hà <minhha@…>` and `Minh Hà (minhha@…)` → `Minh Hà`; otherwise as
 * given. */
export function authorName(text: string | undefined): string | undefined {
  const value = plain(text)
  if (value === undefined) return undefined
  const paren = /^[^\s@()]+@[^\s@()]+\s*\((.+)\)$/.exec(value)
  if (paren?.[1]?.trim()) return paren[1].trim()
  const angle = /^(.+?)\s*<[^\s@<>]+@[^\s@<>]+>$/.exec(value)
  if (angle?.[1]?.trim()) return angle[1].replace(/^"|"$/g, '').trim()
  const nameFirst = /^([^@()]+?)\s*\(\s*(?:mailto:)?[^\s@()]+@[^\s@()]+\s*\)$/.exec(value)
  if (nameFirst?.[1]?.trim()) return nameFirst[1].trim()
  return value
}

export function toLength(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined
  const text = String(value).trim()
  if (!/^\d{1,15}$/.test(text)) return undefined
  const n = Number(text)
  return n > 0 ? n : undefined
}

export function unique(values: (string | undefined)[]): string[] {
  const out: string[] = []
  for (const value of values) if (value !== undefined && value !== '' && !out.includes(value)) out.push(value)
  return out
}

/** `summary` / `contentHtml` from a body and a description (see ParsedItem for the rule). */
export function assignBody(item: ParsedItem, content: Body | undefined, description: Body | undefined): void {
  let contentHtml: string | undefined
  if (content && content.value.trim() !== '') {
    contentHtml = content.kind === 'html' ? content.value.trim() : textToHtml(content.value)
  }
  if (description && description.value.trim() !== '') {
    if (description.kind === 'html') {
      if (contentHtml === undefined) contentHtml = description.value.trim()
      else {
        const summary = htmlToText(description.value)
        if (summary !== undefined) item.summary = summary
      }
    } else {
      const summary = plain(description.value)
      if (summary !== undefined) item.summary = summary
    }
  }
  if (contentHtml !== undefined && contentHtml !== '') item.contentHtml = contentHtml
}

/** media:content / media:thumbnail / media:group of an item (or of a group), with media:title and media:credit; a
 * media:thumbnail inside a media:content too (Vimeo writes a video's poster there, the content having no `url`).
 * Per Media RSS, the title and credit of an item apply to its groups and contents, a group's to its contents, a
 * content's to its thumbnails. `base` is the document's base before xml:base (see baseAt). */
export function readMedia(
  element: XmlElement,
  base: string | undefined,
  inherited: { title?: string | undefined; credit?: string | undefined } = {},
  out: ParsedMedia[] = [],
): ParsedMedia[] {
  const title = plain(optionalText(child(element, 'media:title'))) ?? inherited.title
  const credit =
    unique(childrenNamed(element, 'media:credit').map((c) => plain(textContent(c)))).join(', ') || inherited.credit
  for (const node of element.children) {
    if (typeof node === 'string') continue
    if (node.name === 'media:group') {
      readMedia(node, base, { title, credit }, out)
      continue
    }
    if (node.name !== 'media:content' && node.name !== 'media:thumbnail') continue
    const url = resolveUrl(node.attrs.url, baseAt(node, base))
    const ownTitle = plain(optionalText(child(node, 'media:title'))) ?? title
    const ownCredit = unique(childrenNamed(node, 'media:credit').map((c) => plain(textContent(c)))).join(', ') || credit
    if (url !== undefined && !out.some((m) => m.url === url)) {
      const media: ParsedMedia = { url }
      const type = node.attrs.type?.trim()
      if (type) media.type = type
      const medium = node.attrs.medium?.trim()
      if (medium) media.medium = medium
      else if (node.name === 'media:thumbnail') media.medium = 'image'
      if (node.name === 'media:thumbnail') media.thumbnail = true
      if (ownTitle !== undefined) media.title = ownTitle
      if (ownCredit) media.credit = ownCredit
      out.push(media)
    }
    if (node.name === 'media:content') {
      for (const thumbnail of childrenNamed(node, 'media:thumbnail')) {
        const thumbnailUrl = resolveUrl(thumbnail.attrs.url, baseAt(thumbnail, base))
        if (thumbnailUrl === undefined || out.some((m) => m.url === thumbnailUrl)) continue
        const media: ParsedMedia = { url: thumbnailUrl, medium: 'image', thumbnail: true }
        if (ownTitle !== undefined) media.title = ownTitle
        if (ownCredit) media.credit = ownCredit
        out.push(media)
      }
    }
  }
  return out
}

export function optionalText(element: XmlElement | undefined): string | undefined {
  return element === undefined ? undefined : textContent(element)
}
