/**
 * The article body: one parse of the item's HTML into blocks (paragraphs, images, lists, tables), then the
 * Vietnamese-news rules over those blocks (captions and photo credits, related-link blocks, the source credit,
 * the byline, the repeated lead), then safe HTML rebuilt from the blocks and passed through the sanitizer once.
 */

import { detach } from '../internal/detach.js'
import type { ParsedMedia } from '../parse/types.js'
import type { ArticleCredit, ArticleImage, SourceRules } from '../types.js'
import { detectByline } from './byline.js'
import {
  compileCreditPattern,
  creditFromName,
  detectCreditLine,
  detectLeadingDateline,
  detectTrailingAgency,
} from './credit.js'
import {
  BLOCK_TAGS,
  escapeAttribute,
  escapeHtml,
  escapeText,
  type HtmlElement,
  type HtmlNode,
  parseHtml,
  sanitizeRebuiltHtml,
  textContent,
} from './html.js'
import {
  type CaptionParts,
  formatCaption,
  isIllustrationLabel,
  isPlaceholderAlt,
  isTrackerImage,
  pickImageUrl,
  resolveUrl,
  splitCleanCaption,
} from './media.js'
import { compileSelectors, type SelectorMatcher } from './selectors.js'
import { cleanText, foldsEqual, isTrimSpace } from './text.js'
import type { OutletEntry } from './types.js'

export interface BodyOptions {
  /** Base for relative links and images (the item's link). */
  baseUrl?: string
  rules?: SourceRules
  /** The item's title: a first paragraph repeating it is dropped; alts like "<title> - Ảnh 1" are placeholders. */
  title?: string
  /** The item's summary (description). */
  summary?: string
  /** Extra outlets for credit recognition, merged over the shipped registry. */
  outlets?: OutletEntry[]
  /** The item's media (media:content, enclosures): credits and captions for body images; the picture of an
   * imageless body. */
  media?: ParsedMedia[]
}

export interface BodyResult {
  /** Sanitized HTML: absolute URLs, images as `<figure><img><figcaption>`, no credit line, no byline. */
  contentHtml: string
  /** Plain-text paragraphs, one per block; captions, the credit line and the byline removed. */
  text: string[]
  images: ArticleImage[]
  /** The original publisher named in the body ("Theo Baothaibinh.com.vn"). `rules.credit` is not applied here:
   * the caller weighs it after other sources (RSS `<source>`). */
  credit?: ArticleCredit
  byline?: string
  /** The first paragraph. */
  lead?: string
}

// ---------------------------------------------------------------------------------------------------------------
// Blocks

const BOLD = 1
const ITALIC = 2
const UNDERLINE = 4
const SUB = 8
const SUP = 16
const STRIKE = 32

interface TextRun {
  kind: 'text'
  text: string
  flags: number
  href?: string
  title?: string
}
type Run = TextRun | { kind: 'br' }

type TextTag = 'p' | 'h2' | 'h3' | 'h4' | 'li'

interface TextBlock {
  kind: 'text'
  tag: TextTag
  runs: TextRun[]
  text: string
  group: number
  align?: 'center' | 'right'
  hint: boolean
  list?: { id: number; ordered: boolean }
  quote?: number
}

interface ImageBlock {
  kind: 'image'
  url?: string
  alt?: string
  width?: string
  height?: string
  caption?: string
  credit?: string
  /** Caption text from a figcaption/table, still to be split. */
  rawCaption?: string
  quote?: number
}

interface TableCell {
  tag: 'td' | 'th'
  colspan?: string
  rowspan?: string
  runs: Run[]
  text: string
}

interface TableBlock {
  kind: 'table'
  rows: TableCell[][]
  quote?: number
}

type Block = TextBlock | ImageBlock | TableBlock

interface Ctx {
  flags: number
  href?: string
  linkTitle?: string
  tag: TextTag
  align?: 'center' | 'right'
  hint: boolean
  list?: { id: number; ordered: boolean }
  quote?: number
}

const INLINE_FLAGS: Record<string, number> = {
  strong: BOLD,
  b: BOLD,
  em: ITALIC,
  i: ITALIC,
  cite: ITALIC,
  dfn: ITALIC,
  var: ITALIC,
  u: UNDERLINE,
  ins: UNDERLINE,
  sub: SUB,
  sup: SUP,
  s: STRIKE,
  strike: STRIKE,
  del: STRIKE,
}

const HEADING: Record<string, TextTag> = { h1: 'h2', h2: 'h2', h3: 'h3', h4: 'h4', h5: 'h4', h6: 'h4' }

const CAPTION_CLASSES = new Set([
  'photocms_caption',
  'caption',
  'image-caption',
  'image_caption',
  'imagecaption',
  'img-caption',
  'img_caption',
  'imgcaption',
  'photo-caption',
  'photo_caption',
  'expnoedit',
  'fig-caption',
  'figcaption',
  'figure-caption',
  'caption-image',
  'image_desc',
  'image-desc',
  'img-desc',
  'desc_image',
  'pcaption',
  'picture-caption',
  'tplcaption',
  'note-image',
  'image',
  'nbox-caption',
])

const JUNK_WORD =
  'ads?|adv|adverts?|advertisement|advertising|adsbygoogle|banners?|quang-?cao|qc|sponsor(?:ed)?|share|sharing|shares|social|socials|sociallinks?|related|relate|lienquan|tinlienquan|tin-?lien-?quan|tags?|taglist|keywords?|print|comments?|fb|likebox|zalo|outbrain|taboola|newsletter|subscribe|breadcrumbs?|toolbar|readmore|read-more|xemthem|xem-?them'
const JUNK_AFFIX =
  'box|block|wrap|wrapper|inner|widget|zone|area|section|list|links?|buttons?|btns?|bar|tools?|icons?|items?|container|content|holder|slot|unit|inread|inpage|article|detail|post|news|top|bottom|right|left|mid|mobile|pc|main|the|in|inline|plugin|like|follow|\\d+|[a-z]'
