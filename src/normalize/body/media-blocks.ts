/**
 * Images in the block walk: `<img>` (and `<amp-img>`) as image blocks with their sizes, `<picture>` sources,
 * `<noscript>` lazy-loading fallbacks, and `<figure>` with its caption carried on the figure's last image.
 */

import { type HtmlElement, textContent } from '../html/index.js'
import { isPlaceholderAlt, isTrackerImage, pickImageUrl } from '../media.js'
import { cleanText } from '../text/index.js'
import { findFirst } from './tree.js'
import type { BlockWalker, ImageBlock, WalkCtx } from './types.js'

/** An image block (none for a tracker pixel); `fallbackSrcset` is a `<picture>` source for an `<img>` with no URL. */
export function image(b: BlockWalker, attrs: Record<string, string>, ctx: WalkCtx, fallbackSrcset?: string): void {
  let url = pickImageUrl(attrs, b.baseUrl)
  if (url === undefined && fallbackSrcset !== undefined) url = pickImageUrl({ srcset: fallbackSrcset }, b.baseUrl)
  if (isTrackerImage(attrs, url)) return
  b.flush()
  const alt = attrs.alt === undefined ? '' : cleanText(attrs.alt)
  const block: ImageBlock = { kind: 'image' }
  if (url !== undefined) block.url = url
  if (alt !== '' && !isPlaceholderAlt(alt, b.title)) block.alt = alt
  if (attrs.width !== undefined && /^\d{1,5}$/.test(attrs.width.trim())) block.width = attrs.width.trim()
  if (attrs.height !== undefined && /^\d{1,5}$/.test(attrs.height.trim())) block.height = attrs.height.trim()
  if (ctx.quote !== undefined) block.quote = ctx.quote
  b.blocks.push(block)
}

/** A `<picture>`: its `<img>`, with the first `<source>` srcset to fall back on; or that srcset alone. */
export function picture(b: BlockWalker, el: HtmlElement, ctx: WalkCtx): void {
  let srcset: string | undefined
  let img: HtmlElement | undefined
  for (const child of el.children) {
    if (child.type !== 'element') continue
    if (child.name === 'source' && srcset === undefined) srcset = child.attrs.srcset ?? child.attrs['data-srcset']
    if (child.name === 'img' && img === undefined) img = child
  }
  if (img !== undefined) image(b, img.attrs, ctx, srcset)
  else if (srcset !== undefined) image(b, { srcset }, ctx)
}

/** Lazy-loading fallbacks: a `<noscript><img>` gives its URL to the image just before it when that had none. */
export function noscript(b: BlockWalker, el: HtmlElement): void {
  const last = b.blocks[b.blocks.length - 1]
  if (b.runs.length > 0 || last === undefined || last.kind !== 'image' || last.url !== undefined) return
  const img = findFirst(el, 'img')
  const url = img === undefined ? undefined : pickImageUrl(img.attrs, b.baseUrl)
  if (url !== undefined) last.url = url
}

/** A `<figure>`: its content as a block; its `<figcaption>` the raw caption of its last image, or a hinted block. */
export function figure(b: BlockWalker, el: HtmlElement, ctx: WalkCtx): void {
  b.flush()
  b.newGroup()
  const start = b.blocks.length
  let caption: HtmlElement | undefined
  const figureCtx: WalkCtx = { ...ctx, tag: 'p' }
  for (const child of el.children) {
    if (child.type === 'element' && child.name === 'figcaption' && caption === undefined) {
      caption = child
      continue
    }
    if (child.type === 'text') b.addText(child.data, figureCtx)
    else b.element(child, figureCtx)
  }
  b.flush()
  b.newGroup()
  if (caption === undefined) return
  let lastImage: ImageBlock | undefined
  for (let i = b.blocks.length - 1; i >= start; i--) {
    const block = b.blocks[i]
    if (block?.kind === 'image') {
      lastImage = block
      break
    }
  }
  const text = cleanText(textContent(caption).replace(/\n/g, ' '))
  if (lastImage !== undefined) {
    if (text !== '') lastImage.rawCaption = text
    return
  }
  b.block(caption, ctx, { hint: true, tag: 'p' })
}
