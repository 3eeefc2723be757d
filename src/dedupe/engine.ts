/** The matching engine of one batch: exact keys, then near-duplicate candidates from buckets, verified. */
import type { Article, Story } from '../types.js'
import { type BucketLookup, nearest } from './candidates.js'
import { versionHash } from './keys.js'
import { loadPrefetched, type Prefetched } from './prefetch.js'
import type { StoryRecord } from './record.js'
import { buildRecord, knownListing, replaceListing } from './story-build.js'
import type { ArticleOutcome, ResolvedDedupeOptions } from './types.js'
import { freeId, type Item, MAX_PRINTS, publishedOrder, started, type Working } from './working.js'

/** `article`'s published time in ms, or `fallback` when it has none (or an invalid one). */
export function publishedMs(article: Article, fallback: number): number {
  const t = article.published instanceof Date ? article.published.getTime() : Number.NaN
  return Number.isFinite(t) ? t : fallback
}

/**
 * The matching core: synchronous, over what the caller pre-fetched from a store (or nothing). Decisions use only
 * keys and fingerprints (and the articles of stories found by exact key); the full records of the stories that
 * articles joined are asked for afterwards (needed()) and given back (provide()) before dirty() builds the writes.
 */
export class Engine {
  readonly stories = new Map<string, Working>()
  private readonly keyIndex = new Map<string, string>()
  /** Stories by bucket (a bucket holds at most a few dozen: an array, not a Set, keeps the batch's garbage down). */
  private readonly bucketIndex = new Map<string, string[]>()
  private readonly order: string[] = []
  /** Articles this engine placed in a story (created or joined): a second listing of one of them is another copy. */
  private readonly placed = new Set<Article>()
  /** The candidate search's bucket lookup (one closure for the batch). */
  private readonly lookup: BucketLookup = (bucket) => this.bucketIndex.get(bucket)

  constructor(
    private readonly options: ResolvedDedupeOptions,
    private readonly now: Date,
    pre?: Prefetched,
  ) {
    if (pre) loadPrefetched(pre, this.stories, this.keyIndex, this.bucketIndex)
  }

  /** `w` changed: `keys` and `buckets` are its (and find it from now on, keys another story owns excepted). */
  private touch(w: Working, keys: string[], buckets: string[]) {
    for (const k of keys) w.keys.add(k)
    for (const b of buckets) w.buckets.add(b)
    w.touched = true
    for (const key of keys) if (!this.keyIndex.has(key)) this.keyIndex.set(key, w.id)
    for (const bucket of buckets) {
      const ids = this.bucketIndex.get(bucket)
      if (!ids) this.bucketIndex.set(bucket, [w.id])
      else if (!ids.includes(w.id)) ids.push(w.id)
    }
  }

  run(items: Item[]): ArticleOutcome[] {
    const outcomes: ArticleOutcome[] = new Array(items.length)
    for (const { i } of publishedOrder(items)) outcomes[i] = this.one(items[i] as Item)
    return outcomes
  }

  private one(item: Item): ArticleOutcome {
    const { article, analysed } = item
    const keys = item.content ? [...item.identity, item.content] : item.identity

    // 1. the same URL or guid: the very copy seen before (same feed; unchanged or updated), another listing of it
    //    in this input, or the same article carried by another feed (a copy)
    for (const key of item.identity) {
      const id = this.keyIndex.get(key)
      const w = id === undefined ? undefined : this.stories.get(id)
      if (!w) continue
      const known = knownListing(w, item)
      if (!known || this.placed.has(known)) return this.join(w, item, keys)
      if (versionHash(known) === versionHash(article)) return { storyId: w.id, kind: 'unchanged' }
      replaceListing(w, known, item)
      this.touch(w, keys, analysed.buckets)
      return { storyId: w.id, kind: 'updated' }
    }

    // 2. the same body under another URL
    if (item.content) {
      const id = this.keyIndex.get(item.content)
      const w = id === undefined ? undefined : this.stories.get(id)
      const t = analysed.print.published
      if (w?.copies.some((c) => Math.abs(c.p - t) <= this.options.windowMs)) return this.join(w, item, keys)
    }

    // 3. a near-duplicate: candidates from the LSH and lead buckets, verified
    const near = nearest(this.lookup, this.stories, item, this.options)
    if (near) return this.join(near, item, keys)

    // 4. a new story
    return this.create(item, keys)
  }

  private join(w: Working, item: Item, keys: string[]): ArticleOutcome {
    // every article given is listed once (a copy listed twice in the input is two copies; the very same object, one)
    if (!this.placed.has(item.article)) w.added.push(item.article)
    this.placed.add(item.article)
    if (w.copies.length < MAX_PRINTS) {
      w.copies.push(item.analysed.copy)
      w.prints.push(item.analysed.print)
    }
    this.touch(w, keys, item.analysed.buckets)
    return { storyId: w.id, kind: 'duplicate' }
  }

  private create(item: Item, keys: string[]): ArticleOutcome {
    const { article, analysed } = item
    const id = freeId(this.stories, article.id)
    // keys another story owns (a same body far outside the window) stay with that story
    const own = keys.filter((k) => !this.keyIndex.has(k))
    const w = started(id, item, this.now)
    this.stories.set(id, w)
    this.order.push(id)
    this.placed.add(article)
    this.touch(w, own, analysed.buckets)
    return { storyId: id, kind: 'new' }
  }

  /** Ids of touched stories whose full record is not loaded yet. */
  needed(): string[] {
    return [...this.stories.values()].filter((w) => w.touched && !w.record).map((w) => w.id)
  }

  provide(records: StoryRecord[]) {
    for (const record of records) {
      const w = this.stories.get(record.story.id)
      if (w && !w.record) w.record = record
    }
  }

  /** The records to write: every story created or changed by the batch. */
  dirty(): StoryRecord[] {
    return [...this.stories.values()].filter((w) => w.touched).map((w) => buildRecord(w, this.now))
  }

  /** Stories in the order they were created (dedupeArticles). */
  created(): Story[] {
    return this.order.map((id) => buildRecord(this.stories.get(id) as Working, this.now).story)
  }
}
