/**
 * The article body as safe HTML: one walk over the body element that drops boilerplate (scripts, forms, share
 * bars, related-news boxes, comments, ads, "Xem thêm" / "Tin liên quan" lists), keeps text, figures, images and
 * captions, and writes an allowlist of tags and attributes with absolute URLs. Nothing outside the allowlist is
 * written, so no script, event attribute or `javascript:` URL can come through.
 */
import {
  BOX_TAGS,
  collapsedLength,
  DATE_LINE,
  isHidden,
  isJunkElement,
  RELATED_HEAD,
  type Stats,
  startText,
  statsOf,
  TEXT_BLOCKS,
  totalOf,
} from './boilerplate.js'
import { type AnyNode, type Element, isTag, isText, type Matcher, matcher } from './dom.js'

export { pruneBoilerplate } from './boilerplate.js'

/** Elements dropped with everything inside. */
const DROP_TAGS = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'form',
  'nav',
  'noscript',
  'button',
  'input',
  'select',
  'option',
  'textarea',
  'label',
  'svg',
  'math',
  'object',
  'embed',
  'applet',
  'video',
  'audio',
  'source',
  'track',
  'canvas',
  'template',
  'link',
  'meta',
  'base',
  'head',
  'title',
  'aside',
  'footer',
  'header',
  'dialog',
  'menu',
  'map',
  'ins',
])

/** Tags written as themselves (h1 and h5/h6 are mapped to h2 and h4). */
const KEEP_TAGS: Record<string, string> = {
  p: 'p',
  div: 'div',
  section: 'div',
  article: 'div',
  main: 'div',
  center: 'div',
  h1: 'h2',
  h2: 'h2',
  h3: 'h3',
  h4: 'h4',
  h5: 'h4',
  h6: 'h4',
  blockquote: 'blockquote',
  ul: 'ul',
  ol: 'ol',
  li: 'li',
  dl: 'ul',
  dt: 'li',
  dd: 'li',
  figure: 'figure',
  figcaption: 'figcaption',
  table: 'table',
  thead: 'thead',
  tbody: 'tbody',
  tfoot: 'tbody',
  tr: 'tr',
  th: 'th',
  td: 'td',
  caption: 'p',
  strong: 'strong',
  b: 'strong',
  em: 'em',
  i: 'em',
  cite: 'em',
  u: 'u',
  sub: 'sub',
  sup: 'sup',
  s: 's',
  strike: 's',
  del: 's',
  a: 'a',
  br: 'br',
  hr: 'hr',
  img: 'img',
  pre: 'p',
  address: 'p',
  span: 'span',
}

/** Tags whose element is written only when it has content. */
const VOID_TAGS = new Set(['br', 'hr', 'img'])

const CAPTION_TOKEN = /caption|expnoedit|image-desc|img-desc|image_desc|desc_image|note-image/i

export interface CleanOptions {
  /** Base URL for relative links. */
  base: string
  /** Extra drop selectors (the rule's `remove`). */
  remove?: readonly string[]
  /** Elements to leave out (the lead, byline, title or date element when they sit inside the body). */
  skip?: ReadonlySet<Element>
  /** The article's title: a short block repeating it is left out. */
  title?: string
}

export interface CleanResult {
  html: string
  /** Characters of body text (whitespace collapsed). */
  textLength: number
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function resolve(value: string | undefined, base: string, schemes: readonly string[]): string | undefined {
  if (value === undefined) return undefined
  const v = value.trim()
  if (v === '' || v.startsWith('#')) return undefined
  try {
    const u = new URL(v, base)
    return schemes.includes(u.protocol) ? u.href : undefined
  } catch {
    return undefined
  }
}

const LAZY_SRC = ['data-src', 'data-original', 'data-lazy-src', 'data-lazy', 'data-url', 'data-srcset', 'data-img']

function imageUrl(el: Element, base: string): string | undefined {
  for (const name of LAZY_SRC) {
    const v = el.attribs[name]
    if (v !== undefined && v.trim() !== '') {
      const first = name.endsWith('srcset') ? v.trim().split(/\s+/)[0] : v
      const u = resolve(first, base, ['http:', 'https:'])
      if (u !== undefined) return u
    }
  }
  return resolve(el.attribs.src, base, ['http:', 'https:'])
}

/** `<img src alt width height />` with an absolute http(s) source, or undefined when it has none. */
function imageTag(el: Element, base: string): string | undefined {
  const src = imageUrl(el, base)
  if (src === undefined) return undefined
  const alt = el.attribs.alt
  let out = `<img src="${escapeAttr(src)}"`
  if (alt !== undefined) out += ` alt="${escapeAttr(alt.replace(/\s+/g, ' ').trim())}"`
  for (const name of ['width', 'height']) {
    const v = el.attribs[name]
    if (v !== undefined && /^\d{1,5}$/.test(v)) out += ` ${name}="${v}"`
  }
  return `${out} />`
}

class Writer {
  readonly parts: string[] = []
  textLength = 0
  private readonly removers: Matcher[]
  private readonly stats: Map<Element, Stats>
  private readonly prose: number

  constructor(
    root: Element,
    private readonly options: CleanOptions,
  ) {
    this.removers = (options.remove ?? []).map((s) => matcher(s)).filter((m): m is Matcher => m !== undefined)
    this.stats = statsOf(root)
    const total = totalOf(root, this.stats)
    this.prose = total.text - total.linkText
  }

