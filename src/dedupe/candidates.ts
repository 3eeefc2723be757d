/** Near-duplicate candidates: the stories sharing enough buckets with an article, verified against their prints. */
import { compare, rewriteMatch } from './compare.js'
import { creditTarget, isFromCopy } from './credit-target.js'
import { type CopyPrint, fromCopy } from './fingerprint.js'
import type { ResolvedDedupeOptions } from './types.js'
import type { Item, Working } from './working.js'

/** A bucket shared by more stories than this says nothing (boilerplate); it is not used to find candidates. */
export const MAX_BUCKET_STORIES = 64
/**
 * A story is a near-duplicate candidate of an article when they share at least this many buckets (LSH bands and lead
 * bands). One shared band is mostly chance between texts written from the same templates (in the 1,000-feed corpus a
 * story shares one bucket with 27 others on average and two with about one); a copy shares several — the four lead
 * bands when the lead is kept, and most bands when the body is — so requiring two keeps recall and cuts the
 * fingerprints loaded and compared about twentyfold.
 */
const MIN_SHARED_BUCKETS = 2
/** A figure bucket (`f:`, a pair of uncommon figures) counts as this many shared buckets: it is two facts at once. */
const FIGURE_WEIGHT = 2

/** A bucket's story ids (undefined when none, or when the bucket is ignored). */
export type BucketLookup = (bucket: string) => Iterable<string> | undefined

/** Stories sharing at least MIN_SHARED_BUCKETS of `buckets` (buckets of more than MAX_BUCKET_STORIES are ignored). */
export function sharing(buckets: string[], lookup: BucketLookup): string[] {
  const counts = new Map<string, number>()
  const out: string[] = []
  for (const bucket of buckets) {
    const ids = lookup(bucket)
    if (!ids) continue
    const weight = bucket.charCodeAt(0) === 102 /* f */ ? FIGURE_WEIGHT : 1
    for (const id of ids) {
      const before = counts.get(id) ?? 0
      counts.set(id, before + weight)
      if (before < MIN_SHARED_BUCKETS && before + weight >= MIN_SHARED_BUCKETS) out.push(id)
    }
  }
  return out
}

/**
 * The story `item` is a near-duplicate of: among the candidates sharing its probes, the one scoring highest (best
 * copy within the window, plus the credit bonus when the story has a copy from the outlet `item` credits) at or
 * above the threshold; the first of equals; undefined when none does. Decodes the prints it compares, once each.
 */
export function nearest(
  lookup: BucketLookup,
  stories: Map<string, Working>,
  item: Item,
  options: ResolvedDedupeOptions,
): Working | undefined {
  const { article, analysed } = item
  const target = creditTarget(article.credit)
  let best: { w: Working; score: number } | undefined
  for (const id of sharing(analysed.probes, lookup)) {
    const w = stories.get(id)
    if (!w) continue
    let score = 0
    for (let i = 0; i < w.copies.length; i++) {
      const copy = w.copies[i] as CopyPrint
      // the window, checked before decoding the print
      if (Math.abs(copy.p - analysed.print.published) > options.windowMs) continue
      let print = w.prints[i]
      if (!print) {
        print = fromCopy(copy)
        w.prints[i] = print
      }
      const sim = compare(analysed.print, print, options)
      let s = sim.guard ? 0 : sim.containment >= options.containmentThreshold ? Math.max(sim.score, 1) : sim.score
      // a rewrite or summary (credited, or quoting the same uncommon figures): its own wording, the original's facts
      if (s < options.threshold && rewriteMatch(analysed.print, print, options)) s = options.threshold
      if (s > score) score = s
    }
    if (score === 0) continue
    if (target && w.copies.some((c) => isFromCopy(target, c))) score += options.creditBonus
    if (score >= options.threshold && (!best || score > best.score)) best = { w, score }
  }
  return best?.w
}
