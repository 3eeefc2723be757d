/** What a batch starts from: the keys, buckets, records and fingerprints pre-fetched from a store, indexed. */
import { MAX_BUCKET_STORIES } from './candidates.js'
import type { StoryRecord } from './record.js'
import { adopted, type StoredFingerprint, type Working } from './working.js'

/** What the caller fetched from a store for a batch. */
export interface Prefetched {
  keys: Map<string, string>
  buckets: Map<string, string[]>
  /** Full records (stories found by exact key, and candidates when the store has no getFingerprints). */
  records: StoryRecord[]
  /** Fingerprints of near-duplicate candidates, by story id. */
  fingerprints: Map<string, StoredFingerprint>
}

/**
 * Fill a batch's `stories`, `keyIndex` and `bucketIndex` from `pre`: the stories that have a fingerprint or a record,
 * and the keys and buckets (of at most MAX_BUCKET_STORIES stories) that lead to them.
 */
export function loadPrefetched(
  pre: Prefetched,
  stories: Map<string, Working>,
  keyIndex: Map<string, string>,
  bucketIndex: Map<string, string[]>,
): void {
  const adopt = (id: string, fingerprint: unknown, record?: StoryRecord) => {
    const w = adopted(id, fingerprint, record)
    if (w) stories.set(id, w)
  }
  for (const record of pre.records) adopt(record.story.id, record.fingerprint, record)
  for (const [id, fingerprint] of pre.fingerprints) if (!stories.has(id)) adopt(id, fingerprint)
  for (const [key, id] of pre.keys) if (stories.has(id)) keyIndex.set(key, id)
  for (const [bucket, ids] of pre.buckets) {
    if (ids.length > MAX_BUCKET_STORIES) continue
    bucketIndex.set(
      bucket,
      ids.filter((id) => stories.has(id)),
    )
  }
}
