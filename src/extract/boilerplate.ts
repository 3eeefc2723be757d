/**
 * Boilerplate on an article page: junk-named boxes (share bars, related news, ads, comments), related-news heads,
 * date lines, hidden elements, and the text and link statistics that tell a link list from prose. pruneBoilerplate
 * drops the obvious boilerplate before Readability reads a page; clean.ts asks the same questions per element.
 */
import { type ChildNode, type Element, isTag, isText, type ParentNode, remove as removeElement } from './dom.js'

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

/** "Xem thêm", "Tin liên quan", …: a box or line that starts with one of these is a related-news list. */
export const RELATED_HEAD =
  /^\s*(?:xem thêm|xem tiếp|đọc thêm|tin liên quan|bài liên quan|bài viết liên quan|tin cùng chuyên mục|tin khác|các tin khác|tin mới|tin mới nhất|tin đọc nhiều|tin nổi bật|bài đọc nhiều|có thể bạn quan tâm|bạn có thể quan tâm|mời quý độc giả|tin bài liên quan|chủ đề)\b\s*[:>»-]?/iu

export const TEXT_BLOCKS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'span', 'time'])

/** "07/12/2026 11:00", "Cập nhật: 07/12/2026 08:30", "Thứ Hai, 07/12/2026 - 08:00": a date line, nothing else. */
export const DATE_LINE =
  /^(?:(?:cập nhật|ngày đăng|đăng lúc|đăng ngày|ngày|xuất bản|published|updated)\s*:?\s*)?(?:(?:thứ\s+\p{L}+|chủ nhật)\s*,?\s*)?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:\s*[-,|]?\s*\d{1,2}[:h]\d{2}(?::\d{2})?)?(?:\s*(?:\(?GMT\s*[+-]\s*\d{1,2}\)?|SA|CH|AM|PM))?$/iu

export interface Stats {
  text: number
  linkText: number
  links: number
}

export function isHidden(el: Element): boolean {
  if (el.attribs.hidden !== undefined) return true
  if (el.attribs['aria-hidden'] === 'true' && el.name !== 'img') return true
  const style = el.attribs.style
  return style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)
}

/** Text and link statistics of every element under `root`, bottom-up in one pass. */
export function statsOf(root: ParentNode): Map<Element, Stats> {
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

export function totalOf(root: ParentNode, stats: Map<Element, Stats>): Stats {
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

export function collapsedLength(value: string): number {
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

export function startText(el: Element): string {
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

export const BOX_TAGS = new Set(['div', 'section', 'ul', 'ol', 'table', 'aside', 'dl', 'article', 'center'])
