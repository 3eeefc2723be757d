/**
 * The article body as safe HTML: one walk over the body element that drops boilerplate (scripts, forms, share
 * bars, related-news boxes, comments, ads, "Xem thêm" / "Tin liên quan" lists), keeps text, figures, images and
 * captions, and writes an allowlist of tags and attributes with absolute URLs. Nothing outside the allowlist is
 * written, so no script, event attribute or `javascript:` URL can come through.
 */
import {
  type AnyNode,
  type ChildNode,
  type Element,
  isTag,
  isText,
  type Matcher,
  matcher,
  type ParentNode,
  remove as removeElement,
} from './dom.js'

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

const JUNK_WORD =
  'ads?|adv|adverts?|advertisement|advertising|adsbygoogle|banners?|quang-?cao|qc|sponsor(?:ed)?|share|sharing|shares|social|socials|sociallinks?|related|relate|relates|lienquan|tinlienquan|tin-?lien-?quan|tags?|taglist|keywords?|print|comments?|binh-?luan|binhluan|fb|facebook|likebox|zalo|outbrain|taboola|newsletter|subscribe|breadcrumbs?|toolbar|readmore|read-more|xemthem|xem-?them|tinkhac|tin-?khac|other-?news|news-?other|popup|modal|rating|vote|poll|paging|pagination|menu|navigation|navbar'
const JUNK_AFFIX =
  'box|block|wrap|wrapper|inner|widget|zone|area|section|list|links?|buttons?|btns?|bar|tools?|icons?|items?|container|holder|slot|unit|inread|inpage|article|detail|post|news|top|bottom|right|left|mid|mobile|pc|main|the|in|inline|plugin|like|follow|v?\\d+'
/** One part of a class or id (split at `-` and `_`): a junk word, with affixes glued on ("tinlienquanv2"). */
const JUNK_PART = new RegExp(`^(?:${JUNK_AFFIX})*(?:${JUNK_WORD})(?:${JUNK_AFFIX})*$`, 'i')

const junkMemo = new Map<string, boolean>()

function isJunkValue(value: string): boolean {
  const known = junkMemo.get(value)
  if (known !== undefined) return known
  let junk = false
  // Each part of each token, and each token with its separators taken out ("tin-lien-quan", "box-related").
  for (const token of value.split(/\s+/)) {
    // WordPress taxonomy classes ("tag-noi-tru", "category-giao-duc") name the post, not a tag box.
    if (token === '' || token.length > 60 || /^(?:tag|category)-/i.test(token)) continue
    const glued = token.replace(/[-_]+/g, '')
    if (JUNK_PART.test(glued) || token.split(/[-_]+/).some((part) => part !== '' && JUNK_PART.test(part))) {
      junk = true
      break
    }
  }
  if (junkMemo.size > 4096) junkMemo.clear()
  junkMemo.set(value, junk)
  return junk
}

/** Class or id that names boilerplate (share bar, related box, ads, comments, tags). */
export function isJunkElement(el: Element): boolean {
  const id = el.attribs.id
  if (id !== undefined && isJunkValue(id)) return true
  const cls = el.attribs.class
  return cls !== undefined && isJunkValue(cls)
}

const CAPTION_TOKEN = /caption|expnoedit|image-desc|img-desc|image_desc|desc_image|note-image/i

/** "Xem thêm", "Tin liên quan", …: a box or line that starts with one of these is a related-news list. */
const RELATED_HEAD =
  /^\s*(?:xem thêm|xem tiếp|đọc thêm|tin liên quan|bài liên quan|bài viết liên quan|tin cùng chuyên mục|tin khác|các tin khác|tin mới|tin mới nhất|tin đọc nhiều|tin nổi bật|bài đọc nhiều|có thể bạn quan tâm|bạn có thể quan tâm|mời quý độc giả|tin bài liên quan|chủ đề)\b\s*[:>»-]?/iu

const TEXT_BLOCKS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'span', 'time'])

/** "07/12/2026 11:00", "Cập nhật: 07/12/2026 08:30", "Thứ Hai, 07/12/2026 - 08:00": a date line, nothing else. */
const DATE_LINE =
  /^(?:(?:cập nhật|ngày đăng|đăng lúc|đăng ngày|ngày|xuất bản|published|updated)\s*:?\s*)?(?:(?:thứ\s+\p{L}+|chủ nhật)\s*,?\s*)?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:\s*[-,|]?\s*\d{1,2}[:h]\d{2}(?::\d{2})?)?(?:\s*(?:\(?GMT\s*[+-]\s*\d{1,2}\)?|SA|CH|AM|PM))?$/iu

