/**
 * What dedupe keeps of a story in a store, the lookups it makes there, and its merge policy for two records of one
 * story. store/ comes after dedupe/ in the data flow and imports these (as it imports extract/'s types); dedupe/
 * imports nothing from store/.
 */
import { copyKey } from '../internal/copy-key.js'
import type { Story } from '../types.js'

/** A story as stored: the Story plus what dedupe needs to find it again. */
export interface StoryRecord {
  story: Story
  /** Exact keys of every copy (guid, folded URL, body hash …): any of them finds the story. */
  keys: string[]
  /** Near-duplicate signature buckets (LSH bands) of every copy. */
  buckets: string[]
  /** Opaque, JSON-serialisable data dedupe keeps per story (signatures, folded title …). */
  fingerprint?: unknown
  /** The primary's published instant: pruning and time windows use it. */
  published: Date
  firstSeen: Date
  lastSeen: Date
}

/**
 * The story lookups dedupe makes, batched; a StateStore provides them (see StateStore for the rest). Stories are
 * StoryRecords; missing keys, buckets and ids are left out of the answers.
 */
export interface StoryIndex {
  /** Batched exact-key lookup: key → story id, for the keys any stored story has. */
  findByKeys(keys: string[]): Promise<Map<string, string>>
  /**
   * Batched bucket lookup: bucket → story ids, for stories whose primary was published at or after `since`. With
   * `limit`, a bucket's list stops at that many ids (which ones is up to the store): dedupe asks for one more than it
   * uses, since a bucket that many stories share says nothing (a store that ignores `limit` is still correct, only
   * slower). Buckets no story has are left out.
   */
  findByBuckets(buckets: string[], since: Date, limit?: number): Promise<Map<string, string[]>>
  /** Stored stories by id (missing ids are left out). */
  getStories(ids: string[]): Promise<StoryRecord[]>
  /**
   * Optional, for speed: only the `fingerprint` of these stories (ids without a stored fingerprint, or missing, are
   * left out). Dedupe verifies its near-duplicate candidates with these and loads with getStories() only the stories
   * it joins; without this method it loads every candidate with getStories().
   */
  getFingerprints?(ids: string[]): Promise<Map<string, unknown>>

  /**
   * Shared stores only: serialise dedupe across workers. The deduper calls it (when defined) inside the open
   * transaction with the exact keys and buckets of a batch, before looking them up; the store holds the locks until
   * the transaction ends, so two workers seeing copies of one story at the same moment end with one story.
   */
  lockKeys?(keys: string[]): Promise<void>
}

/**
 * The merge a store applies when a NEW story's exact keys already belong to a different stored story (only possible
 * with concurrent writers): the incoming story's copies become duplicates of the existing story (articles already
 * there, by source and id, are skipped), its keys and buckets are added to it, and no story with the incoming id is created.
 * The existing story keeps its id, primary, published date and fingerprint.
 */
export function mergeRecords(existing: StoryRecord, incoming: StoryRecord): StoryRecord {
  const seen = new Set([existing.story.primary, ...existing.story.duplicates].map(copyKey))
  const added = [incoming.story.primary, ...incoming.story.duplicates].filter((a) => {
    const key = copyKey(a)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return {
    ...existing,
    story: { ...existing.story, duplicates: [...existing.story.duplicates, ...added] },
    keys: union(existing.keys, incoming.keys),
    buckets: union(existing.buckets, incoming.buckets),
    firstSeen: incoming.firstSeen.getTime() < existing.firstSeen.getTime() ? incoming.firstSeen : existing.firstSeen,
    lastSeen: incoming.lastSeen.getTime() > existing.lastSeen.getTime() ? incoming.lastSeen : existing.lastSeen,
  }
}

/** How a story's keys or buckets add up: the stored ones, then the added ones it lacks, each once, in that order. */
export function union(stored: readonly string[], added: Iterable<string>): string[] {
  const out = new Set(stored)
  for (const value of added) out.add(value)
  return [...out]
}
