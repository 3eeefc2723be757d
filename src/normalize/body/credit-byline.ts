/**
 * The source credit and the byline a body carries in its first or last paragraphs ("Theo Baothaibinh.com.vn",
 * "Thu Hà (Theo VOV)", a "(TTXVN) –" dateline): found, taken out of the blocks, handed back.
 */

import type { ArticleCredit } from '../../types.js'
import { detectByline } from '../byline.js'
import {
  type CreditContext,
  compileCreditPattern,
  creditFromName,
  detectCreditLine,
  detectLeadingDateline,
  detectTrailingAgency,
} from '../credit.js'
import { isFormatted, joinRuns, runText } from './runs.js'
import type { Block, BodyOptions, TextBlock, TextRun } from './types.js'

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

/** The first link a block carries (`Nguồn: <a href>`). */
function hrefOf(b: TextBlock): string | undefined {
  for (const r of b.runs) if (r.href !== undefined) return r.href
  return undefined
}

interface Extracted {
  credit?: ArticleCredit
  byline?: string
}

export function extractCreditAndByline(blocks: Block[], options: BodyOptions): Extracted {
  const result: Extracted = {}
  const pattern = compileCreditPattern(options.rules?.creditPattern)
  const ctx: CreditContext = {
    ...(options.outlets === undefined ? {} : { outlets: options.outlets }),
    ...(pattern === undefined ? {} : { pattern }),
  }
  extractAtEnd(blocks, options, ctx, result)
  extractAtStart(blocks, ctx, result)
  return result
}

/** From the end: the credit line and the byline, in either order, skipping images. */
function extractAtEnd(blocks: Block[], options: BodyOptions, ctx: CreditContext, result: Extracted): void {
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
}

/** At the start: a credit line, or a "(Baoquangninh.vn) –" dateline. */
function extractAtStart(blocks: Block[], ctx: CreditContext, result: Extracted): void {
  const firstIndex = blocks.findIndex((b) => b.kind === 'text')
  const first = blocks[firstIndex]
  if (first?.kind === 'text') {
    if (result.credit === undefined) {
      const href = hrefOf(first)
      const credit = detectCreditLine(first.text, { ...ctx, ...(href === undefined ? {} : { href }) })
      if (credit !== undefined && blocks.length > 1) {
        result.credit = credit
        blocks.splice(firstIndex, 1)
        return
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
}
