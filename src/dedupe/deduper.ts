import { foldText } from '../normalize/text.js'
import type { StateStore, StoryRecord } from '../store/types.js'
import type { Article, ArticleCredit, Story } from '../types.js'
import { type Analysed, analyse, type CopyPrint, compare, fromCopy, type Print } from './fingerprint.js'
import { contentKey, foldHost, identityKeys, versionHash } from './keys.js'
import { resolveDedupeOptions } from './options.js'
import type { ArticleOutcome, DedupeOptions, Deduper, DeduperOptions, ResolvedDedupeOptions } from './types.js'

/** Fingerprints kept per story (the primary's and the first copies'): enough to recognise it, small to store. */
const MAX_PRINTS = 8
/** A bucket shared by more stories than this says nothing (boilerplate); it is not used to find candidates. */
const MAX_BUCKET_STORIES = 64

interface StoredFingerprint {
  v: 1
  c: CopyPrint[]
}

interface Item {
  article: Article
  analysed: Analysed
  identity: string[]
  content?: string
}

interface Working {
  record: StoryRecord
  copies: CopyPrint[]
  prints: Print[]
  dirty: boolean
}

function isFingerprint(value: unknown): value is StoredFingerprint {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as StoredFingerprint).v === 1 &&
    Array.isArray((value as StoredFingerprint).c)
  )
}

function articlesOf(story: Story): Article[] {
  return [story.primary, ...story.duplicates]
}

const DOMAIN = /(?:[a-z0-9-]+\.)+(?:vn|com|net|org|info|gov|edu)\b/i

interface CreditTarget {
  domain?: string
  name?: string
}