const JUNK_TOKEN = new RegExp(`^(?:(?:${JUNK_AFFIX})[-_]?)*(?:${JUNK_WORD})(?:[-_]?(?:${JUNK_AFFIX}))*$`, 'i')

/** Per-value answers of the attribute tests below: bodies repeat a handful of class and style values. */
const MEMO_LIMIT = 4096
const junkIds = new Map<string, boolean>()
const junkClasses = new Map<string, boolean>()
const captionClasses = new Map<string, boolean>()
const styleAligns = new Map<string, 'center' | 'right' | undefined>()
const styleFlagsOf = new Map<string, number>()

function memo<T>(cache: Map<string, T>, key: string, compute: (key: string) => T): T {
  const known = cache.get(key)
  if (known !== undefined || cache.has(key)) return known as T
  const value = compute(key)
  if (cache.size < MEMO_LIMIT) cache.set(detach(key), value)
  return value
}

function isJunkClass(cls: string): boolean {
  for (const token of cls.split(/\s+/)) if (token !== '' && JUNK_TOKEN.test(token)) return true
  return false
}

function isJunkId(id: string): boolean {
  return JUNK_TOKEN.test(id)
}

function isJunk(attrs: Record<string, string>): boolean {
  const id = attrs.id
  if (id !== undefined && memo(junkIds, id, isJunkId)) return true
  const cls = attrs.class
  if (cls === undefined) return false
  return memo(junkClasses, cls, isJunkClass)
}

function isCaptionClass(cls: string): boolean {
  for (const token of cls.toLowerCase().split(/\s+/)) if (CAPTION_CLASSES.has(token)) return true
  return false
}

function hasCaptionClass(attrs: Record<string, string>): boolean {
  const cls = attrs.class
  if (cls === undefined) return false
  return memo(captionClasses, cls, isCaptionClass)
}

function styleAlign(style: string): 'center' | 'right' | undefined {
  const v = /text-align\s*:\s*(center|right)/i.exec(style)?.[1]?.toLowerCase()
  return v === 'center' || v === 'right' ? v : undefined
}

function alignOf(attrs: Record<string, string>): 'center' | 'right' | undefined {
  const align = attrs.align
  if (align !== undefined) {
    const a = align.toLowerCase()
    if (a === 'center' || a === 'right') return a
  }
  return attrs.style === undefined ? undefined : memo(styleAligns, attrs.style, styleAlign)
}

function readStyleFlags(style: string): number {
  let flags = 0
  if (/font-weight\s*:\s*(?:bold|[6-9]00)/i.test(style)) flags |= BOLD
  if (/font-style\s*:\s*italic/i.test(style)) flags |= ITALIC
  return flags
}

function styleFlags(attrs: Record<string, string>): number {
  const style = attrs.style
  if (style === undefined) return 0
  return memo(styleFlagsOf, style, readStyleFlags)
}

function isSpaceCode(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x3000 ||
    (code >= 0x2000 && code <= 0x200a)
  )
}

/** `value.trim() === ''`, without making the trimmed string. */
function isBlank(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (!isTrimSpace(value.charCodeAt(i))) return false
  return true
}

/** Blank, and no NBSP in it (a text node of only NBSPs still opens a paragraph). */
function isBlankWithoutNbsp(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code === 0xa0 || !isTrimSpace(code)) return false
  }
  return true
}

/** Cleans one text node, keeping one space where it had whitespace at either end (words meet across tags). */
function cleanRunText(raw: string): string {
  if (raw.length === 0) return ''
  const lead = isSpaceCode(raw.charCodeAt(0))
  const trail = isSpaceCode(raw.charCodeAt(raw.length - 1))
  const body = cleanText(lead || trail ? raw.trim() : raw)
  if (body === '') return lead || trail ? ' ' : ''
  return (lead ? ' ' : '') + body + (trail ? ' ' : '')
}

/** Block text from runs that are already clean (no two spaces inside a run): only the joins need collapsing. */
function joinRuns(runs: readonly { text: string }[]): string {
  let text = ''
  for (const r of runs) {
    const t = r.text
    if (t.length === 0) continue
    if (text.length > 0 && t.charCodeAt(0) === 0x20 && text.charCodeAt(text.length - 1) === 0x20) text += t.slice(1)
    else text += t
  }
  return text.trim()
}

class BlockBuilder {
  readonly blocks: Block[] = []
  private runs: Run[] = []
  private runCtx: Ctx | undefined
  private pendingHint = false
  private group = 0
  private ids = 0

  constructor(
    private readonly baseUrl: string | undefined,
    private readonly captionMatcher: SelectorMatcher | undefined,
    private readonly title: string | undefined,
  ) {}

  private nextId(): number {
    this.ids++
    return this.ids
  }

  flush(): void {
    const ctx = this.runCtx
    const runs = this.runs
    this.runs = []
    this.runCtx = undefined
    const hint = this.pendingHint
    this.pendingHint = false
    if (ctx === undefined) return
    // Split at <br>: each line becomes a block of the same group (joined again with <br> in the HTML).
    let start = 0
    for (let i = 0; i < runs.length; i++) {
      if ((runs[i] as Run).kind !== 'br') continue
      this.pushLine(runs.slice(start, i) as TextRun[], ctx, hint)
      start = i + 1
    }
    this.pushLine((start === 0 ? runs : runs.slice(start)) as TextRun[], ctx, hint)
  }

  private pushLine(line: TextRun[], ctx: Ctx, hint: boolean): void {
    const text = joinRuns(line)
    if (text === '') return
    const block: TextBlock = {
      kind: 'text',
      tag: ctx.tag,
      runs: trimRuns(line),
      text,
      group: this.group,
      hint: ctx.hint || hint,
    }
    if (ctx.align !== undefined) block.align = ctx.align
    if (ctx.list !== undefined) block.list = ctx.list
    if (ctx.quote !== undefined) block.quote = ctx.quote
    this.blocks.push(block)
  }

  private newGroup(): void {
    this.group = this.nextId()
  }

