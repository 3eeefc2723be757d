/**
 * The HTML layer of normalize/: one htmlparser2 pass builds a small, depth-capped tree of the body (dropping
 * executable and junk subtrees while it parses), and sanitize-html is the final allowlist gate over the HTML that
 * body/ rebuilds from that tree. htmlparser2 and sanitize-html are imported only here.
 */

import sanitize from 'sanitize-html'
import { detach } from '../internal/detach.js'
import { DecodingMode, decodeHTML, decodeHTMLAttribute, Parser } from '../internal/markup.js'

export interface HtmlElement {
  type: 'element'
  name: string
  attrs: Record<string, string>
  children: HtmlNode[]
}

export interface HtmlText {
  type: 'text'
  data: string
}

export type HtmlNode = HtmlElement | HtmlText

export interface ParseHtmlOptions {
  /** Input longer than this many characters is cut before parsing. @default 1 MiB */
  maxLength?: number
  /** Elements nested deeper than this are flattened into their ancestor (their text is kept). @default 64 */
  maxDepth?: number
  /** Called for every opening tag; `true` drops the element with everything inside it. */
  drop?: (name: string, attrs: Record<string, string>) => boolean
}

export const MAX_BODY_LENGTH = 1024 * 1024
export const MAX_DEPTH = 64

/** Elements whose whole subtree is never content: executable, embedded, interactive or document-level. */
const ALWAYS_DROP = new Set([
  'script',
  'style',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'param',
  'input',
  'button',
  'select',
  'option',
  'optgroup',
  'textarea',
  'svg',
  'math',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'canvas',
  'video',
  'audio',
  'track',
  'map',
  'area',
  'dialog',
  'portal',
  'slot',
  'xmp',
  'plaintext',
  'noembed',
  'noframes',
  'nav',
  'aside',
  'menu',
])

/** Void elements: no children, no depth. */
const VOID = new Set(['img', 'br', 'hr', 'wbr', 'source', 'col', 'amp-img'])

/** Block-level names: when flattened past the depth cap they still leave a line break behind. */
export const BLOCK_TAGS = new Set([
  'address',
  'article',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'picture',
  'noscript',
])

type Frame = HtmlElement | 'drop' | 'flat'

/**
 * Parses an HTML fragment into a plain tree in one pass. Entities are decoded in text and attributes. Never throws.
 * `noscript` is kept (lazy-loading fallbacks put the real `<img>` there); callers must not copy it to output.
 */
export function parseHtml(html: string, options: ParseHtmlOptions = {}): HtmlElement {
  const maxLength = options.maxLength ?? MAX_BODY_LENGTH
  const maxDepth = options.maxDepth ?? MAX_DEPTH
  const drop = options.drop
  const cut = html.length > maxLength ? cutAt(html, maxLength) : html
  // Every tag takes at least three characters, so a short body cannot reach PREPASS_TAGS tags: no need to count.
  const input =
    cut.length >= PREPASS_TAGS * 3 && countTags(cut, PREPASS_TAGS) >= PREPASS_TAGS ? capNesting(cut, maxDepth) : cut
  const root: HtmlElement = { type: 'element', name: '#root', attrs: {}, children: [] }
  const frames: Frame[] = []
  let parent = root
  let depth = 0
  let dropping = 0
  const parents: HtmlElement[] = [root]

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (dropping > 0) {
          frames.push('drop')
          dropping++
          return
        }
        for (const key in attribs) {
          const value = attribs[key] as string
          if (value.indexOf('&') !== -1) attribs[key] = decodeHTMLAttribute(value)
        }
        if (ALWAYS_DROP.has(name) || isHidden(attribs) || (drop?.(name, attribs) ?? false)) {
          frames.push('drop')
          dropping++
          return
        }
        const element: HtmlElement = { type: 'element', name, attrs: attribs, children: [] }
        if (depth >= maxDepth && !VOID.has(name)) {
          // Too deep: keep the content, lose the element (a block still ends the line).
          if (BLOCK_TAGS.has(name)) parent.children.push({ type: 'element', name: 'br', attrs: {}, children: [] })
          frames.push('flat')
          return
        }
        parent.children.push(element)
        frames.push(element)
        parents.push(element)
        parent = element
        depth++
      },
      onclosetag() {
        const frame = frames.pop()
        if (frame === undefined) return
        if (frame === 'drop') {
          dropping--
          return
        }
        if (frame === 'flat') return
        parents.pop()
        parent = parents[parents.length - 1] ?? root
        depth--
      },
      ontext(raw) {
        if (dropping > 0) return
        // Entities are decoded here rather than in the tokenizer: it then skips through text with indexOf-like
        // speed instead of checking every character for `&`. Same decoder, same modes (text: legacy).
        const data = raw.indexOf('&') === -1 ? raw : decodeHTML(raw, DecodingMode.Legacy)
        const last = parent.children[parent.children.length - 1]
        if (last !== undefined && last.type === 'text') last.data += data
        else parent.children.push({ type: 'text', data })
      },
    },
    { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeCDATA: false },
  )
  parser.write(input)
  parser.end()
  return root
}

