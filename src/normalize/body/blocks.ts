/**
 * The walk from the parsed tree to blocks: paragraphs split at `<br>`, headings, list items and quotes as text
 * blocks of runs (bold, italic, links), images with their sizes, data tables; caption hints carried along.
 */

import { BLOCK_TAGS, type HtmlElement, textContent } from '../html/index.js'
import { isPlaceholderAlt, isTrackerImage, pickImageUrl, resolveUrl } from '../media.js'
import type { SelectorMatcher } from '../selectors.js'
import { cleanText } from '../text/index.js'
import { hasCaptionClass, memo } from './rules.js'
import { cleanRunText, isBlankWithoutNbsp, joinRuns, trimRuns } from './runs.js'
import { countImages, findFirst, isDataTable, isImageTable, tableRows } from './tree.js'
import {
  type Block,
  BOLD,
  type ImageBlock,
  ITALIC,
  type Run,
  STRIKE,
  SUB,
  SUP,
  type TableCell,
  type TextBlock,
  type TextRun,
  type TextTag,
  UNDERLINE,
} from './types.js'

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

const styleAligns = new Map<string, 'center' | 'right' | undefined>()
const styleFlagsOf = new Map<string, number>()

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

export class BlockBuilder {
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
    if (!this.shaped(el, ctx)) this.container(el, ctx, align)
  }

  /** Elements with a shape of their own (breaks, images, figures, tables, lists, quotes, links): false for the rest. */
  private shaped(el: HtmlElement, ctx: Ctx): boolean {
    const name = el.name
    switch (name) {
      case 'br':
        this.addBr()
        return true
      case 'hr':
      case 'wbr':
        if (name === 'hr') {
          this.flush()
          this.newGroup()
        }
        return true
      case 'img':
      case 'amp-img':
        this.image(el.attrs, ctx)
        return true
      case 'picture':
        this.picture(el, ctx)
        return true
      case 'noscript':
        this.noscript(el)
        return true
      case 'figure':
        this.figure(el, ctx)
        return true
      case 'table':
        this.table(el, ctx)
        return true
      case 'ul':
      case 'ol':
        this.block(el, ctx, { list: { id: this.nextId(), ordered: name === 'ol' }, tag: 'li' })
        return true
      case 'li':
        this.block(el, ctx, {
          tag: 'li',
          ...(ctx.list === undefined ? { list: { id: this.nextId(), ordered: false } } : {}),
        })
        return true
      case 'blockquote':
        this.block(el, ctx, { quote: ctx.quote ?? this.nextId(), tag: 'p' })
        return true
      case 'a':
        this.link(el, ctx)
        return true
    }
    return false
  }

  /** A link's text carries its (resolved) href and title; a link that resolves to nothing carries none. */
  private link(el: HtmlElement, ctx: Ctx): void {
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
  }

  /** Headings and block containers open a block; inline formatting adds its flag; the rest is transparent. */
  private container(el: HtmlElement, ctx: Ctx, align: 'center' | 'right' | undefined): void {
    const name = el.name
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
      this.dataTable(rows, ctx)
      return
    }
    // Layout table: its cells are just containers.
    this.block(el, ctx, { tag: ctx.tag === 'li' ? 'li' : 'p' })
  }

  /** A data table: one table block (unless every cell is empty), then the images its cells held. */
  private dataTable(rows: HtmlElement[][], ctx: Ctx): void {
    this.flush()
    const out: TableCell[][] = []
    const after: Block[] = []
    for (const row of rows) {
      const cells: TableCell[] = []
      for (const cell of row) cells.push(this.tableCell(cell, after))
      if (cells.length > 0) out.push(cells)
    }
    if (out.some((r) => r.some((c) => c.text !== ''))) {
      this.blocks.push({ kind: 'table', rows: out, ...(ctx.quote === undefined ? {} : { quote: ctx.quote }) })
    }
    this.blocks.push(...after)
    this.newGroup()
  }

  /** One cell, walked on its own: its text blocks joined with `<br>`; its other blocks pushed to `after`. */
  private tableCell(cell: HtmlElement, after: Block[]): TableCell {
    const sub = new BlockBuilder(this.baseUrl, this.captionMatcher, this.title)
    sub.walk(cell)
    const runs: Run[] = []
    for (const b of sub.blocks) {
      if (b.kind === 'text') {
        if (runs.length > 0) runs.push({ kind: 'br' })
        runs.push(...b.runs)
      } else after.push(b)
    }
    return {
      tag: cell.name === 'th' ? 'th' : 'td',
      runs,
      text: cleanText(runs.map((r) => (r.kind === 'br' ? ' ' : r.text)).join('')),
      ...(cell.attrs.colspan !== undefined && /^\d{1,3}$/.test(cell.attrs.colspan)
        ? { colspan: cell.attrs.colspan }
        : {}),
      ...(cell.attrs.rowspan !== undefined && /^\d{1,3}$/.test(cell.attrs.rowspan)
        ? { rowspan: cell.attrs.rowspan }
        : {}),
    }
  }
}