  private addText(data: string, ctx: Ctx): void {
    if (this.runCtx === undefined) {
      if (isBlankWithoutNbsp(data)) return
      this.runCtx = ctx
    }
    const text = cleanRunText(data)
    if (text === '') return
    const last = this.runs[this.runs.length - 1]
    if (
      last !== undefined &&
      last.kind === 'text' &&
      last.flags === ctx.flags &&
      last.href === ctx.href &&
      last.title === ctx.linkTitle
    ) {
      // Run texts are clean (no two spaces in a row, one space at most at either end): only the join can make two.
      const previous = last.text
      last.text =
        previous.charCodeAt(previous.length - 1) === 0x20 && text.charCodeAt(0) === 0x20
          ? previous + text.slice(1)
          : previous + text
      return
    }
    this.runs.push({
      kind: 'text',
      text,
      flags: ctx.flags,
      ...(ctx.href === undefined ? {} : { href: ctx.href }),
      ...(ctx.linkTitle === undefined ? {} : { title: ctx.linkTitle }),
    })
  }

  private addBr(): void {
    if (this.runCtx === undefined || this.runs.length === 0) {
      // A <br> with nothing before it since the last line: a paragraph break.
      this.newGroup()
      return
    }
    const last = this.runs[this.runs.length - 1]
    if (last?.kind === 'br') {
      this.flush()
      this.newGroup()
      return
    }
    this.runs.push({ kind: 'br' })
  }

  private block(el: HtmlElement, ctx: Ctx, patch: Partial<Ctx>): void {
    this.flush()
    this.newGroup()
    this.children(el, { ...ctx, ...patch })
    this.flush()
    this.newGroup()
  }

  private children(el: HtmlElement, ctx: Ctx): void {
    for (const child of el.children) {
      if (child.type === 'text') this.addText(child.data, ctx)
      else this.element(child, ctx)
    }
  }

  walk(root: HtmlElement): void {
    this.children(root, { flags: 0, tag: 'p', hint: false })
    this.flush()
  }

  private element(el: HtmlElement, parentCtx: Ctx): void {
    const name = el.name
    let ctx = parentCtx
    if (hasCaptionClass(el.attrs) || (this.captionMatcher?.(name, el.attrs) ?? false)) {
      ctx = { ...ctx, hint: true }
      if (!BLOCK_TAGS.has(name)) this.pendingHint = true
    }
    const align = alignOf(el.attrs)
    const extraFlags = styleFlags(el.attrs)
    if (extraFlags !== 0) ctx = { ...ctx, flags: ctx.flags | extraFlags }

    switch (name) {
      case 'br':
        this.addBr()
        return
      case 'hr':
      case 'wbr':
        if (name === 'hr') {
          this.flush()
          this.newGroup()
        }
        return
      case 'img':
      case 'amp-img':
        this.image(el.attrs, ctx)
        return
      case 'picture':
        this.picture(el, ctx)
        return
      case 'noscript':
        this.noscript(el)
        return
      case 'figure':
        this.figure(el, ctx)
        return
      case 'table':
        this.table(el, ctx)
        return
      case 'ul':
      case 'ol':
        this.block(el, ctx, { list: { id: this.nextId(), ordered: name === 'ol' }, tag: 'li' })
        return
      case 'li':
        this.block(el, ctx, {
          tag: 'li',
          ...(ctx.list === undefined ? { list: { id: this.nextId(), ordered: false } } : {}),
        })
        return
      case 'blockquote':
        this.block(el, ctx, { quote: ctx.quote ?? this.nextId(), tag: 'p' })
        return
      case 'a': {
        const href =
          el.attrs.href === undefined ? undefined : resolveUrl(el.attrs.href, this.baseUrl, ['http', 'https', 'mailto'])
        const title = el.attrs.title === undefined ? undefined : cleanText(el.attrs.title)
        const linkCtx: Ctx = { ...ctx }
        delete linkCtx.href
        delete linkCtx.linkTitle
        if (href !== undefined) {
          linkCtx.href = href
          if (title !== undefined && title !== '') linkCtx.linkTitle = title
        }
        this.children(el, linkCtx)
        return
      }
    }
    const heading = HEADING[name]
    if (heading !== undefined) {
      this.block(el, ctx, { tag: ctx.tag === 'li' ? 'li' : heading, ...(align === undefined ? {} : { align }) })
      return
    }
    const flag = INLINE_FLAGS[name]
    if (flag !== undefined) {
      this.children(el, { ...ctx, flags: ctx.flags | flag })
      return
    }
    if (BLOCK_TAGS.has(name)) {
      const tag: TextTag = ctx.tag === 'li' ? 'li' : 'p'
      const patch: Partial<Ctx> = { tag }
      if (align !== undefined) patch.align = align
      else if (name === 'center') patch.align = 'center'
      this.block(el, ctx, patch)
      return
    }
    // Unknown and presentational inline elements (span, font, o:p, …): transparent.
    this.children(el, ctx)
  }

  private image(attrs: Record<string, string>, ctx: Ctx, fallbackSrcset?: string): void {
    let url = pickImageUrl(attrs, this.baseUrl)
    if (url === undefined && fallbackSrcset !== undefined) url = pickImageUrl({ srcset: fallbackSrcset }, this.baseUrl)
    if (isTrackerImage(attrs, url)) return
    this.flush()
    const alt = attrs.alt === undefined ? '' : cleanText(attrs.alt)
    const block: ImageBlock = { kind: 'image' }
    if (url !== undefined) block.url = url
    if (alt !== '' && !isPlaceholderAlt(alt, this.title)) block.alt = alt
    if (attrs.width !== undefined && /^\d{1,5}$/.test(attrs.width.trim())) block.width = attrs.width.trim()
    if (attrs.height !== undefined && /^\d{1,5}$/.test(attrs.height.trim())) block.height = attrs.height.trim()
    if (ctx.quote !== undefined) block.quote = ctx.quote
    this.blocks.push(block)
  }

  private picture(el: HtmlElement, ctx: Ctx): void {
    let srcset: string | undefined
    let img: HtmlElement | undefined
    for (const child of el.children) {
      if (child.type !== 'element') continue
      if (child.name === 'source' && srcset === undefined) srcset = child.attrs.srcset ?? child.attrs['data-srcset']
      if (child.name === 'img' && img === undefined) img = child
    }
    if (img !== undefined) this.image(img.attrs, ctx, srcset)
    else if (srcset !== undefined) this.image({ srcset }, ctx)
  }

