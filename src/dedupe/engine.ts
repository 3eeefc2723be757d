/** The matching engine of one batch: exact keys, then near-duplicate candidates from buckets, verified. */
import { copyKey } from '../internal/copy-key.js'
import { foldText } from '../normalize/index.js'
import type { Article, ArticleCredit, Story } from '../types.js'
import { compare, rewriteMatch } from './compare.js'
import { type Analysed, analyse, type CopyPrint, fromCopy, type Print } from './fingerprint.js'
import { creditDomain, creditName, foldHost, identityKeys, versionHash } from './keys.js'
import type { StoryRecord } from './record.js'
import type { ArticleOutcome, ResolvedDedupeOptions } from './types.js'

/** Fingerprints kept per story (the primary's and the first copies'): enough to recognise it, small to store. */
const MAX_PRINTS = 8
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

export interface StoredFingerprint {
  v: 1
  c: CopyPrint[]
}

export interface Item {
  article: Article
  analysed: Analysed
  identity: string[]
  content?: string
}

export function isFingerprint(value: unknown): value is StoredFingerprint {
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

interface CreditTarget {
  domain?: string
  name?: string
}

function creditTarget(credit: ArticleCredit | undefined): CreditTarget | undefined {
  if (!credit) return undefined
  const domain = creditDomain(credit)
  const name = foldText(creditName(credit))
  return { ...(domain ? { domain } : {}), ...(name.length >= 3 ? { name } : {}) }
}

function hostMatches(target: CreditTarget, host: string | undefined): boolean {
  return !!(target.domain && host && (host === target.domain || host.endsWith(`.${target.domain}`)))
}

function nameMatches(target: CreditTarget, folded: string | undefined): boolean {
  return !!(target.name && folded && (folded === target.name || folded.startsWith(`${target.name} `)))
}

/** Is `article` from the outlet `target` credits? */
function isFrom(target: CreditTarget, article: Article): boolean {
  if ([article.url, article.source.siteUrl, article.source.feedUrl].some((u) => hostMatches(target, foldHost(u)))) {
    return true
  }
  return nameMatches(target, article.source.title ? foldText(article.source.title) : undefined)
}

/** Is the copy behind `copy` from the outlet `target` credits? */
function isFromCopy(target: CreditTarget, copy: CopyPrint): boolean {
  return (copy.o ?? []).some((h) => hostMatches(target, h)) || nameMatches(target, copy.sn)
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

/** A figure bucket (`f:`, a pair of uncommon figures) counts as this many shared buckets: it is two facts at once. */
const FIGURE_WEIGHT = 2

/** Stories sharing at least MIN_SHARED_BUCKETS of `buckets` (buckets of more than MAX_BUCKET_STORIES are ignored). */
export function sharing(buckets: string[], lookup: (bucket: string) => Iterable<string> | undefined): string[] {
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

export function publishedMs(article: Article, fallback: number): number {
  const t = article.published instanceof Date ? article.published.getTime() : Number.NaN
  return Number.isFinite(t) ? t : fallback
}

/** A story while a batch is matched: its prints always; its record once loaded (or created here). */
interface Working {
  id: string
  record?: StoryRecord
  copies: CopyPrint[]
  /** `copies` decoded for compare(), each on first use. */
  prints: (Print | undefined)[]
  /** Articles that joined in this batch, in order. */
  added: Article[]
  /** Edited versions of known articles, by the known article's copyKey(). */
  replaced: Map<string, Article>
  keys: Set<string>
  buckets: Set<string>
  touched: boolean
}

export interface Prefetched {
  keys: Map<string, string>
  buckets: Map<string, string[]>
  /** Full records (stories found by exact key, and candidates when the store has no getFingerprints). */
  records: StoryRecord[]
  /** Fingerprints of near-duplicate candidates, by story id. */
  fingerprints: Map<string, StoredFingerprint>
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

  constructor(
    private readonly options: ResolvedDedupeOptions,
    private readonly now: Date,
    pre?: Prefetched,
  ) {
    if (!pre) return
    for (const record of pre.records) this.adopt(record.story.id, record.fingerprint, record)
    for (const [id, fingerprint] of pre.fingerprints) if (!this.stories.has(id)) this.adopt(id, fingerprint)
    for (const [key, id] of pre.keys) if (this.stories.has(id)) this.keyIndex.set(key, id)
    for (const [bucket, ids] of pre.buckets) {
      if (ids.length > MAX_BUCKET_STORIES) continue
      this.bucketIndex.set(
        bucket,
        ids.filter((id) => this.stories.has(id)),
      )
    }
  }

  private adopt(id: string, fingerprint: unknown, record?: StoryRecord) {
    let copies: CopyPrint[]
    if (isFingerprint(fingerprint)) copies = [...fingerprint.c]
    else if (record)
      copies = articlesOf(record.story)
        .slice(0, MAX_PRINTS)
        .map((a) => analyse(a).copy)
    else return
    this.stories.set(id, {
      id,
      ...(record ? { record } : {}),
      copies,
      prints: new Array(copies.length),
      added: [],
      replaced: new Map(),
      keys: new Set(),
      buckets: new Set(),
      touched: false,
    })
  }

  private index(id: string, keys: Iterable<string>, buckets: Iterable<string>) {
    for (const key of keys) if (!this.keyIndex.has(key)) this.keyIndex.set(key, id)
    for (const bucket of buckets) {
      const ids = this.bucketIndex.get(bucket)
      if (!ids) this.bucketIndex.set(bucket, [id])
      else if (!ids.includes(id)) ids.push(id)
    }
  }

  private touch(w: Working, keys: string[], buckets: string[]) {
    for (const k of keys) w.keys.add(k)
    for (const b of buckets) w.buckets.add(b)
    w.touched = true
    this.index(w.id, keys, buckets)
  }

  run(items: Item[]): ArticleOutcome[] {
    const outcomes: ArticleOutcome[] = new Array(items.length)
    const order = items
      .map((item, i) => ({ i, t: item.analysed.print.published }))
      .sort((a, b) => a.t - b.t || a.i - b.i)
    for (const { i } of order) outcomes[i] = this.one(items[i] as Item)
    return outcomes
  }

  /** The articles of a story as this batch knows them (stored ones with edits applied, then the ones added). */
  private current(w: Working): Article[] {
    const stored = w.record ? articlesOf(w.record.story).map((a) => w.replaced.get(copyKey(a)) ?? a) : []
    return [...stored, ...w.added.map((a) => w.replaced.get(copyKey(a)) ?? a)]
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
      const mine = new Set(item.identity)
      const known = this.current(w).find(
        (a) => a.source.id === article.source.id && (a.id === article.id || identityKeys(a).some((k) => mine.has(k))),
      )
      if (!known || this.placed.has(known)) return this.join(w, item, keys)
      if (versionHash(known) === versionHash(article)) return { storyId: w.id, kind: 'unchanged' }
      const copy = copyKey(known)
      const original = [...w.replaced].find(([, a]) => a === known)?.[0] ?? copy
      w.replaced.set(original, article)
      const at = w.copies.findIndex((c) => c.a === known.id)
      if (at >= 0) {
        w.copies[at] = analysed.copy
        w.prints[at] = analysed.print
      }
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
    const target = creditTarget(article.credit)
    let best: { w: Working; score: number } | undefined
    for (const id of sharing(analysed.probes, (bucket) => this.bucketIndex.get(bucket))) {
      const w = this.stories.get(id)
      if (!w) continue
      let score = 0
      for (let i = 0; i < w.copies.length; i++) {
        const copy = w.copies[i] as CopyPrint
        // the window, checked before decoding the print
        if (Math.abs(copy.p - analysed.print.published) > this.options.windowMs) continue
        let print = w.prints[i]
        if (!print) {
          print = fromCopy(copy)
          w.prints[i] = print
        }
        const sim = compare(analysed.print, print, this.options)
        let s = sim.guard
          ? 0
          : sim.containment >= this.options.containmentThreshold
            ? Math.max(sim.score, 1)
            : sim.score
        // a rewrite or summary (credited, or quoting the same uncommon figures): its own wording, the original's facts
        if (s < this.options.threshold && rewriteMatch(analysed.print, print, this.options)) {
          s = this.options.threshold
        }
        if (s > score) score = s
      }
      if (score === 0) continue
      if (target && w.copies.some((c) => isFromCopy(target, c))) score += this.options.creditBonus
      if (score >= this.options.threshold && (!best || score > best.score)) best = { w, score }
    }
    if (best) return this.join(best.w, item, keys)

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
    let id = article.id
    for (let n = 2; this.stories.has(id); n++) id = `${article.id}#${n}`
    // keys another story owns (a same body far outside the window) stay with that story
    const own = keys.filter((k) => !this.keyIndex.has(k))
    const record: StoryRecord = {
      story: { id, primary: article, duplicates: [] },
      keys: [],
      buckets: [],
      published: article.published,
      firstSeen: this.now,
      lastSeen: this.now,
    }
    const w: Working = {
      id,
      record,
      copies: [analysed.copy],
      prints: [analysed.print],
      added: [],
      replaced: new Map(),
      keys: new Set(),
      buckets: new Set(),
      touched: false,
    }
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

  private build(w: Working): StoryRecord {
    const all = this.current(w)
    const primary = choosePrimary(all)
    const base: StoryRecord = w.record ?? {
      // the story vanished meanwhile (pruned by another process): it starts again from what joined it
      story: { id: w.id, primary, duplicates: [] },
      keys: [],
      buckets: [],
      published: primary.published,
      firstSeen: this.now,
      lastSeen: this.now,
    }
    return {
      ...base,
      story: { id: w.id, primary, duplicates: all.filter((a) => a !== primary) },
      keys: [...new Set([...base.keys, ...w.keys])],
      buckets: [...new Set([...base.buckets, ...w.buckets])],
      fingerprint: { v: 1, c: w.copies } satisfies StoredFingerprint,
      published: primary.published,
      lastSeen: this.now,
    }
  }

  /** The records to write: every story created or changed by the batch. */
  dirty(): StoryRecord[] {
    return [...this.stories.values()].filter((w) => w.touched).map((w) => this.build(w))
  }

  /** Stories in the order they were created (dedupeArticles). */
  created(): Story[] {
    return this.order.map((id) => this.build(this.stories.get(id) as Working).story)
  }
}
