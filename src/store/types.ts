import type { StoryIndex, StoryRecord } from '../dedupe/record.js'
import type { ExtractedArticle } from '../extract/index.js'
import type { Article, SourceHealth, Story } from '../types.js'

export type { StoryIndex, StoryRecord }

/**
 * What is remembered about one feed between runs. Host-wide back-offs are stored under the key `host:<host>`.
 */
export interface SourceState {
  /** The source id (or `host:<host>` for a host-wide back-off). */
  key: string
  /** Where the feed lives now, after a permanent redirect (301/308). */
  url?: string
  /**
   * The config URL this state was recorded for. When the config's URL changes, fetch/ starts the source afresh
   * (ignores `url`, `gone`, validators and back-off).
   */
  sourceUrl?: string
  etag?: string
  lastModified?: string
  /** Hash of the last 200 body: an identical body is not processed again. */
  bodyHash?: string
  /** Do not fetch before this instant (a Retry-After that did not fit the run's retry budget). */
  retryAfterUntil?: Date
  /** 410 Gone: the source is retired until the config changes its URL. */
  gone?: boolean
  lastFetchedAt?: Date
  /** Last outcome status, for the report and operators. */
  lastStatus?: string
  /** Outputs only (see OutputState): stories in the file last written. */
  items?: number
  /** Outputs only (see OutputState): hash of the settings the file was last written with. */
  settingsHash?: string
  /**
   * Sources only: the earliest instant (epoch ms) a page of the feed's last processed body is due again (a failed
   * page's back-off ends, or the run's page budget left it out). A run past it asks for the feed's body without
   * validators and processes it even when unchanged, so those pages are retried and their items re-emitted.
   */
  pagesRetryAt?: number
  /** Article pages only (key `page:<item link>`): what fetching and extracting the page gave. */
  page?: PageState
  /** Sources only: attempts, successes, failures and new items across runs (see `tonghop status`). */
  health?: SourceHealth
  /** Hooks only (key `hook:<name>`): stories a failed call did not deliver, retried on the next run. */
  pending?: { id: string; change: 'new' | 'updated' }[]
}

/**
 * What is remembered about one output file, stored beside the source states under the key `output:<path>`: an
 * output whose stories and settings did not change since is not rendered again. (States written before this shape
 * kept the settings hash in `bodyHash`; the aggregator still reads it there.)
 */
export interface OutputState {
  key: `output:${string}`
  /** Hash of everything the file's bytes depend on besides the stories: its settings, the channel, the version. */
  settingsHash: string
  /** Stories in the file last written. */
  items: number
  /** When the file was last written. */
  lastFetchedAt?: Date
}

/**
 * An article page, as the store remembers it: a page is fetched at most once while it works (later runs rebuild the
 * article from the stored extraction), and a failed one is tried again after a back-off that doubles per failure.
 * Instants are epoch milliseconds (SourceState is stored as JSON).
 */
export interface PageState {
  status: 'ok' | 'failed'
  /** Fetches tried (successful or not). */
  attempts: number
  lastAttemptAt: number
  /** `failed`: not fetched again before this instant; absent once the page is given up. */
  nextAttemptAt?: number
  /** `failed`: the last error code (ERR_PAGE_*, ERR_FETCH_*, ERR_EXTRACT_*). */
  code?: string
  /**
   * When a feed last listed the link (refreshed at most once a day while it does): a state not seen for
   * `extract.keepPagesMs` is forgotten (StateStore.prunePages). Absent on states written before it existed.
   */
  seenAt?: number
  /** `ok`: the extracted article, enough to rebuild the item without fetching again. */
  extraction?: StoredExtraction
}

/** What extraction kept of a page (plain data): enough to rebuild its item, with the page's final URL. */
export type StoredExtraction = Omit<ExtractedArticle, 'textLength' | 'canonical'> & { url: string }