  /** Lazy-loading fallbacks: a `<noscript><img>` gives its URL to the image just before it when that had none. */
  private noscript(el: HtmlElement): void {
    const last = this.blocks[this.blocks.length - 1]
    if (this.runs.length > 0 || last === undefined || last.kind !== 'image' || last.url !== undefined) return
    const img = findFirst(el, 'img')
    const url = img === undefined ? undefined : pickImageUrl(img.attrs, this.baseUrl)
    if (url !== undefined) last.url = url
  }

  private figure(el: HtmlElement, ctx: Ctx): void {
    this.flush()
    this.newGroup()
    const start = this.blocks.length
    let caption: HtmlElement | undefined
    const figureCtx: Ctx = { ...ctx, tag: 'p' }
    for (const child of el.children) {
      if (child.type === 'element' && child.name === 'figcaption' && caption === undefined) {
        caption = child
        continue
      }
      if (child.type === 'text') this.addText(child.data, figureCtx)
      else this.element(child, figureCtx)
    }
    this.flush()
    this.newGroup()
    if (caption === undefined) return
    let lastImage: ImageBlock | undefined
    for (let i = this.blocks.length - 1; i >= start; i--) {
      const b = this.blocks[i]
      if (b?.kind === 'image') {
        lastImage = b
        break
      }
    }
    const text = cleanText(textContent(caption).replace(/\n/g, ' '))
    if (lastImage !== undefined) {
      if (text !== '') lastImage.rawCaption = text
      return
    }
    this.block(caption, ctx, { hint: true, tag: 'p' })
  }

  private table(el: HtmlElement, ctx: Ctx): void {
    const rows = tableRows(el)
    const images = countImages(el)
    if (images > 0 && isImageTable(el, rows)) {
      // Image layout (table.image / tplCaption): images, and every text in it is a caption.
      this.block(el, ctx, { hint: true, tag: 'p' })
      return
    }
    if (isDataTable(el, rows)) {
      this.flush()
      const out: TableCell[][] = []
      const after: Block[] = []
      for (const row of rows) {
        const cells: TableCell[] = []
        for (const cell of row) {
          const sub = new BlockBuilder(this.baseUrl, this.captionMatcher, this.title)
          sub.walk(cell)
          const runs: Run[] = []
          for (const b of sub.blocks) {
            if (b.kind === 'text') {
              if (runs.length > 0) runs.push({ kind: 'br' })
              runs.push(...b.runs)
            } else after.push(b)
          }
          cells.push({
            tag: cell.name === 'th' ? 'th' : 'td',
            runs,
            text: cleanText(runs.map((r) => (r.kind === 'br' ? ' ' : r.text)).join('')),
            ...(cell.attrs.colspan !== undefined && /^\d{1,3}$/.test(cell.attrs.colspan)
              ? { colspan: cell.attrs.colspan }
              : {}),
            ...(cell.attrs.rowspan !== undefined && /^\d{1,3}$/.test(cell.attrs.rowspan)
              ? { rowspan: cell.attrs.rowspan }
              : {}),
          })
        }
        if (cells.length > 0) out.push(cells)
      }
      if (out.some((r) => r.some((c) => c.text !== ''))) {
        this.blocks.push({ kind: 'table', rows: out, ...(ctx.quote === undefined ? {} : { quote: ctx.quote }) })
      }
      this.blocks.push(...after)
      this.newGroup()
      return
    }
    // Layout table: its cells are just containers.
    this.block(el, ctx, { tag: ctx.tag === 'li' ? 'li' : 'p' })
  }
}

/** The runs without blank ones at either end, the first and last trimmed (copies: runs are not shared). */
function trimRuns(runs: TextRun[]): TextRun[] {
  let start = 0
  let end = runs.length
  while (start < end && isBlank((runs[start] as TextRun).text)) start++
  while (end > start && isBlank((runs[end - 1] as TextRun).text)) end--
  const out = runs.slice(start, end)
  const first = out[0]
  if (first !== undefined && first.text !== first.text.trimStart()) out[0] = { ...first, text: first.text.trimStart() }
  const last = out[out.length - 1]
  if (last !== undefined && last.text !== last.text.trimEnd())
    out[out.length - 1] = { ...last, text: last.text.trimEnd() }
  return out
}

function findFirst(el: HtmlElement, name: string): HtmlElement | undefined {
  for (const child of el.children) {
    if (child.type !== 'element') continue
    if (child.name === name) return child
    const found = findFirst(child, name)
    if (found !== undefined) return found
  }
  return undefined
}

function countImages(el: HtmlElement): number {
  let n = 0
  for (const child of el.children) {
    if (child.type !== 'element') continue
    if (child.name === 'img' || child.name === 'amp-img') n++
    else n += countImages(child)
  }
  return n
}

function hasNested(el: HtmlElement, names: ReadonlySet<string>): boolean {
  for (const child of el.children) {
    if (child.type !== 'element') continue
    if (names.has(child.name) || hasNested(child, names)) return true
  }
  return false
}

/** The rows of a table (through thead/tbody/tfoot), each a list of td/th cells; nested tables are not entered. */
function tableRows(table: HtmlElement): HtmlElement[][] {
  const rows: HtmlElement[][] = []
  const visit = (el: HtmlElement): void => {
    for (const child of el.children) {
      if (child.type !== 'element') continue
      if (child.name === 'tr') {
        rows.push(
          child.children.filter((c): c is HtmlElement => c.type === 'element' && (c.name === 'td' || c.name === 'th')),
        )
      } else if (child.name === 'thead' || child.name === 'tbody' || child.name === 'tfoot') visit(child)
    }
  }
  visit(table)
  return rows
}

const IMAGE_TABLE_CLASS = /image|tplcaption|picture|photo|caption|figure|hinh|anh/i

