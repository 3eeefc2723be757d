/** Text runs and block text: cleaning a text node, joining and trimming runs, formatting tests, comparing texts. */

import { cleanText, foldsEqual, isTrimSpace } from '../text/index.js'
import { BOLD, ITALIC, type TextBlock, type TextRun } from './types.js'

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
export function isBlankWithoutNbsp(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code === 0xa0 || !isTrimSpace(code)) return false
  }
  return true
}

/** Cleans one text node, keeping one space where it had whitespace at either end (words meet across tags). */
export function cleanRunText(raw: string): string {
  if (raw.length === 0) return ''
  const lead = isSpaceCode(raw.charCodeAt(0))
  const trail = isSpaceCode(raw.charCodeAt(raw.length - 1))
  const body = cleanText(lead || trail ? raw.trim() : raw)
  if (body === '') return lead || trail ? ' ' : ''
  return (lead ? ' ' : '') + body + (trail ? ' ' : '')
}

/** Block text from runs that are already clean (no two spaces inside a run): only the joins need collapsing. */
export function joinRuns(runs: readonly { text: string }[]): string {
  let text = ''
  for (const r of runs) {
    const t = r.text
    if (t.length === 0) continue
    if (text.length > 0 && t.charCodeAt(0) === 0x20 && text.charCodeAt(text.length - 1) === 0x20) text += t.slice(1)
    else text += t
  }
  return text.trim()
}

/** The runs without blank ones at either end, the first and last trimmed (copies: runs are not shared). */
export function trimRuns(runs: TextRun[]): TextRun[] {
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

export function allFlag(block: TextBlock, flag: number): boolean {
  let any = false
  for (const r of block.runs) {
    if (r.text.trim() === '') continue
    if ((r.flags & flag) === 0) return false
    any = true
  }
  return any
}

/** Same text once folded (case, tone marks, punctuation). Texts of very different length are not compared. */
export function same(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || a === '' || b === '') return false
  if (a === b) return true
  if (Math.abs(a.length - b.length) > Math.max(a.length, b.length) / 4 + 8) return false
  return foldsEqual(a, b)
}

export function isFormatted(block: TextBlock): boolean {
  return block.align === 'right' || allFlag(block, BOLD) || allFlag(block, ITALIC)
}

export function runText(block: TextBlock): string {
  return block.runs.map((r) => r.text).join('')
}