function creditTarget(credit: ArticleCredit | undefined): CreditTarget | undefined {
  if (!credit) return undefined
  const domain = (credit.domain ?? DOMAIN.exec(credit.text)?.[0])?.toLowerCase().replace(/^(?:www\d*|m)\./, '')
  const name = foldText(credit.name ?? credit.text.replace(/^\s*\(?\s*(?:theo|nguồn|nguon)\s*:?\s*/i, ''))
  return { ...(domain ? { domain } : {}), ...(name.length >= 3 ? { name } : {}) }
}

/** Is `article` from the outlet `target` credits? */
function isFrom(target: CreditTarget, article: Article): boolean {
  if (target.domain) {
    for (const url of [article.url, article.source.siteUrl, article.source.feedUrl]) {
      const host = foldHost(url)
      if (host && (host === target.domain || host.endsWith(`.${target.domain}`))) return true
    }
  }
  if (target.name && article.source.title) {
    const title = foldText(article.source.title)
    if (title === target.name || title.startsWith(`${target.name} `)) return true
  }
  return false
}

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

function publishedMs(article: Article, fallback: number): number {
  const t = article.published instanceof Date ? article.published.getTime() : Number.NaN
  return Number.isFinite(t) ? t : fallback
}

/** The matching core: synchronous, over what the caller pre-fetched from a store (or nothing). */
class Engine {
  readonly stories = new Map<string, Working>()
  private readonly keyIndex = new Map<string, string>()
  private readonly bucketIndex = new Map<string, Set<string>>()
  private readonly order: string[] = []

  constructor(
    private readonly options: ResolvedDedupeOptions,
    private readonly now: Date,
    pre?: { keys: Map<string, string>; buckets: Map<string, string[]>; records: StoryRecord[] },
  ) {
    if (!pre) return
    for (const record of pre.records) this.adopt(record)
    for (const [key, id] of pre.keys) if (this.stories.has(id)) this.keyIndex.set(key, id)
    for (const [bucket, ids] of pre.buckets) {
      if (ids.length > MAX_BUCKET_STORIES) continue
      this.bucketIndex.set(bucket, new Set(ids.filter((id) => this.stories.has(id))))
    }
  }

  private adopt(record: StoryRecord) {
    let copies: CopyPrint[]
    if (isFingerprint(record.fingerprint)) copies = record.fingerprint.c
    else
      copies = articlesOf(record.story)
        .slice(0, MAX_PRINTS)
        .map((a) => analyse(a).copy)
    this.stories.set(record.story.id, { record, copies, prints: copies.map(fromCopy), dirty: false })
  }

  private index(id: string, keys: string[], buckets: string[]) {
    for (const key of keys) if (!this.keyIndex.has(key)) this.keyIndex.set(key, id)
    for (const bucket of buckets) {
      let set = this.bucketIndex.get(bucket)
      if (!set) {
        set = new Set()
        this.bucketIndex.set(bucket, set)
      }
      set.add(id)
    }
  }

  private touch(w: Working, keys: string[], buckets: string[]) {
    const record = w.record
    record.keys = [...new Set([...record.keys, ...keys])]
    record.buckets = [...new Set([...record.buckets, ...buckets])]
    record.fingerprint = { v: 1, c: w.copies } satisfies StoredFingerprint
    const all = articlesOf(record.story)
    const primary = choosePrimary(all)
    record.story.primary = primary
    record.story.duplicates = all.filter((a) => a !== primary)
    record.published = record.story.primary.published
    record.lastSeen = this.now
    w.dirty = true
    this.index(record.story.id, keys, buckets)
  }

  run(items: Item[]): ArticleOutcome[] {
    const outcomes: ArticleOutcome[] = new Array(items.length)
    const order = items
      .map((item, i) => ({ i, t: item.analysed.print.published }))
      .sort((a, b) => a.t - b.t || a.i - b.i)
    for (const { i } of order) outcomes[i] = this.one(items[i] as Item)
    return outcomes
  }

  private one(item: Item): ArticleOutcome {
    const { article, analysed } = item
    const keys = item.content ? [...item.identity, item.content] : item.identity

    // 1. the very article, seen before (guid, URL or id): unchanged or updated
    for (const key of item.identity) {
      const id = this.keyIndex.get(key)
      const w = id === undefined ? undefined : this.stories.get(id)
      if (!w) continue
      const copies = articlesOf(w.record.story)
      const mine = new Set(item.identity)
      const known = copies.find((a) => a.id === article.id || identityKeys(a).some((k) => mine.has(k)))
      if (!known) return this.join(w, item, keys)
      if (versionHash(known) === versionHash(article)) return { storyId: w.record.story.id, kind: 'unchanged' }
      const story = w.record.story
      if (story.primary === known) story.primary = article
      else story.duplicates = story.duplicates.map((a) => (a === known ? article : a))
      const at = w.copies.findIndex((c) => c.a === known.id)
      if (at >= 0) {
        w.copies[at] = analysed.copy
        w.prints[at] = analysed.print
      }
      this.touch(w, keys, analysed.buckets)
      return { storyId: story.id, kind: 'updated' }
    }

    // 2. the same body under another URL
    if (item.content) {
      const id = this.keyIndex.get(item.content)
      const w = id === undefined ? undefined : this.stories.get(id)
      const t = analysed.print.published
      if (w?.prints.some((p) => Math.abs(p.published - t) <= this.options.windowMs)) return this.join(w, item, keys)
    }

    // 3. a near-duplicate: candidates from the LSH and lead buckets, verified
    const candidates = new Set<string>()
    for (const bucket of analysed.buckets) for (const id of this.bucketIndex.get(bucket) ?? []) candidates.add(id)
    const target = creditTarget(article.credit)
    let best: { w: Working; score: number } | undefined
    for (const id of candidates) {
      const w = this.stories.get(id)
      if (!w) continue
      let score = 0
      for (const print of w.prints) {
        const sim = compare(analysed.print, print, this.options)
        if (sim.guard) continue
        const s = sim.containment >= this.options.containmentThreshold ? Math.max(sim.score, 1) : sim.score
        if (s > score) score = s
      }
      if (score === 0) continue
      if (target && articlesOf(w.record.story).some((a) => isFrom(target, a))) score += this.options.creditBonus
      if (score >= this.options.threshold && (!best || score > best.score)) best = { w, score }
    }
    if (best) return this.join(best.w, item, keys)

    // 4. a new story
    return this.create(item, keys)
  }

  private join(w: Working, item: Item, keys: string[]): ArticleOutcome {
    const story = w.record.story
    if (!articlesOf(story).some((a) => a.id === item.article.id)) story.duplicates.push(item.article)
    if (w.copies.length < MAX_PRINTS) {
      w.copies.push(item.analysed.copy)
      w.prints.push(item.analysed.print)
    }
    this.touch(w, keys, item.analysed.buckets)
    return { storyId: story.id, kind: 'duplicate' }
  }

  private create(item: Item, keys: string[]): ArticleOutcome {
    const { article, analysed } = item
    let id = article.id
    for (let n = 2; this.stories.has(id); n++) id = `${article.id}#${n}`
    // keys another story owns (a same body far outside the window) stay with that story
    const own = keys.filter((k) => !this.keyIndex.has(k))
    const record: StoryRecord = {
      story: { id, primary: article, duplicates: [] },
      keys: own,
      buckets: analysed.buckets,
      fingerprint: { v: 1, c: [analysed.copy] } satisfies StoredFingerprint,
      published: article.published,
      firstSeen: this.now,
      lastSeen: this.now,
    }
    this.stories.set(id, { record, copies: [analysed.copy], prints: [analysed.print], dirty: true })
    this.order.push(id)
    this.index(id, own, analysed.buckets)
    return { storyId: id, kind: 'new' }
  }

  dirty(): StoryRecord[] {
    return [...this.stories.values()].filter((w) => w.dirty).map((w) => w.record)
  }

  /** Stories in the order they were created. */
  created(): Story[] {
    return this.order.map((id) => (this.stories.get(id) as Working).record.story)
  }
}

function prepare(articles: Article[], options: ResolvedDedupeOptions, now: number): Item[] {
  return articles.map((original) => {
    const t = publishedMs(original, now)
    const article = t === original.published?.getTime?.() ? original : { ...original, published: new Date(t) }
    const analysed = analyse(article)
    const identity = [`i:${article.id}`, ...identityKeys(article)]
    const content = contentKey(analysed.body, analysed.print.words, Math.max(options.minWords, 20))
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
  return {
    async add(articles) {
      if (articles.length === 0) return { records: [], outcomes: [] }
      const at = now()
      const items = prepare(articles, resolved, at.getTime())
      const keys = [...new Set(items.flatMap((i) => (i.content ? [...i.identity, i.content] : i.identity)))]
      const buckets = [...new Set(items.flatMap((i) => i.analysed.buckets))]
      await store.lockKeys?.([...keys, ...buckets])
      const earliest = Math.min(...items.map((i) => i.analysed.print.published))
      const [keyHits, bucketHits] = await Promise.all([
        store.findByKeys(keys),
        store.findByBuckets(buckets, new Date(earliest - resolved.windowMs)),
      ])
      const ids = new Set(keyHits.values())
      for (const list of bucketHits.values()) if (list.length <= MAX_BUCKET_STORIES) for (const id of list) ids.add(id)
      const records = ids.size > 0 ? await store.getStories([...ids]) : []
      const engine = new Engine(resolved, at, { keys: keyHits, buckets: bucketHits, records })
      const outcomes = engine.run(items)
      return { records: engine.dirty(), outcomes }
    },
  }
}