function isImageTable(table: HtmlElement, rows: HtmlElement[][]): boolean {
  if (IMAGE_TABLE_CLASS.test(table.attrs.class ?? '')) return true
  if (rows.length > 4) return false
  return cleanText(textContent(table)).length <= 400
}

const NESTED_LAYOUT = new Set(['table', 'p', 'div', 'ul', 'ol', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'figure'])

function isDataTable(table: HtmlElement, rows: HtmlElement[][]): boolean {
  if (rows.length < 2) return false
  if (!rows.some((r) => r.length >= 2)) return false
  // Cells holding whole paragraphs, lists or other tables mean the table lays out an article, not data.
  let blocky = 0
  for (const row of rows) for (const cell of row) if (hasNested(cell, NESTED_LAYOUT)) blocky++
  const cells = rows.reduce((n, r) => n + r.length, 0)
  if (hasNested(table, new Set(['table']))) return false
  return blocky <= cells / 2
}

// ---------------------------------------------------------------------------------------------------------------
// Rules over blocks

const RELATED_HEAD =
  /^[\s>»\-–•*|]*(?:xem thêm|tin liên quan|bài liên quan|tin bài liên quan|bài viết liên quan|tin cùng chuyên mục|bài cùng chuyên mục|cùng chuyên mục|tin khác|các tin khác|các tin bài khác|đọc thêm|có thể bạn quan tâm|mời (?:bạn đọc |quý độc giả )?xem thêm|tin mới nhất|tin đọc nhiều|tin nổi bật|bài cùng chủ đề|tin cùng chủ đề|xem tiếp)(?=$|[\s:>».…])\s*(.*)$/iu
const TAGS_LINE = /^(?:từ khóa|từ khoá|tags?|keywords?|thẻ|chủ đề liên quan)\s*:/iu
const SHARE_LINE =
  /^(?:chia sẻ(?: bài viết| facebook| zalo| qua facebook| qua zalo)?|share(?: on (?:facebook|twitter|zalo))?|in bài(?: viết)?|gửi bài(?: viết)?|lưu bài(?: viết)?|quay lại|trở về|về đầu trang|lên đầu trang|bình luận(?: \(\d+\))?|facebook|zalo|twitter|print|email|tweet|like)(?:\s*[|•]\s*(?:facebook|zalo|twitter|email|in|print))*$/iu

function isLinkOnly(block: TextBlock): boolean {
  const linked = block.runs.filter((r) => r.href !== undefined && r.text.trim() !== '')
  if (linked.length === 0) return false
  const rest = block.runs
    .filter((r) => r.href === undefined)
    .map((r) => r.text)
    .join('')
  return /^[\s>»\-–•*|:.,]*$/u.test(rest)
}

function removeJunk(blocks: Block[]): Block[] {
  const out: Block[] = []
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]
    if (b === undefined) continue
    if (b.kind !== 'text') {
      out.push(b)
      continue
    }
    if (TAGS_LINE.test(b.text) || (b.text.length <= 60 && SHARE_LINE.test(b.text))) continue
    const related = RELATED_HEAD.exec(b.text)
    if (related !== null) {
      const rest = related[1] ?? ''
      const isHeader = /^[\s:>»]*$/.test(rest)
      if (isHeader || /^[:>»]/.test(rest) || isLinkOnly(b)) {
        if (isHeader) {
          // Drop the link list or link-only lines that follow the header.
          while (i + 1 < blocks.length) {
            const next = blocks[i + 1]
            if (next?.kind !== 'text' || !(isLinkOnly(next) || (next.list !== undefined && next.text.length <= 200)))
              break
            i++
          }
        }
        continue
      }
    }
    if (/^\s*(?:>>|»|>)/.test(b.text) && isLinkOnly(b)) continue
    out.push(b)
  }
  return out
}

function allFlag(block: TextBlock, flag: number): boolean {
  let any = false
  for (const r of block.runs) {
    if (r.text.trim() === '') continue
    if ((r.flags & flag) === 0) return false
    any = true
  }
  return any
}

/** Same text once folded (case, tone marks, punctuation). Texts of very different length are not compared. */
function same(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || a === '' || b === '') return false
  if (a === b) return true
  if (Math.abs(a.length - b.length) > Math.max(a.length, b.length) / 4 + 8) return false
  return foldsEqual(a, b)
}

let lastCaptionText: string | undefined
let lastCaptionParts: CaptionParts = {}

/** splitCleanCaption, remembering the last answer: attachCaptions asks about the same paragraph two or three times
 * (is it a caption, then its parts). The parts are only read here. */
function captionParts(text: string): CaptionParts {
  if (text !== lastCaptionText) {
    lastCaptionParts = splitCleanCaption(text)
    lastCaptionText = text
  }
  return lastCaptionParts
}

/** Is this paragraph, right after an image, its caption? */
function isCaptionAfterImage(block: TextBlock, image: ImageBlock): boolean {
  const len = block.text.length
  if (len > 600) return false
  if (block.hint) return true
  if (same(block.text, image.alt)) return true
  if (isIllustrationLabel(block.text)) return true
  if (captionParts(block.text).credit !== undefined && len <= 500) return true
  if (allFlag(block, ITALIC) && len <= 400) return true
  return block.align === 'center' && len <= 300 && block.tag === 'p'
}

/** A caption line standing alone (text-only sources): "… chủ trì cuộc họp. Ảnh: Thu Thủy". */
function isOrphanCaption(block: TextBlock): boolean {
  if (block.text.length > 500 || block.list !== undefined) return false
  const parts = captionParts(block.text)
  return parts.credit !== undefined && parts.caption !== undefined && parts.caption.length >= 8
}

/** Sets the image's caption and photo credit from a caption line ("… cuộc họp. Ảnh: Thu Thủy"). */
function applyCaption(image: ImageBlock, text: string): void {
  const parts = captionParts(text)
  if (parts.caption !== undefined) image.caption = parts.caption
  if (parts.credit !== undefined) image.credit = parts.credit
}

/** The paragraph repeats the image's caption or alt (alt echo, duplicated caption): take its credit, drop it. */
function isEcho(block: TextBlock, image: ImageBlock): boolean {
  if (block.text.length > 600) return false
  const parts = captionParts(block.text)
  const caption = parts.caption ?? ''
  return same(caption, image.caption) || same(caption, image.alt) || same(block.text, image.caption)
}

