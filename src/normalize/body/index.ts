/**
 * The article body: one parse of the item's HTML into blocks (paragraphs, images, lists, tables), then the
 * Vietnamese-news rules over those blocks (captions and photo credits, related-link blocks, the source credit,
 * the byline, the repeated lead), then safe HTML rebuilt from the blocks and passed through the sanitizer once.
 */

import { escapeHtml, type HtmlNode, parseHtml, sanitizeRebuiltHtml } from '../html/index.js'
import { BlockBuilder } from './blocks.js'
import { attachCaptions } from './captions.js'
import { extractCreditAndByline } from './credit-byline.js'
import { dropRepeats, isKept, removeJunk } from './prune.js'
import { blocksToHtml, blocksToText, imagesOf } from './render.js'
import { compiledRules, dropJunk, dropWith } from './rules.js'
import type { BodyOptions, BodyResult } from './types.js'

export type { BodyOptions, BodyResult } from './types.js'

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

/** Turns an item's body HTML (or plain text) into safe HTML, text paragraphs, images, credit, byline and lead. */
export function processBody(html: string, options: BodyOptions = {}): BodyResult {
  const body = rebuildBody(html, options)
  body.contentHtml = sanitizeRebuiltHtml(body.contentHtml)
  return body
}

/**
 * The whole body pass but the final gate: blocks read, cleaned and rebuilt, with `contentHtml` the rebuilt HTML
 * (the writer's own form), which the caller must pass through `sanitizeRebuiltHtml`/`sanitizeRebuiltHtmlAll`
 * (normalizeFeed gates all the bodies of a feed in one go). Not exported from normalize/.
 */
export function rebuildBody(html: string, options: BodyOptions = {}): BodyResult {
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