/** Above this many tags the linear nesting pre-pass runs (htmlparser2's open-element stack is an array it
 * `unshift`s, so very deep nesting is quadratic inside the parser itself: 100k levels take seconds). */
const PREPASS_TAGS = 2000

/** Cuts at `length`, not leaving half a tag behind. */
function cutAt(html: string, length: number): string {
  const cut = html.slice(0, length)
  const open = cut.lastIndexOf('<')
  return open > cut.lastIndexOf('>') ? cut.slice(0, open) : cut
}

function countTags(html: string, limit: number): number {
  let n = 0
  for (let i = html.indexOf('<'); i !== -1 && n < limit; i = html.indexOf('<', i + 1)) n++
  return n
}

const TAG = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g
/** Opening one of these closes an open element of the same group (`<p>` … `<p>`), as HTML parsers do. */
const SELF_CLOSING_GROUP: Record<string, string> = {
  p: 'p',
  li: 'li',
  td: 'cell',
  th: 'cell',
  tr: 'tr',
  dt: 'dd',
  dd: 'dd',
  option: 'option',
}

/**
 * One linear scan that removes the tags of elements nested deeper than `maxDepth` (keeping their text; a removed
 * block element leaves a `<br>`), so the parser never sees deep nesting. Approximate by design — it only decides
 * which tags to drop; everything it keeps is parsed and sanitized normally.
 */
export function capNesting(html: string, maxDepth: number): string {
  const stack: { name: string; kept: boolean }[] = []
  let kept = 0
  const out: string[] = []
  let last = 0
  TAG.lastIndex = 0
  for (let m = TAG.exec(html); m !== null; m = TAG.exec(html)) {
    const name = m[2]?.toLowerCase()
    if (name === undefined) continue
    const closing = m[1] === '/'
    let remove = false
    if (!closing) {
      if (VOID.has(name) || /\/\s*$/.test(m[3] ?? '')) continue
      const group = SELF_CLOSING_GROUP[name]
      const top = stack[stack.length - 1]
      if (group !== undefined && top !== undefined && SELF_CLOSING_GROUP[top.name] === group) {
        stack.pop()
        if (top.kept) kept--
      }
      const keep = kept < maxDepth
      stack.push({ name, kept: keep })
      if (keep) kept++
      else remove = true
    } else {
      // Match the nearest open element of that name among the top few; stray end tags are left to the parser.
      let found = -1
      for (let i = stack.length - 1; i >= 0 && i >= stack.length - 16; i--) {
        if (stack[i]?.name === name) {
          found = i
          break
        }
      }
      if (found === -1) continue
      while (stack.length > found) {
        const frame = stack.pop()
        if (frame?.kept === true) kept--
        if (stack.length === found) remove = frame?.kept === false
      }
    }
    if (remove) {
      out.push(html.slice(last, m.index))
      if (!closing && BLOCK_TAGS.has(name)) out.push('<br>')
      last = m.index + m[0].length
    }
  }
  if (last === 0) return html
  out.push(html.slice(last))
  return out.join('')
}