/** `from` when that block is a text block still in place, else -1. */
function nextText(blocks: Block[], removed: Set<number>, from: number): number {
  const b = blocks[from]
  return b?.kind === 'text' && !removed.has(from) ? from : -1
}

function attachCaptions(blocks: Block[]): Block[] {
  const removed = new Set<number>()
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]
    if (b === undefined || removed.has(i)) continue
    if (b.kind === 'image') {
      if (b.rawCaption !== undefined) applyCaption(b, b.rawCaption)
      let j = i + 1
      const cand = nextText(blocks, removed, j)
      const candBlock = cand >= 0 ? (blocks[cand] as TextBlock) : undefined
      if (b.rawCaption === undefined && candBlock !== undefined && isCaptionAfterImage(candBlock, b)) {
        applyCaption(b, candBlock.text)
        removed.add(cand)
        j = cand + 1
      }
      const echo = nextText(blocks, removed, j)
      const echoBlock = echo >= 0 ? (blocks[echo] as TextBlock) : undefined
      if (echoBlock !== undefined && isEcho(echoBlock, b)) {
        const parts = captionParts(echoBlock.text)
        if (b.caption === undefined && parts.caption !== undefined) b.caption = parts.caption
        if (b.credit === undefined && parts.credit !== undefined) b.credit = parts.credit
        removed.add(echo)
      }
      continue
    }
    if (b.kind === 'text' && (isOrphanCaption(b) || (b.hint && b.text.length <= 400))) {
      // A caption whose image is gone (text-only feeds, stripped images): keep it as an image with no URL.
      const image: ImageBlock = { kind: 'image' }
      applyCaption(image, b.text)
      blocks[i] = image
      const prev = i - 1
      const prevBlock = blocks[prev]
      const nextBlock = blocks[i + 1]
      if (nextBlock?.kind === 'text' && !removed.has(i + 1) && isEcho(nextBlock, image)) removed.add(i + 1)
      else if (prevBlock?.kind === 'text' && !removed.has(prev) && isEcho(prevBlock, image)) removed.add(prev)
    }
  }
  return blocks.filter((_, i) => !removed.has(i))
}

function isFormatted(block: TextBlock): boolean {
  return block.align === 'right' || allFlag(block, BOLD) || allFlag(block, ITALIC)
}

/** Removes the first `n` characters of text from the runs (a leading dateline). */
function dropLeading(block: TextBlock, n: number): void {
  let left = n
  while (left > 0 && block.runs.length > 0) {
    const first = block.runs[0]
    if (first === undefined) break
    if (first.text.length <= left) {
      left -= first.text.length
      block.runs.shift()
    } else {
      first.text = first.text.slice(left)
      left = 0
    }
  }
  const first = block.runs[0]
  if (first !== undefined) first.text = first.text.trimStart()
  block.text = joinRuns(block.runs)
}

/** Keeps the first `n` characters of text in the runs (a trailing agency credit cut off). */
function keepLeading(block: TextBlock, n: number): void {
  let left = n
  const out: TextRun[] = []
  for (const run of block.runs) {
    if (left <= 0) break
    if (run.text.length <= left) out.push(run)
    else out.push({ ...run, text: run.text.slice(0, left) })
    left -= run.text.length
  }
  const last = out[out.length - 1]
  if (last !== undefined) last.text = last.text.trimEnd()
  block.runs = out
  block.text = joinRuns(out)
}

function runText(block: TextBlock): string {
  return block.runs.map((r) => r.text).join('')
}

/** The first link a block carries (`Nguồn: <a href>`). */
function hrefOf(b: TextBlock): string | undefined {
  for (const r of b.runs) if (r.href !== undefined) return r.href
  return undefined
}

interface Extracted {
  credit?: ArticleCredit
  byline?: string
}

function extractCreditAndByline(blocks: Block[], options: BodyOptions): Extracted {
  const result: Extracted = {}
  const pattern = compileCreditPattern(options.rules?.creditPattern)
  const ctx = {
    ...(options.outlets === undefined ? {} : { outlets: options.outlets }),
    ...(pattern === undefined ? {} : { pattern }),
  }
  // From the end: the credit line and the byline, in either order, skipping images.
  let checked = 0
  for (let i = blocks.length - 1; i >= 0 && checked < 4; i--) {
    const b = blocks[i]
    if (b === undefined || b.kind === 'image') continue
    if (b.kind !== 'text') break
    checked++
    if (result.credit === undefined) {
      const href = hrefOf(b)
      const credit = detectCreditLine(b.text, { ...ctx, ...(href === undefined ? {} : { href }) })
      if (credit !== undefined) {
        result.credit = credit
        blocks.splice(i, 1)
        continue
      }
    }
    if (result.byline === undefined && blocks.some((x, k) => k !== i && x.kind === 'text')) {
      const byline = detectByline(b.text, { formatted: isFormatted(b) })
      if (byline !== undefined) {
        result.byline = byline.byline
        if (result.credit === undefined && byline.agency !== undefined) {
          result.credit = creditFromName(byline.agency, byline.agency, options.outlets)
        }
        blocks.splice(i, 1)
        continue
      }
    }
    if (result.credit === undefined) {
      const raw = runText(b)
      const tail = detectTrailingAgency(raw, ctx)
      if (tail !== undefined) {
        result.credit = tail.credit
        keepLeading(b, tail.index)
        if (b.text === '') blocks.splice(i, 1)
      }
    }
    break
  }
  // At the start: a credit line, or a "(Baoquangninh.vn) –" dateline.
  const firstIndex = blocks.findIndex((b) => b.kind === 'text')
  const first = blocks[firstIndex]
  if (first?.kind === 'text') {
    if (result.credit === undefined) {
      const href = hrefOf(first)
      const credit = detectCreditLine(first.text, { ...ctx, ...(href === undefined ? {} : { href }) })
      if (credit !== undefined && blocks.length > 1) {
        result.credit = credit
        blocks.splice(firstIndex, 1)
        return result
      }
    }
    const dateline = detectLeadingDateline(runText(first), ctx)
    if (dateline !== undefined) {
      if (result.credit === undefined) result.credit = dateline.credit
      if (dateline.strip > 0) {
        dropLeading(first, dateline.strip)
        if (first.text === '') blocks.splice(firstIndex, 1)
      }
    }
  }
  return result
}