interface Stats {
  text: number
  linkText: number
  links: number
}

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

function isHidden(el: Element): boolean {
  if (el.attribs.hidden !== undefined) return true
  if (el.attribs['aria-hidden'] === 'true' && el.name !== 'img') return true
  const style = el.attribs.style
  return style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)
}

/** Text and link statistics of every element under `root`, bottom-up in one pass. */
function statsOf(root: ParentNode): Map<Element, Stats> {
  const stats = new Map<Element, Stats>()
  // Iterative post-order.
  const stack: [Element, boolean][] = []
  for (const c of root.children) if (isTag(c)) stack.push([c, false])
  while (stack.length > 0) {
    const top = stack.pop() as [Element, boolean]
    const [el, done] = top
    if (!done) {
      stack.push([el, true])
      for (const c of el.children) if (isTag(c)) stack.push([c, false])
      continue
    }
    const s: Stats = { text: 0, linkText: 0, links: el.name === 'a' ? 1 : 0 }
    for (const c of el.children) {
      if (isText(c)) s.text += collapsedLength(c.data)
      else if (isTag(c)) {
        const cs = stats.get(c)
        if (cs === undefined) continue
        s.text += cs.text
        s.linkText += cs.linkText
        s.links += cs.links
      }
    }
    if (el.name === 'a') s.linkText = s.text
    stats.set(el, s)
  }
  return stats
}

function totalOf(root: ParentNode, stats: Map<Element, Stats>): Stats {
  const total: Stats = { text: 0, linkText: 0, links: 0 }
  for (const c of root.children) {
    if (isText(c)) total.text += collapsedLength(c.data)
    const cs = isTag(c) ? stats.get(c) : undefined
    if (cs === undefined) continue
    total.text += cs.text
    total.linkText += cs.linkText
    total.links += cs.links
  }
  return total
}

/** Elements dropped from a page before Readability reads it. */
const PRUNE_TAGS = new Set([
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'button',
  'select',
  'textarea',
  'input',
  'menu',
])

/**
 * Drops the page's obvious boilerplate before the generic fallback reads it — navigation, junk-class boxes and link
 * lists that hold little prose — so Readability works on a fraction of a large page. An element that holds half
 * the page's prose or more is never dropped.
 */
export function pruneBoilerplate(root: ParentNode): void {
  const stats = statsOf(root)
  const total = totalOf(root, stats)
  const prose = total.text - total.linkText
  const doomed: Element[] = []
  const stack: ChildNode[] = [...root.children]
  while (stack.length > 0) {
    const n = stack.pop() as ChildNode
    if (!isTag(n)) continue
    const s = stats.get(n)
    const own = s === undefined ? 0 : s.text - s.linkText
    if (own * 2 < prose) {
      const linkBox = s !== undefined && BOX_TAGS.has(n.name) && s.links >= 3 && s.linkText > 0.6 * s.text && own < 300
      if (PRUNE_TAGS.has(n.name) || linkBox || isJunkElement(n) || isHidden(n)) {
        doomed.push(n)
        continue
      }
    }
    for (const c of n.children) stack.push(c)
  }
  for (const n of doomed) removeElement(n)
}

function collapsedLength(value: string): number {
  let n = 0
  let space = true
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    const isSpace = c === 32 || (c >= 9 && c <= 13) || c === 0xa0
    if (isSpace) {
      if (!space) n++
      space = true
    } else {
      n++
      space = false
    }
  }
  return n
}

function startText(el: Element): string {
  // The first ~80 characters of text, iteratively.
  let out = ''
  const stack: ChildNode[] = [...el.children].reverse()
  while (stack.length > 0 && out.length < 80) {
    const n = stack.pop() as ChildNode
    if (isText(n)) out += n.data
    else if (isTag(n)) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as ChildNode)
  }
  return out.replace(/\s+/g, ' ').trim()
}

const BOX_TAGS = new Set(['div', 'section', 'ul', 'ol', 'table', 'aside', 'dl', 'article', 'center'])

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
      const src = imageUrl(el, base)
      if (src === undefined) return false
      const alt = el.attribs.alt
      let out = `<img src="${escapeAttr(src)}"`
      if (alt !== undefined) out += ` alt="${escapeAttr(alt.replace(/\s+/g, ' ').trim())}"`
      for (const name of ['width', 'height']) {
        const v = el.attribs[name]
        if (v !== undefined && /^\d{1,5}$/.test(v)) out += ` ${name}="${v}"`
      }
      this.parts.push(`${out} />`)
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
