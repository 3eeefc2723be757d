/**
 * Captions: the paragraph under an image that describes it (hinted by class, italic, centred, "Ảnh: …"), split
 * into caption and photo credit; its echoes dropped; a caption whose image is gone kept as an image with no URL.
 */

import { type CaptionParts, isIllustrationLabel, splitCleanCaption } from '../media.js'
import { allFlag, same } from './runs.js'
import { type Block, type ImageBlock, ITALIC, type TextBlock } from './types.js'

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

export function attachCaptions(blocks: Block[]): Block[] {
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
