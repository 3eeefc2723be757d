/**
 * The body stage's options and result, the blocks it reads a body into (text runs, images, tables), and what the
 * media and table walks need of the block builder.
 */

import type { ParsedMedia } from '../../parse/types.js'
import type { ArticleCredit, ArticleImage, SourceRules } from '../../types.js'
import type { HtmlElement } from '../html/index.js'
import type { OutletEntry } from '../types.js'

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

// Blocks

export const BOLD = 1
export const ITALIC = 2
export const UNDERLINE = 4
export const SUB = 8
export const SUP = 16
export const STRIKE = 32

export interface TextRun {
  kind: 'text'
  text: string
  flags: number
  href?: string
  title?: string
}
export type Run = TextRun | { kind: 'br' }

export type TextTag = 'p' | 'h2' | 'h3' | 'h4' | 'li'

export interface TextBlock {
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

export interface ImageBlock {
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

export interface TableCell {
  tag: 'td' | 'th'
  colspan?: string
  rowspan?: string
  runs: Run[]
  text: string
}

export interface TableBlock {
  kind: 'table'
  rows: TableCell[][]
  quote?: number
}

export type Block = TextBlock | ImageBlock | TableBlock

// The walk

/** What an element's text inherits from its ancestors: formatting, link, block tag, alignment, list, quote. */
export interface WalkCtx {
  flags: number
  href?: string
  linkTitle?: string
  tag: TextTag
  align?: 'center' | 'right'
  hint: boolean
  list?: { id: number; ordered: boolean }
  quote?: number
}

/** The block builder as the media and table walks see it (media-blocks.ts, table-blocks.ts). */
export interface BlockWalker {
  readonly blocks: Block[]
  /** Runs read since the last line was pushed. */
  readonly runs: readonly Run[]
  readonly baseUrl: string | undefined
  readonly title: string | undefined
  /** Pushes the pending runs as text blocks, one per line. */
  flush(): void
  /** Starts a new paragraph group. */
  newGroup(): void
  addText(data: string, ctx: WalkCtx): void
  element(el: HtmlElement, ctx: WalkCtx): void
  /** Walks `el` as a block of its own: flushed and grouped before and after, `patch` over `ctx`. */
  block(el: HtmlElement, ctx: WalkCtx, patch: Partial<WalkCtx>): void
  /** A fresh builder with the same options (a table cell is walked on its own). */
  sub(): BlockWalker
  walk(root: HtmlElement): void
}