  private dropped(el: Element): boolean {
    if (DROP_TAGS.has(el.name)) return true
    if (this.options.skip?.has(el) === true) return true
    if (isHidden(el)) return true
    for (const m of this.removers) if (m(el)) return true
    const s = this.stats.get(el)
    if (s === undefined) return false
    // A junk-looking class on an element that holds most of the body's prose names the body, not a box.
    if (isJunkElement(el) && (s.text - s.linkText) * 2 < this.prose) return true
    if (BOX_TAGS.has(el.name)) {
      // A list of links: related news, tags, "tin khác".
      if (s.links >= 3 && s.linkText > 0.6 * s.text) return true
      if (s.links >= 1 && s.text < 600 && RELATED_HEAD.test(startText(el))) return true
    }
    if (TEXT_BLOCKS.has(el.name) && s.text < 300) {
      const start = startText(el)
      // "Xem thêm: <a>…</a>" / "Tin liên quan" lines.
      if (RELATED_HEAD.test(start) && (s.links >= 1 || s.text < 40)) return true
      // The title or a bare date line repeated in the body (fallback bodies often start with both).
      if (s.text < 80 && s.links === 0 && start.length < 80) {
        if (DATE_LINE.test(start)) return true
        if (this.options.title !== undefined && start === this.options.title) return true
      }
    }
    return false
  }

  /** Writes the children of `el`; returns whether anything with text or an image was written. */
  children(el: Element): boolean {
    let any = false
    for (const c of el.children) {
      if (isText(c)) {
        if (c.data.length === 0) continue
        const n = collapsedLength(c.data)
        if (n > 0) any = true
        this.textLength += n
        this.parts.push(escapeText(c.data))
      } else if (isTag(c)) {
        if (this.element(c)) any = true
      }
    }
    return any
  }

  private element(el: Element): boolean {
    if (this.dropped(el)) return false
    const tag = KEEP_TAGS[el.name]
    const base = this.options.base
    if (tag === 'img') {
      const img = imageTag(el, base)
      if (img === undefined) return false
      this.parts.push(img)
      return true
    }
    if (tag === 'br' || tag === 'hr') {
      this.parts.push(`<${tag} />`)
      return false
    }
    if (tag === undefined || (tag === 'span' && !isCaption(el))) {
      // Unknown or inline wrapper (span, font, picture, …): its content only.
      return this.children(el)
    }
    const open = this.parts.length
    this.parts.push('')
    const any = this.children(el)
    if (!any && !VOID_TAGS.has(tag)) {
      // Nothing inside worth keeping: drop the empty element.
      this.parts.length = open
      return false
    }
    this.parts[open] = `<${tag}${this.attributes(el, tag)}>`
    this.parts.push(`</${tag}>`)
    return any
  }

  private attributes(el: Element, tag: string): string {
    const a = el.attribs
    let out = ''
    if (tag === 'a') {
      const href = resolve(a.href, this.options.base, ['http:', 'https:', 'mailto:'])
      if (href !== undefined) out += ` href="${escapeAttr(href)}"`
      if (a.title !== undefined && a.title.trim() !== '') out += ` title="${escapeAttr(a.title.trim())}"`
    } else if (tag === 'td' || tag === 'th') {
      for (const name of ['colspan', 'rowspan']) {
        const v = a[name]
        if (v !== undefined && /^\d{1,3}$/.test(v)) out += ` ${name}="${v}"`
      }
    }
    if (tag === 'p' || tag === 'div') {
      const align = (a.align ?? /text-align\s*:\s*(center|right)/i.exec(a.style ?? '')?.[1] ?? '').toLowerCase()
      if (align === 'center' || align === 'right') out += ` align="${align}"`
    }
    const cls = captionClasses(el)
    if (cls !== undefined) out += ` class="${escapeAttr(cls)}"`
    return out
  }
}

function captionClasses(el: Element): string | undefined {
  const cls = el.attribs.class
  if (cls === undefined) return undefined
  const kept = cls.split(/\s+/).filter((t) => t !== '' && CAPTION_TOKEN.test(t) && /^[\w-]+$/.test(t))
  return kept.length === 0 ? undefined : kept.join(' ')
}

function isCaption(el: Element): boolean {
  return captionClasses(el) !== undefined
}

/** The body element's content as clean HTML. */
export function cleanBody(root: Element, options: CleanOptions): CleanResult {
  const w = new Writer(root, options)
  w.children(root)
  const html = w.parts.join('').replace(/\s+/g, ' ').trim()
  return { html, textLength: w.textLength }
}

/** Plain text of an element: whitespace collapsed, script/style left out. */
export function plainText(node: AnyNode): string {
  const parts: string[] = []
  const stack: AnyNode[] = [node]
  while (stack.length > 0) {
    const n = stack.pop() as AnyNode
    if (isText(n)) parts.push(n.data)
    else if (isTag(n)) {
      if (n.name === 'script' || n.name === 'style' || n.name === 'template') continue
      if (n.name === 'br' || n.name === 'p' || n.name === 'div' || n.name === 'li') parts.push(' ')
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as AnyNode)
    } else if ('children' in n) {
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as AnyNode)
    }
  }
  return parts.join('').replace(/\s+/g, ' ').trim()
}

export { escapeText }
