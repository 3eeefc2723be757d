/**
 * The body tree: one htmlparser2 pass builds a small, depth-capped tree of an HTML body, dropping executable,
 * hidden and junk subtrees while it parses (a linear pre-pass caps very deep nesting first).
 */
import { detach } from '../../internal/detach.js'
import { DecodingMode, decodeHTML, decodeHTMLAttribute, Parser } from '../../internal/markup.js'

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
