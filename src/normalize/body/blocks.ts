/**
 * The walk from the parsed tree to blocks: paragraphs split at `<br>`, headings, list items and quotes as text
 * blocks of runs (bold, italic, links); caption hints carried along. Images and figures are media-blocks.ts,
 * tables table-blocks.ts.
 */

import { BLOCK_TAGS, type HtmlElement } from '../html/index.js'
import { resolveUrl } from '../media.js'
import type { SelectorMatcher } from '../selectors.js'
import { cleanText } from '../text/index.js'
import { figure, image, noscript, picture } from './media-blocks.js'
import { hasCaptionClass, memo } from './rules.js'
import { cleanRunText, isBlankWithoutNbsp, joinRuns, trimRuns } from './runs.js'
import { table } from './table-blocks.js'
import {
  type Block,
  type BlockWalker,
  BOLD,
  ITALIC,
  type Run,
  STRIKE,
  SUB,
  SUP,
  type TextBlock,
  type TextRun,
  type TextTag,
  UNDERLINE,
  type WalkCtx,
} from './types.js'

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

/** Pushes one line of runs as a text block of `group` (none for an empty line). */
function pushLine(blocks: Block[], line: TextRun[], ctx: WalkCtx, hint: boolean, group: number): void {
  const text = joinRuns(line)
  if (text === '') return
  const block: TextBlock = {
    kind: 'text',
    tag: ctx.tag,
    runs: trimRuns(line),
    text,
    group,
    hint: ctx.hint || hint,
  }
  if (ctx.align !== undefined) block.align = ctx.align
  if (ctx.list !== undefined) block.list = ctx.list
  if (ctx.quote !== undefined) block.quote = ctx.quote
  blocks.push(block)
}

/** Appends clean text to the runs: joined to the last run when that has the same formatting and link. */
function appendText(runs: Run[], text: string, ctx: WalkCtx): void {
  const last = runs[runs.length - 1]
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
  runs.push({
    kind: 'text',
    text,
    flags: ctx.flags,
    ...(ctx.href === undefined ? {} : { href: ctx.href }),
    ...(ctx.linkTitle === undefined ? {} : { title: ctx.linkTitle }),
  })
}

/** Reads a body's tree into blocks: `walk(root)`, then `blocks`. */
export class BlockBuilder implements BlockWalker {
  readonly blocks: Block[] = []
  runs: Run[] = []
  private runCtx: WalkCtx | undefined
  private pendingHint = false
  private group = 0
  private ids = 0

  constructor(
    readonly baseUrl: string | undefined,
    private readonly captionMatcher: SelectorMatcher | undefined,
    readonly title: string | undefined,
  ) {}

  nextId(): number {
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
      pushLine(this.blocks, runs.slice(start, i) as TextRun[], ctx, hint, this.group)
      start = i + 1
    }
    pushLine(this.blocks, (start === 0 ? runs : runs.slice(start)) as TextRun[], ctx, hint, this.group)
  }

  newGroup(): void {
    this.group = this.nextId()
  }

  addText(data: string, ctx: WalkCtx): void {
    if (this.runCtx === undefined) {
      if (isBlankWithoutNbsp(data)) return
      this.runCtx = ctx
    }
    const text = cleanRunText(data)
    if (text === '') return
    appendText(this.runs, text, ctx)
  }

  addBr(): void {
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

  block(el: HtmlElement, ctx: WalkCtx, patch: Partial<WalkCtx>): void {
    this.flush()
    this.newGroup()
    this.children(el, { ...ctx, ...patch })
    this.flush()
    this.newGroup()
  }

  children(el: HtmlElement, ctx: WalkCtx): void {
    for (const child of el.children) {
      if (child.type === 'text') this.addText(child.data, ctx)
      else this.element(child, ctx)
    }
  }

  walk(root: HtmlElement): void {
    this.children(root, { flags: 0, tag: 'p', hint: false })
    this.flush()
  }

  sub(): BlockBuilder {
    return new BlockBuilder(this.baseUrl, this.captionMatcher, this.title)
  }

  element(el: HtmlElement, parentCtx: WalkCtx): void {
    const name = el.name
    let ctx = parentCtx
    if (hasCaptionClass(el.attrs) || (this.captionMatcher?.(name, el.attrs) ?? false)) {
      ctx = { ...ctx, hint: true }
      if (!BLOCK_TAGS.has(name)) this.pendingHint = true
    }
    const align = alignOf(el.attrs)
    const extraFlags = styleFlags(el.attrs)
    if (extraFlags !== 0) ctx = { ...ctx, flags: ctx.flags | extraFlags }
    if (!shaped(this, el, ctx)) container(this, el, ctx, align)
  }
}