const HIDING_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i
/** Whether a style value hides its element, per value: bodies repeat a handful of style attributes. */
const hidingStyles = new Map<string, boolean>()

function isHidden(attrs: Record<string, string>): boolean {
  if (attrs.hidden !== undefined) return true
  const style = attrs.style
  if (style === undefined) return false
  let hidden = hidingStyles.get(style)
  if (hidden === undefined) {
    hidden = HIDING_STYLE.test(style)
    if (hidingStyles.size < 4096) hidingStyles.set(detach(style), hidden)
  }
  return hidden
}

/** Text content of a subtree (no `noscript`), without clean-up. */
export function textContent(node: HtmlNode): string {
  if (node.type === 'text') return node.data
  if (node.name === 'noscript') return ''
  let out = ''
  for (const child of node.children) {
    out += textContent(child)
    if (child.type === 'element' && (child.name === 'br' || BLOCK_TAGS.has(child.name))) out += '\n'
  }
  return out
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
}

/** The news allowlist. No style, class, id, event handler or target attribute survives; URLs are http(s)/mailto. */
const SANITIZE_OPTIONS: sanitize.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'sub',
    'sup',
    'h2',
    'h3',
    'h4',
    'blockquote',
    'ul',
    'ol',
    'li',
    'figure',
    'figcaption',
    'img',
    'a',
    'table',
    'caption',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'template',
    'title',
    'head',
    'iframe',
    'object',
    'svg',
    'math',
    'xmp',
    'noembed',
    'noframes',
  ],
  enforceHtmlBoundary: false,
  parseStyleAttributes: false,
  allowVulnerableTags: false,
  // Stricter than the scheme allowlist: only absolute http(s)/mailto URLs survive (body/ resolves every URL).
  transformTags: { a: absoluteOnly('href'), img: absoluteOnly('src') },
}

function absoluteOnly(attr: string): sanitize.Transformer {
  return (tagName, attribs) => {
    const value = attribs[attr]
    if (value === undefined || /^(?:https?:\/\/|mailto:)[^\s\u0000-\u001f]*$/i.test(value.trim()))
      return { tagName, attribs }
    const { [attr]: _dropped, ...rest } = attribs
    return { tagName, attribs: rest }
  }
}

/** Final allowlist pass over HTML. Never throws; anything it does not know is removed. */
export function sanitizeHtml(html: string): string {
  return sanitize(html, SANITIZE_OPTIONS)
}

/** Text content as the sanitize-html gate writes it: `&`, `<`, `>` escaped; quotes kept. (indexOf: a vectorised
 * search, about twice as fast as a character-class regex over the body's text.) */
