/**
 * A story's articles as a batch knows them (stored ones with edits applied, then the ones added), and the record the
 * batch leaves: its primary chosen, its keys, buckets and prints merged.
 */
import { copyKey } from '../internal/copy-key.js'
import type { Article } from '../types.js'
import { type CreditTarget, creditTarget, isFrom } from './credit-target.js'
import { identityKeys } from './keys.js'
import { type StoryRecord, union } from './record.js'
import { articlesOf, type Item, type StoredFingerprint, type Working } from './working.js'

/** The original publisher's copy (the one the others credit), or else the earliest. */
export function choosePrimary(articles: Article[]): Article {
  const targets = articles.map((a) => creditTarget(a.credit)).filter((t): t is CreditTarget => t !== undefined)
  const byTime = [...articles].sort((a, b) => a.published.getTime() - b.published.getTime())
  if (targets.length > 0) {
    const credited = byTime.find((a) => !a.credit && targets.some((t) => isFrom(t, a)))
    if (credited) return credited
  }
  return byTime.find((a) => !a.credit) ?? (byTime[0] as Article)
}

/** The articles of a story as this batch knows them (stored ones with edits applied, then the ones added). */
export function current(w: Working): Article[] {
  const stored = w.record ? articlesOf(w.record.story).map((a) => w.replaced.get(copyKey(a)) ?? a) : []
  return [...stored, ...w.added.map((a) => w.replaced.get(copyKey(a)) ?? a)]
}

/** The listing of `w` that `item` is another version of (same feed, same id or URL or guid), if any. */
export function knownListing(w: Working, item: Item): Article | undefined {
  const { article } = item
  const mine = new Set(item.identity)
  return current(w).find(
    (a) => a.source.id === article.source.id && (a.id === article.id || identityKeys(a).some((k) => mine.has(k))),
  )
}

/** `item` is an edited version of `known`: it stands in for it (and its print for known's, when kept). */
export function replaceListing(w: Working, known: Article, item: Item): void {
  const copy = copyKey(known)
  const original = [...w.replaced].find(([, a]) => a === known)?.[0] ?? copy
  w.replaced.set(original, item.article)
  const at = w.copies.findIndex((c) => c.a === known.id)
  if (at >= 0) {
    w.copies[at] = item.analysed.copy
    w.prints[at] = item.analysed.print
  }
}

/** The record to write for `w` at `now` (a fresh one when its stored record vanished meanwhile). */
export function buildRecord(w: Working, now: Date): StoryRecord {
  const all = current(w)
  const primary = choosePrimary(all)
  const base: StoryRecord = w.record ?? {
    // the story vanished meanwhile (pruned by another process): it starts again from what joined it
    story: { id: w.id, primary, duplicates: [] },
    keys: [],
    buckets: [],
    published: primary.published,
    firstSeen: now,
    lastSeen: now,
  }
  return {
    ...base,
    story: { id: w.id, primary, duplicates: all.filter((a) => a !== primary) },
    keys: union(base.keys, w.keys),
    buckets: union(base.buckets, w.buckets),
    fingerprint: { v: 1, c: w.copies } satisfies StoredFingerprint,
    published: primary.published,
    lastSeen: now,
  }
}