/** Elements with a shape of their own (breaks, images, figures, tables, lists, quotes, links): false for the rest. */
function shaped(b: BlockBuilder, el: HtmlElement, ctx: WalkCtx): boolean {
  const name = el.name
  switch (name) {
    case 'br':
      b.addBr()
      return true
    case 'hr':
    case 'wbr':
      if (name === 'hr') {
        b.flush()
        b.newGroup()
      }
      return true
    case 'img':
    case 'amp-img':
      image(b, el.attrs, ctx)
      return true
    case 'picture':
      picture(b, el, ctx)
      return true
    case 'noscript':
      noscript(b, el)
      return true
    case 'figure':
      figure(b, el, ctx)
      return true
    case 'table':
      table(b, el, ctx)
      return true
    case 'ul':
    case 'ol':
      b.block(el, ctx, { list: { id: b.nextId(), ordered: name === 'ol' }, tag: 'li' })
      return true
    case 'li':
      b.block(el, ctx, {
        tag: 'li',
        ...(ctx.list === undefined ? { list: { id: b.nextId(), ordered: false } } : {}),
      })
      return true
    case 'blockquote':
      b.block(el, ctx, { quote: ctx.quote ?? b.nextId(), tag: 'p' })
      return true
    case 'a':
      link(b, el, ctx)
      return true
  }
  return false
}

/** A link's text carries its (resolved) href and title; a link that resolves to nothing carries none. */
function link(b: BlockBuilder, el: HtmlElement, ctx: WalkCtx): void {
  const href =
    el.attrs.href === undefined ? undefined : resolveUrl(el.attrs.href, b.baseUrl, ['http', 'https', 'mailto'])
  const title = el.attrs.title === undefined ? undefined : cleanText(el.attrs.title)
  const linkCtx: WalkCtx = { ...ctx }
  delete linkCtx.href
  delete linkCtx.linkTitle
  if (href !== undefined) {
    linkCtx.href = href
    if (title !== undefined && title !== '') linkCtx.linkTitle = title
  }
  b.children(el, linkCtx)
}

/** Headings and block containers open a block; inline formatting adds its flag; the rest is transparent. */
function container(b: BlockBuilder, el: HtmlElement, ctx: WalkCtx, align: 'center' | 'right' | undefined): void {
  const name = el.name
  const heading = HEADING[name]
  if (heading !== undefined) {
    b.block(el, ctx, { tag: ctx.tag === 'li' ? 'li' : heading, ...(align === undefined ? {} : { align }) })
    return
  }
  const flag = INLINE_FLAGS[name]
  if (flag !== undefined) {
    b.children(el, { ...ctx, flags: ctx.flags | flag })
    return
  }
  if (BLOCK_TAGS.has(name)) {
    const tag: TextTag = ctx.tag === 'li' ? 'li' : 'p'
    const patch: Partial<WalkCtx> = { tag }
    if (align !== undefined) patch.align = align
    else if (name === 'center') patch.align = 'center'
    b.block(el, ctx, patch)
    return
  }
  // Unknown and presentational inline elements (span, font, o:p, …): transparent.
  b.children(el, ctx)
}