function dropRepeats(blocks: Block[], title: string | undefined): Block[] {
  const out = [...blocks]
  const firstIndex = out.findIndex((b) => b.kind === 'text')
  const first = out[firstIndex]
  if (first?.kind === 'text' && title !== undefined && same(first.text, title)) out.splice(firstIndex, 1)
  // The lead repeated (summary pasted in front of a body that starts with it): keep it once.
  const texts = out.map((b, i) => [b, i] as const).filter(([b]) => b.kind === 'text')
  const a = texts[0]
  const b = texts[1]
  if (a !== undefined && b !== undefined && same((a[0] as TextBlock).text, (b[0] as TextBlock).text))
    out.splice(b[1], 1)
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Output

const TAG_ORDER: [number, string][] = [
  [BOLD, 'strong'],
  [ITALIC, 'em'],
  [UNDERLINE, 'u'],
  [STRIKE, 's'],
  [SUB, 'sub'],
  [SUP, 'sup'],
]

function runsToHtml(runs: Run[]): string {
  // Most paragraphs are one plain run: no tags to open or close.
  const only = runs.length === 1 ? runs[0] : undefined
  if (only !== undefined && only.kind === 'text' && only.flags === 0 && only.href === undefined)
    return escapeText(only.text)
  let out = ''
  let open: string[] = []
  let openKeys: string[] = []
  for (const run of runs) {
    if (run.kind === 'br') {
      out += '<br />'
      continue
    }
    const want: string[] = []
    const wantKeys: string[] = []
    if (run.href !== undefined) {
      want.push(
        `<a href="${escapeAttribute(run.href)}"${run.title === undefined ? '' : ` title="${escapeAttribute(run.title)}"`}>`,
      )
      wantKeys.push(`a ${run.href} ${run.title ?? ''}`)
    }
    for (const [flag, tag] of TAG_ORDER) {
      if ((run.flags & flag) !== 0) {
        want.push(`<${tag}>`)
        wantKeys.push(tag)
      }
    }
    let common = 0
    while (common < openKeys.length && common < wantKeys.length && openKeys[common] === wantKeys[common]) common++
    for (let k = open.length - 1; k >= common; k--) out += closeTag(openKeys[k] ?? '')
    for (let k = common; k < want.length; k++) out += want[k]
    open = want
    openKeys = wantKeys
    out += escapeText(run.text)
  }
  for (let k = openKeys.length - 1; k >= 0; k--) out += closeTag(openKeys[k] ?? '')
  return out
}

function closeTag(key: string): string {
  return key.startsWith('a ') ? '</a>' : `</${key}>`
}

function imageHtml(image: ImageBlock): string {
  const caption = formatCaption(image.caption, image.credit)
  let out = '<figure>'
  if (image.url !== undefined) {
    const alt = image.alt ?? image.caption ?? ''
    out += `<img src="${escapeAttribute(image.url)}" alt="${escapeAttribute(alt)}"`
    if (image.width !== undefined) out += ` width="${image.width}"`
    if (image.height !== undefined) out += ` height="${image.height}"`
    out += ' />'
  }
  if (caption !== '') out += `<figcaption>${escapeText(caption)}</figcaption>`
  return `${out}</figure>`
}

function tableHtml(table: TableBlock): string {
  let out = '<table><tbody>'
  for (const row of table.rows) {
    out += '<tr>'
    for (const cell of row) {
      out += `<${cell.tag}${cell.colspan === undefined ? '' : ` colspan="${cell.colspan}"`}${cell.rowspan === undefined ? '' : ` rowspan="${cell.rowspan}"`}>`
      out += runsToHtml(cell.runs)
      out += `</${cell.tag}>`
    }
    out += '</tr>'
  }
  return `${out}</tbody></table>`
}

/** blocksToHtml's state (module-level functions rather than closures: one allocation per body, not five). The
 * HTML is collected in parts and joined once: one flat string, not a deep chain of concatenations that the gate
 * would have to flatten. */
interface HtmlWriter {
  parts: string[]
  list: { id: number; ordered: boolean } | undefined
  para: { group: number; tag: TextTag } | undefined
}

function closePara(w: HtmlWriter): void {
  if (w.para !== undefined) w.parts.push(`</${w.para.tag}>`)
  w.para = undefined
}

function closeList(w: HtmlWriter): void {
  closePara(w)
  if (w.list !== undefined) w.parts.push(w.list.ordered ? '</ol>' : '</ul>')
  w.list = undefined
}

function blocksToHtml(blocks: Block[]): string {
  const w: HtmlWriter = { parts: [], list: undefined, para: undefined }
  const parts = w.parts
  let quote: number | undefined
  for (const b of blocks) {
    const bq = b.quote
    if (bq !== quote) {
      closeList(w)
      if (quote !== undefined) parts.push('</blockquote>')
      if (bq !== undefined) parts.push('<blockquote>')
      quote = bq
    }
    if (b.kind !== 'text') {
      closeList(w)
      parts.push(b.kind === 'image' ? imageHtml(b) : tableHtml(b))
      continue
    }
    if (b.tag === 'li') {
      const l = b.list ?? { id: -1, ordered: false }
      if (w.list === undefined || w.list.id !== l.id) {
        closeList(w)
        parts.push(l.ordered ? '<ol>' : '<ul>')
        w.list = l
      }
      closePara(w)
      parts.push('<li>', runsToHtml(b.runs), '</li>')
      continue
    }
    if (w.list !== undefined) closeList(w)
    const para = w.para
    if (para !== undefined && para.group === b.group && para.tag === b.tag && b.tag === 'p') {
      parts.push('<br />', runsToHtml(b.runs))
      continue
    }
    closePara(w)
    parts.push(`<${b.tag}>`, runsToHtml(b.runs))
    w.para = { group: b.group, tag: b.tag }
  }
  closeList(w)
  if (quote !== undefined) parts.push('</blockquote>')
  return parts.join('')
}

function blocksToText(blocks: Block[]): string[] {
  const text: string[] = []
  for (const b of blocks) {
    if (b.kind === 'text') text.push(b.text)
    else if (b.kind === 'table') {
      for (const row of b.rows) {
        const line = row
          .map((c) => c.text)
          .filter((t) => t !== '')
          .join(' | ')
        if (line !== '') text.push(line)
      }
    }
  }
  return text
}

const IMAGE_EXT = /\.(?:jpe?g|png|gif|webp|avif|bmp)(?:$|[?#])/i

function imagesOf(blocks: Block[], options: BodyOptions): ArticleImage[] {
  const media = options.media ?? []
  const images: ArticleImage[] = []
  for (const b of blocks) {
    if (b.kind !== 'image') continue
    const m = b.url === undefined ? undefined : media.find((x) => x.url === b.url)
    const credit = b.credit ?? (m?.credit === undefined ? undefined : cleanText(m.credit))
    const mediaCaption = m?.title === undefined ? undefined : cleanText(m.title)
    const caption =
      b.caption ??
      (mediaCaption !== undefined && !isPlaceholderAlt(mediaCaption, options.title) ? mediaCaption : undefined)
    images.push({
      ...(b.url === undefined ? {} : { url: b.url }),
      ...(b.alt === undefined ? {} : { alt: b.alt }),
      ...(caption === undefined || caption === '' ? {} : { caption }),
      ...(credit === undefined || credit === '' ? {} : { credit }),
    })
  }
  if (!images.some((i) => i.url !== undefined)) {
    // An imageless body: the feed's own pictures are the article's.
    for (const m of media) {
      const isImage = m.type === undefined ? IMAGE_EXT.test(m.url) : m.type.startsWith('image/')
      if (!isImage || images.some((i) => i.url === m.url)) continue
      const url = resolveUrl(m.url, options.baseUrl, ['http', 'https'])
      if (url === undefined) continue
      const caption = m.title === undefined ? '' : cleanText(m.title)
      const credit = m.credit === undefined ? '' : cleanText(m.credit)
      images.push({
        url,
        ...(caption === '' || isPlaceholderAlt(caption, options.title) ? {} : { caption }),
        ...(credit === '' ? {} : { credit }),
      })
    }
  }
  return images
}

/** True when the input has no markup at all (a text-only description). */
function isPlainText(input: string): boolean {
  return !/<[a-zA-Z!/?]/.test(input)
}

function plainTextToHtml(input: string): string {
  return input
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('')
}

// ---------------------------------------------------------------------------------------------------------------

interface CompiledRules {
  remove?: SelectorMatcher
  captionMatcher?: SelectorMatcher
}

const compiled = new WeakMap<SourceRules, CompiledRules>()

/** Selectors of a source's rules, compiled once per rules object (every item of a feed shares it). */
function compiledRules(rules: SourceRules | undefined): CompiledRules {
  if (rules === undefined) return {}
  let c = compiled.get(rules)
  if (c === undefined) {
    const remove = compileSelectors(rules.remove ?? [])
    const captionMatcher = rules.captionSelector === undefined ? undefined : compileSelectors([rules.captionSelector])
    c = { ...(remove === undefined ? {} : { remove }), ...(captionMatcher === undefined ? {} : { captionMatcher }) }
    compiled.set(rules, c)
  }
  return c
}

function dropJunk(_name: string, attrs: Record<string, string>): boolean {
  return isJunk(attrs)
}

const dropWithCache = new WeakMap<SelectorMatcher, (name: string, attrs: Record<string, string>) => boolean>()

/** isJunk, or the source's `remove` selectors (one function per compiled rules object). */
function dropWith(remove: SelectorMatcher): (name: string, attrs: Record<string, string>) => boolean {
  let drop = dropWithCache.get(remove)
  if (drop === undefined) {
    drop = (name, attrs) => isJunk(attrs) || remove(name, attrs)
    dropWithCache.set(remove, drop)
  }
  return drop
}

/** An image block with nothing to show (no URL, caption or credit) is dropped. */
function isKept(b: Block): boolean {
  return b.kind !== 'image' || b.url !== undefined || b.caption !== undefined || b.credit !== undefined
}

/** Turns an item's body HTML (or plain text) into safe HTML, text paragraphs, images, credit, byline and lead. */
export function processBody(html: string, options: BodyOptions = {}): BodyResult {
  const body = processBodyUngated(html, options)
  body.contentHtml = sanitizeRebuiltHtml(body.contentHtml)
  return body
}

/**
 * processBody without the final gate: `contentHtml` is the rebuilt HTML, which the caller must pass through
 * `sanitizeRebuiltHtmlAll` (normalizeFeed gates all the bodies of a feed in one go). Not exported from normalize/.
 */
export function processBodyUngated(html: string, options: BodyOptions = {}): BodyResult {
  const rules = options.rules
  const { remove, captionMatcher } = compiledRules(rules)
  const input = isPlainText(html) ? plainTextToHtml(html) : html
  const root = parseHtml(input, { drop: remove === undefined ? dropJunk : dropWith(remove) })
  const builder = new BlockBuilder(options.baseUrl, captionMatcher, options.title)
  builder.walk(root)
  let blocks = removeJunk(builder.blocks)
  blocks = attachCaptions(blocks)
  blocks = blocks.filter(isKept)
  const extracted = extractCreditAndByline(blocks, options)
  blocks = dropRepeats(blocks, options.title)
  const text = blocksToText(blocks)
  const contentHtml = blocksToHtml(blocks)
  const images = imagesOf(blocks, options)
  const credit = extracted.credit
  const lead = text[0]
  return {
    contentHtml,
    text,
    images,
    ...(credit === undefined ? {} : { credit }),
    ...(extracted.byline === undefined ? {} : { byline: extracted.byline }),
    ...(lead === undefined ? {} : { lead }),
  }
}

export type { HtmlNode }
