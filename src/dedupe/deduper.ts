import type { Article, Story } from '../types.js'
import { MAX_BUCKET_STORIES, sharing } from './candidates.js'
import { Engine, publishedMs } from './engine.js'
import { analyse } from './fingerprint.js'
import { contentKey, identityKeys } from './keys.js'
import { resolveDedupeOptions } from './options.js'
import type { StoryIndex as StateStore } from './record.js'
import type { DedupeOptions, Deduper, DeduperOptions, PreparedArticles, ResolvedDedupeOptions } from './types.js'
import { type Item, isFingerprint, type StoredFingerprint } from './working.js'

/**
 * Fold, fingerprint and key articles ahead of `Deduper.add()` (pure and CPU-bound: a worker thread can do it). `now`
 * stands in for a missing or implausible published date, as in `add()`.
 */
export function prepareArticles(articles: Article[], options: DedupeOptions = {}, now = Date.now()): PreparedArticles {
  const resolved = resolveDedupeOptions(options)
  return { version: 1, minWords: resolved.minWords, items: prepare(articles, resolved, now) }
}

/** Prepared items for these articles, when `prepared` was made for them with these options; else undefined. */
function preparedItems(
  articles: Article[],
  prepared: PreparedArticles | undefined,
  options: ResolvedDedupeOptions,
): Item[] | undefined {
  if (prepared?.version !== 1 || prepared.minWords !== options.minWords) return undefined
  const items = prepared.items as Item[]
  if (items.length !== articles.length) return undefined
  for (let i = 0; i < items.length; i++) if (items[i]?.article?.id !== articles[i]!.id) return undefined
  return items
}

function prepare(articles: Article[], options: ResolvedDedupeOptions, now: number): Item[] {
  return articles.map((original) => {
    const t = publishedMs(original, now)
    const article = t === original.published?.getTime?.() ? original : { ...original, published: new Date(t) }
    const analysed = analyse(article)
    const identity = [`i:${article.id}`, ...identityKeys(article)]
    const content = contentKey(analysed.bodyDigest, analysed.print.words, Math.max(options.minWords, 20))
    return { article, analysed, identity, ...(content ? { content } : {}) }
  })
}

/**
 * Group articles into stories in memory (no store): exact keys first (guid, folded URL, folded body), then
 * near-duplicates (MinHash + LSH, verified by score with guards against templates). Stories come back in the order
 * their first article appears by date; each story's primary is the credited original or the earliest copy.
 */
export function dedupeArticles(articles: Article[], options: DedupeOptions = {}): Story[] {
  const resolved = resolveDedupeOptions(options)
  const engine = new Engine(resolved, new Date())
  engine.run(prepare(articles, resolved, Date.now()))
  return engine.created()
}

/**
 * A deduper over a StateStore, for a run: `add()` per source or batch, write the returned records through the run's
 * open transaction, commit at the end. Across runs the store remembers keys, buckets and fingerprints.
 */
export function createDeduper(store: StateStore, options: DeduperOptions = {}): Deduper {
  const { now = () => new Date(), ...rest } = options
  const resolved = resolveDedupeOptions(rest)
  /**
   * Buckets found shared by more than MAX_BUCKET_STORIES stories published since the date they map to (boilerplate:
   * a template's sentence). Stories are only added during a deduper's life, so such a bucket is not asked for again
   * by a batch whose window starts at that date or earlier; in the 1,000-feed run a few hundred of them returned over
   * a thousand stories each, batch after batch.
   */
  const crowded = new Map<string, number>()
  return {
    async add(articles, prepared) {
      if (articles.length === 0) return { records: [], outcomes: [] }
      const at = now()
      const items = preparedItems(articles, prepared, resolved) ?? prepare(articles, resolved, at.getTime())
      const keys = [...new Set(items.flatMap((i) => (i.content ? [...i.identity, i.content] : i.identity)))]
      const buckets = probesOf(items)
      // the buckets indexed and probed are locked: an original and its rewrite both probe `cc:` under the original's
      // outlet, so two workers adding them meet on one lock, as two copies meet on their shared LSH buckets
      if (store.lockKeys) {
        await store.lockKeys([...new Set([...keys, ...buckets, ...items.flatMap((i) => i.analysed.buckets)])])
      }
      const keyHits = await store.findByKeys(keys)
      const exact = new Set(keyHits.values())
      const records = exact.size > 0 ? await store.getStories([...exact]) : []
      // an article its exact keys already settle (seen before, or the same body within the window) needs no
      // near-duplicate candidates from the store: only the others' buckets are looked up
      const loaded = new Map(records.map((r) => [r.story.id, r]))
      const settled = (item: Item): boolean => {
        for (const key of item.identity) {
          const id = keyHits.get(key)
          if (id !== undefined && loaded.has(id)) return true
        }
        const id = item.content === undefined ? undefined : keyHits.get(item.content)
        const fingerprint = id === undefined ? undefined : loaded.get(id)?.fingerprint
        const t = item.analysed.print.published
        return isFingerprint(fingerprint) && fingerprint.c.some((c) => Math.abs(c.p - t) <= resolved.windowMs)
      }
      const open = exact.size > 0 ? items.filter((i) => !settled(i)) : items
      const since = Math.min(...open.map((i) => i.analysed.print.published)) - resolved.windowMs
      // a bucket already too shared since an earlier or equal date is still too shared (stories only join): not asked
      const probed = open === items ? buckets : probesOf(open)
      const openBuckets =
        crowded.size === 0 ? probed : probed.filter((b) => since > (crowded.get(b) ?? Number.NEGATIVE_INFINITY))
      const bucketHits =
        openBuckets.length > 0
          ? await store.findByBuckets(openBuckets, new Date(since), MAX_BUCKET_STORIES + 1)
          : new Map<string, string[]>()
      // (a bucket asked for now was not known crowded at this date or a later one)
      for (const [bucket, list] of bucketHits) if (list.length > MAX_BUCKET_STORIES) crowded.set(bucket, since)
      const candidates = new Set<string>()
      const hits = (bucket: string) => {
        const list = bucketHits.get(bucket)
        return list && list.length <= MAX_BUCKET_STORIES ? list : undefined
      }
      for (const item of open)
        for (const id of sharing(item.analysed.probes, hits)) if (!exact.has(id)) candidates.add(id)
      const fingerprints = new Map<string, StoredFingerprint>()
      if (candidates.size > 0) {
        if (store.getFingerprints) {
          for (const [id, fp] of await store.getFingerprints([...candidates])) {
            if (isFingerprint(fp)) fingerprints.set(id, fp)
          }
          const bare = [...candidates].filter((id) => !fingerprints.has(id))
          if (bare.length > 0) records.push(...(await store.getStories(bare)))
        } else records.push(...(await store.getStories([...candidates])))
      }
      const engine = new Engine(resolved, at, { keys: keyHits, buckets: bucketHits, records, fingerprints })
      const outcomes = engine.run(items)
      const needed = engine.needed()
      if (needed.length > 0) engine.provide(await store.getStories(needed))
      return { records: engine.dirty(), outcomes }
    },
  }
}

/** The buckets these items probe, each once. */
function probesOf(items: Item[]): string[] {
  const out = new Set<string>()
  for (const item of items) for (const bucket of item.analysed.probes) out.add(bucket)
  return [...out]
}