export function escapeText(value: string): string {
  if (value.indexOf('&') === -1 && value.indexOf('<') === -1 && value.indexOf('>') === -1) return value
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** An attribute value as the sanitize-html gate writes it: `&`, `<`, `>`, `"` escaped. */
export function escapeAttribute(value: string): string {
  if (value.indexOf('&') === -1 && value.indexOf('<') === -1 && value.indexOf('>') === -1 && value.indexOf('"') === -1)
    return value
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * The attribute-free tags body/render.ts writes, each with where it may stand: `inline` tags inside text containers,
 * `block` tags only where the rebuilt structure puts them. Under these rules htmlparser2 never closes an element
 * implicitly (no block inside `<p>`, no `<li>` inside `<li>`, no cell outside a row), so the gate's parse of the
 * HTML has exactly the tree the string spells.
 */
type Slot = 'flow' | 'text' | 'list' | 'figure' | 'table' | 'section' | 'row'
interface PlainTag {
  name: string
  close: boolean
  /** Where an opening tag may stand (the slot of the element on top of the stack). */
  in: readonly Slot[]
  /** What the element's own content is. */
  holds: Slot
}
const TEXT_SLOTS: readonly Slot[] = ['text']
const PLAIN_TAGS = new Map<string, PlainTag>()
{
  const add = (name: string, where: readonly Slot[], holds: Slot) => {
    PLAIN_TAGS.set(`<${name}>`, { name, close: false, in: where, holds })
    PLAIN_TAGS.set(`</${name}>`, { name, close: true, in: where, holds })
  }
  for (const name of ['p', 'h2', 'h3', 'h4']) add(name, ['flow'], 'text')
  add('blockquote', ['flow'], 'flow')
  add('ul', ['flow'], 'list')
  add('ol', ['flow'], 'list')
  add('li', ['list'], 'text')
  add('figure', ['flow'], 'figure')
  add('figcaption', ['figure'], 'text')
  add('table', ['flow'], 'table')
  add('tbody', ['table'], 'section')
  add('tr', ['section'], 'row')
  add('td', ['row'], 'text')
  add('th', ['row'], 'text')
  for (const name of ['strong', 'em', 'u', 's', 'sub', 'sup']) add(name, TEXT_SLOTS, 'text')
  PLAIN_TAGS.set('</a>', { name: 'a', close: true, in: TEXT_SLOTS, holds: 'text' })
  PLAIN_TAGS.set('<br />', { name: 'br', close: false, in: TEXT_SLOTS, holds: 'text' })
}

/** PLAIN_TAGS by length and first two characters after `<`, so a tag is found without cutting it out. */
const PLAIN_INDEX = new Map<number, [string, PlainTag][]>()
for (const [text, tag] of PLAIN_TAGS) {
  const key = plainKey(text.length, text.charCodeAt(1), text.charCodeAt(2))
  const list = PLAIN_INDEX.get(key) ?? []
  list.push([text, tag])
  PLAIN_INDEX.set(key, list)
}

function plainKey(length: number, first: number, second: number): number {
  return length * 0x20000 + (first & 0x1ff) * 0x100 + (second & 0xff)
}

/** The plain tag that spans html[open..end] (end is its `>`), if it is one. */
function plainTagAt(html: string, open: number, end: number): PlainTag | undefined {
  const list = PLAIN_INDEX.get(plainKey(end - open + 1, html.charCodeAt(open + 1), html.charCodeAt(open + 2)))
  if (list === undefined) return undefined
  for (const [text, tag] of list) if (html.startsWith(text, open)) return tag
  return undefined
}

/** An attribute value that is plain text as sanitize-html writes it: no `"`, `<` or `>`, and `&` only in an escape. */
const TEXT_VALUE = `(?:[^"<>&]|&(?:amp|lt|gt|quot);)`
/**
 * The tags body/render.ts writes with attributes. Their URL (href, src) is handed to sanitize-html, which must leave it
 * unchanged; their other values are plain escaped text (alt, a non-empty title) or digits, which nothing executes.
 */
const LINK_TAG = new RegExp(`^<a (href="[^"<>]*")(?: title="${TEXT_VALUE}+")?>$`)
const IMAGE_TAG = new RegExp(
  String.raw`^<img (src="[^"<>]*") alt="${TEXT_VALUE}*"(?: width="\d{1,5}")?(?: height="\d{1,5}")? \/>$`,
)
const CELL_TAG = /^<(t[dh])(?: colspan="\d{1,3}")?(?: rowspan="\d{1,3}")?>$/
const LINK_FRAME = { name: 'a', holds: 'text' as Slot }
const CELL_FRAMES: Record<string, { name: string; holds: Slot }> = {
  td: { name: 'td', holds: 'text' },
  th: { name: 'th', holds: 'text' },
}
/**
 * The final gate over the HTML body/ rebuilt. That HTML is, by construction, sanitize-html's own output form, so
 * the gate proves it is a fixed point of sanitize-html instead of re-serializing every byte: one strict pass checks
 * that it consists only of allowlisted tags (in the structure body/render.ts writes) whose attributes are the writer's own
 * (escaped text, digits, one URL), and text escaped as sanitize-html escapes it; every URL goes through sanitize-html
 * (its scheme allowlist and the absolute-only transform), which must hand it back unchanged. Anything else (an
 * unexpected token or attribute, a changed URL, a tag out of place) sends the whole HTML through sanitize-html as
 * before, so the result is always sanitize-html's.
 */
export function sanitizeRebuiltHtml(html: string): string {
  return sanitizeRebuiltHtmlAll([html])[0] as string
}

/**
 * sanitizeRebuiltHtml over many bodies (a feed's items) with one sanitize-html call for all their attribute-bearing
 * tags: sanitize-html's cost is mostly per call. Each body's tags are self-contained (`<a …></a>`, `<img … />`), so
 * the joined string comes back unchanged exactly when every one of them does (attribute values hold no `<` or `>`,
 * so the tags line up one to one); otherwise each body is gated on its own.
 */
export function sanitizeRebuiltHtmlAll(htmls: readonly string[]): string[] {
  const out = htmls.slice()
  const skeletons: (string | undefined)[] = []
  let joined = ''
  for (let i = 0; i < htmls.length; i++) {
    const skeleton = gateSkeleton(htmls[i] as string)
    skeletons.push(skeleton)
    if (skeleton === undefined) out[i] = sanitizeHtml(htmls[i] as string)
    else joined += skeleton
  }
  if (joined === '' || sanitizeHtml(joined) === joined) return out
  for (let i = 0; i < htmls.length; i++) {
    const skeleton = skeletons[i]
    if (skeleton !== undefined && skeleton !== '' && sanitizeHtml(skeleton) !== skeleton) {
      out[i] = sanitizeHtml(htmls[i] as string)
    }
  }
  return out
}

/**
 * The URLs of HTML in the form body/render.ts writes, as the tags that carry them (`<a href></a>`, `<img src />`), joined;
 * `undefined` when
 * the HTML has anything else: a tag that is not the writer's, a tag out of its place, unbalanced nesting, a `>` in
 * text or an `&` that is not `&amp;`, `&lt;` or `&gt;`.
 */
function gateSkeleton(html: string): string | undefined {
  const stack: { readonly name: string; readonly holds: Slot }[] = []
  let attributed = ''
  let position = 0
  let amp = html.indexOf('&')
  for (;;) {
    const open = html.indexOf('<', position)
    const textEnd = open === -1 ? html.length : open
    // Text: the first `>` from here must be the one that ends the next tag.
    const gt = html.indexOf('>', position)
    if (gt !== -1 && gt < textEnd) return undefined
    for (; amp !== -1 && amp < textEnd; amp = html.indexOf('&', amp + 1)) {
      if (!html.startsWith('amp;', amp + 1) && !html.startsWith('lt;', amp + 1) && !html.startsWith('gt;', amp + 1))
        return undefined
    }
    if (open === -1) break
    if (gt === -1) return undefined
    position = gt + 1
    if (amp !== -1 && amp < position) amp = html.indexOf('&', position)
    const slot: Slot = stack.length === 0 ? 'flow' : (stack[stack.length - 1] as { holds: Slot }).holds
    const plain = plainTagAt(html, open, gt)
    if (plain !== undefined) {
      if (plain.close) {
        if (stack.pop()?.name !== plain.name) return undefined
      } else {
        if (!plain.in.includes(slot)) return undefined
        if (plain.name !== 'br') stack.push(plain)
      }
      continue
    }
    const tag = html.slice(open, gt + 1)
    const link = LINK_TAG.exec(tag)
    if (link !== null) {
      if (slot !== 'text') return undefined
      stack.push(LINK_FRAME)
      attributed += `<a ${link[1]}></a>`
      continue
    }
    const image = IMAGE_TAG.exec(tag)
    if (image !== null) {
      if (slot !== 'figure') return undefined
      attributed += `<img ${image[1]} />`
      continue
    }
    const cell = CELL_TAG.exec(tag)
    const frame = cell === null ? undefined : CELL_FRAMES[cell[1] as string]
    if (frame !== undefined) {
      if (slot !== 'row') return undefined
      stack.push(frame)
      continue
    }
    return undefined
  }
  return stack.length === 0 ? attributed : undefined
}
