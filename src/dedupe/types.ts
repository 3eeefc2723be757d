import type { Article } from '../types.js'
import type { StoryRecord } from './record.js'

export interface DedupeOptions {
  /** Only articles published within this many ms of each other can be copies of one story. @default 7 days */
  windowMs?: number
  /**
   * Score (0–1) at or above which two articles are the same story. The score is
   * `(1 - titleWeight) × max(body Jaccard, body containment) + titleWeight × title overlap`. @default 0.6
   */
  threshold?: number
  /**
   * Containment (0–1) at or above which an excerpt or trimmed copy joins its original, whatever the score: the share
   * of the shorter body's sampled shingles found in the longer one. @default 0.8
   */
  containmentThreshold?: number
  /** Bodies shorter than this many words are matched by exact keys only (never as near-duplicates). @default 12 */
  minWords?: number
  /** Weight of the title in the score. @default 0.2 */
  titleWeight?: number
  /**
   * Largest share of the shorter text's numbers (dates, prices, counts) that may be missing from the longer one:
   * templates that differ in numbers stay apart. @default 0.15
   */
  maxNumberMismatch?: number
  /** Largest share of the shorter body's named entities (two or more missing) that may be missing. @default 0.34 */
  maxEntityMismatch?: number
  /** Added to the score of a story carried by the outlet an article credits (`Theo X`). @default 0.1 */
  creditBonus?: number
  /**
   * A credited rewrite or summary (its credit names the outlet of a stored story: `Theo Báo Cần Thơ`) joins that
   * story on weaker text evidence — shared names, figures and title words, with the date, number and name guards held
   * — when it came at most this many ms after it. 0 turns credited-rewrite matching off. @default 3 days
   */
  rewriteWindowMs?: number
}

export type ResolvedDedupeOptions = Required<DedupeOptions>

/** What happened to one article in `Deduper.add()`. */
export interface ArticleOutcome {
  storyId: string
  /**
   * `new`: started a story; `duplicate`: joined an existing story as a copy from another outlet (or URL);
   * `updated`: an article already known (same guid or URL) whose title or body changed — its story was updated;
   * `unchanged`: already known, nothing changed.
   */
  kind: 'new' | 'updated' | 'duplicate' | 'unchanged'
}

export interface Deduper {
  /**
   * Match a batch against the store (and earlier batches of this run, which the caller has written through the
   * open transaction) and against itself. Returns the records to write (`tx.write({ stories: records })`) and one
   * outcome per article, in the order given.
   */
  add(articles: Article[], prepared?: PreparedArticles): Promise<{ records: StoryRecord[]; outcomes: ArticleOutcome[] }>
}

/**
 * The per-article half of `add()` (folding, fingerprints, keys), done ahead by `prepareArticles()` — in a worker
 * thread, say — and handed to `add()` with the same articles. Plain data: it survives `structuredClone`/postMessage.
 */
export interface PreparedArticles {
  readonly version: 1
  readonly minWords: number
  /** Opaque per-article data, in the order of the articles. */
  readonly items: readonly unknown[]
}

export interface DeduperOptions extends DedupeOptions {
  /** Clock for firstSeen / lastSeen. @default () => new Date() */
  now?: () => Date
}