/** Changes written through a StoreTransaction; a run writes them in batches inside its one transaction. */
export interface RunChanges {
  sources?: SourceState[]
  /**
   * New or changed stories (upserted by story id; keys and buckets are added to what the story had; the earliest
   * `firstSeen` is kept; a key already owned by another story stays with that story).
   *
   * Conflicts (possible only with concurrent writers): when a record whose story id is NOT stored yet carries an
   * exact key that already belongs to a DIFFERENT stored story, the store keeps one story: the incoming record is
   * merged into the existing one — its primary and duplicates are appended to the existing story's `duplicates`
   * (articles already there, by source and id, are skipped), its keys and buckets are added to the existing story, and no story
   * with the incoming id is created. The existing story keeps its id, primary, `published` and `fingerprint`.
   * (`mergeRecords()` in src/dedupe/record.ts implements exactly this; the contract suite checks it.)
   */
  stories?: StoryRecord[]
  /**
   * The JSON of articles in `stories`, encoded ahead of the write, by article object (the feed worker's
   * `ProcessResult.json`): a store that keeps stories as JSON joins these strings instead of stringifying the
   * articles again. Each must equal `JSON.stringify(article)`; an article not in the map is stringified as usual.
   */
  articleJson?: ReadonlyMap<Article, string>
}

/**
 * A run's one transaction. While it is open, reads through the store (findByKeys, findByBuckets, getStories,
 * getSourceStates) see its writes; other processes see them only after commit. A crash or rollback before commit
 * leaves the previous state intact. One open transaction per store instance at a time.
 */
export interface StoreTransaction {
  write(changes: RunChanges): Promise<void>
  /**
   * Shared stores only: make what was written so far durable and visible to other workers, and release the key
   * locks (`lockKeys`); the transaction goes on. The aggregator calls it (when defined) after each batch, so a
   * shared store commits batch by batch (each batch atomic) instead of holding locks for the whole run; after a
   * crash, checkpointed batches stay. Stores without it keep the whole run in one transaction.
   */
  checkpoint?(): Promise<void>
  commit(): Promise<void>
  rollback(): Promise<void>
}

export interface ListStoriesOptions {
  /** Newest first by the primary's published date (tie-break: story id, ascending). @default 100 */
  limit?: number
  /** Only stories published at or after this instant. */
  since?: Date
}

/**
 * The state tonghop keeps between runs, shaped by what the pipeline needs. Every store passes the one contract
 * suite in tests/contract/. All methods may reject with a StoreError (`ERR_STORE_*`). The story lookups dedupe
 * makes (findByKeys, findByBuckets, getStories, getFingerprints, lockKeys) are dedupe's StoryIndex.
 */
export interface StateStore extends StoryIndex {
  /** 'memory' | 'sqlite' | 'postgres' | … */
  readonly kind: string
  /** Create or migrate the schema (idempotent; safe to call more than once). */
  init(): Promise<void>
  close(): Promise<void>

  /** Take a named lock (e.g. 'run') for `ttlMs`; false when another owner holds an unexpired one. */
  acquireLock(name: string, owner: string, ttlMs: number): Promise<boolean>
  releaseLock(name: string, owner: string): Promise<void>

  /** Remembered state for these keys (source ids or `host:<host>`); missing keys are absent from the map. */
  getSourceStates(keys: string[]): Promise<Map<string, SourceState>>

  /** Open the run's transaction (see StoreTransaction). */
  begin(): Promise<StoreTransaction>

  /** Stories newest first, for publishing. Streams: never loads more than it yields. */
  listStories(options?: ListStoriesOptions): AsyncIterable<Story>
  /**
   * Forget stories published before `before` and not seen (added to or updated) since then, with their keys and
   * buckets: an old story that a feed still carries stays. Returns how many were removed.
   */
  prune(before: Date): Promise<number>
  /**
   * Forget the page states (`page:<link>`) whose link no feed has listed since `before` (`page.seenAt`, else
   * `page.lastAttemptAt`). Returns how many were removed. Optional: a store without it keeps every page state.
   */
  prunePages?(before: Date): Promise<number>

  /**
   * Shared stores only (several workers): lease these source keys to `owner` for `leaseMs`; returns the keys it got
   * (not leased by another live owner). Stores without work sharing leave these undefined.
   */
  claimSources?(owner: string, keys: string[], leaseMs: number): Promise<string[]>
  releaseSources?(owner: string, keys: string[]): Promise<void>
}
