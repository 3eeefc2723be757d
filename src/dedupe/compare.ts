/** Comparing two fingerprints: similarity with the guards against templates, and the rewrite test. */

import { isSalientNumber, MAX_SET } from './facts.js'
import { anchorsOf, BINS, type Print, titleWordsOf } from './fingerprint.js'

export interface Similarity {
  /** Weighted score 0–1 (0 when a guard rejected the pair). */
  score: number
  /** MinHash estimate of the body Jaccard similarity. */
  jaccard: number
  /** Share of the shorter body's anchors found in the longer one. */
  containment: number
  /** Overlap of the folded title words. */
  title: number
  /** Why the pair was rejected, if it was. */
  guard?: 'window' | 'short' | 'numbers' | 'dates' | 'entities'
}

export interface CompareOptions {
  windowMs: number
  minWords: number
  maxNumberMismatch: number
  maxEntityMismatch: number
  titleWeight: number
}

function jaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0
  for (let i = 0; i < BINS; i++) if (a[i] === b[i]) same++
  return same / BINS
}

/** Share of `small` (by text order, up to what `large` recorded) missing from `large`. */
function missingShare(small: string[], large: string[], largeCapped: boolean): { missing: number; share: number } {
  if (small.length === 0) return { missing: 0, share: 0 }
  const have = new Set(large)
  const checked = largeCapped ? small.slice(0, large.length) : small
  let missing = 0
  for (const v of new Set(checked)) if (!have.has(v)) missing++
  return { missing, share: missing / new Set(checked).size }
}

/** Share of the shorter title's folded words found in the other title. */
function titleOverlap(a: Print, b: Print): number {
  const at = titleWordsOf(a)
  const bt = titleWordsOf(b)
  const [ts, tl] = at.size <= bt.size ? [at, bt] : [bt, at]
  let shared = 0
  for (const w of ts) if (tl.has(w)) shared++
  return ts.size === 0 ? 0 : shared / ts.size
}

/** How alike two fingerprints are, with the guards against templates applied. */
export function compare(a: Print, b: Print, options: CompareOptions): Similarity {
  const none = { jaccard: 0, containment: 0, title: 0 }
  if (Math.abs(a.published - b.published) > options.windowMs) return { score: 0, ...none, guard: 'window' }
  const [small, large] = a.words <= b.words ? [a, b] : [b, a]
  if (small.words < options.minWords) return { score: 0, ...none, guard: 'short' }
  const j = jaccard(a.sig, b.sig)
  let shared = 0
  const smallAnchors = anchorsOf(small)
  const largeAnchors = anchorsOf(large)
  for (const h of smallAnchors) if (largeAnchors.has(h)) shared++
  const containment = smallAnchors.size >= 3 ? shared / smallAnchors.size : j
  const titleSim = titleOverlap(a, b)
  const body = Math.max(j, containment)
  const score = (1 - options.titleWeight) * body + options.titleWeight * titleSim
  const result = { jaccard: j, containment, title: titleSim }
  const nums = missingShare(small.numbers, large.numbers, large.numbers.length >= MAX_SET)
  if (nums.share > options.maxNumberMismatch) return { score: 0, ...result, guard: 'numbers' }
  if (missingShare(small.dates, large.dates, large.dates.length >= MAX_SET).missing > 0) {
    return { score: 0, ...result, guard: 'dates' }
  }
  const ents = missingShare(small.entities, large.entities, large.entities.length >= MAX_SET)
  if (ents.missing >= 2 && ents.share > options.maxEntityMismatch) return { score: 0, ...result, guard: 'entities' }
  return { score, ...result }
}

/** How far a credited copy's date may be before its original's (zone slips, clocks): not a day. */
const REWRITE_SKEW_MS = 3 * 3_600_000

export interface RewriteOptions {
  /** How long after its original a credited rewrite may come. */
  rewriteWindowMs: number
  minWords: number
}

/** Salient numbers of a print (see isSalientNumber) that are not the day or month of one of its dates. */
function salient(print: Print): Set<string> {
  const dateParts = new Set<string>()
  for (const d of print.dates) for (const part of d.split('/')) dateParts.add(part)
  const out = new Set<string>()
  for (const n of print.numbers) if (isSalientNumber(n) && !dateParts.has(n)) out.add(n)
  return out
}

/** ` a b ` contains ` b `: one name is part of the other (`huyện Quỳnh Phụ` and `Quỳnh Phụ`). */
function namesMeet(x: string, y: string): boolean {
  return x.length <= y.length ? ` ${y} `.includes(` ${x} `) : ` ${x} `.includes(` ${y} `)
}

/** How many of `small`'s names meet one of `large`'s (namesMeet), and how many distinct names `small` has. */
function sharedNames(small: string[], large: string[]): { shared: number; of: number } {
  const names = new Set(small)
  let shared = 0
  for (const name of names) if (large.some((other) => namesMeet(name, other))) shared++
  return { shared, of: names.size }
}

/**
 * A credited rewrite or summary of the story `b` (or `b` of `a`): one of the two credits the other's outlet (or
 * both credit one outlet), it came after the original within `rewriteWindowMs`, and — since its wording is its
 * own — the names, figures and title words it shares decide, with the template guards held: no date of the shorter
 * text missing from the longer, few of its salient numbers and names missing.
 */
export function rewriteMatch(a: Print, b: Print, options: RewriteOptions): boolean {
  if (options.rewriteWindowMs <= 0) return false
  const aCredits = a.credited !== undefined && (a.credited === b.outlet || a.credited === b.credited)
  const bCredits = b.credited !== undefined && b.credited === a.outlet
  const credited = aCredits || bCredits
  // the credited one comes after the one it credits; two credited copies (or uncredited ones) in any order
  const dt =
    aCredits && !bCredits && b.credited !== a.credited
      ? a.published - b.published
      : bCredits && !aCredits
        ? b.published - a.published
        : Math.abs(a.published - b.published)
  if (dt < -REWRITE_SKEW_MS || dt > options.rewriteWindowMs) return false
  const [small, large] = a.words <= b.words ? [a, b] : [b, a]
  if (small.words < options.minWords) return false
  if (missingShare(small.dates, large.dates, large.dates.length >= MAX_SET).missing > 0) return false
  // the figures it quotes are the original's: a bulletin of another week or a follow-up has other ones
  const smallNumbers = salient(small)
  const largeNumbers = salient(large)
  let sharedNumbers = 0
  let sharedFigures = 0
  for (const n of smallNumbers) {
    if (!largeNumbers.has(n)) continue
    sharedNumbers++
    if (n.length >= 3) sharedFigures++
  }
  const missingNumbers = smallNumbers.size - sharedNumbers
  const names = sharedNames(small.entities, large.entities)
  const missingNames = names.of - names.shared
  const title = titleOverlap(a, b)
  if (!credited) {
    // no credit ties them: only the same uncommon figures, every one of them, under a like title and the same names
    return (
      sharedFigures >= 2 &&
      missingNumbers === 0 &&
      names.shared >= 1 &&
      missingNames / Math.max(1, names.of) <= 0.34 &&
      title >= 0.4
    )
  }
  if (missingNumbers > 0 && missingNumbers / smallNumbers.size > 0.34) return false
  if (missingNames > 1 && missingNames / names.of > 0.5) return false
  const shared = names.shared + sharedNumbers
  return (title >= 0.5 && shared >= 2) || (names.shared >= 2 && sharedNumbers >= 1) || shared >= 4
}
