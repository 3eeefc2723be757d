import type { Story } from '../../types.js'
import { clonePlain, cloneRecord } from '../codec.js'
import type { ListStoriesOptions, SourceState, StoryRecord } from '../types.js'
import type { MemoryTables } from './tables.js'

export function getSourceStates(tables: MemoryTables, keys: string[]): Map<string, SourceState> {
  const out = new Map<string, SourceState>()
  for (const key of keys) {
    const state = tables.sources.get(key)
    if (state) out.set(key, clonePlain(state))
  }
  return out
}

export function findByKeys(tables: MemoryTables, keys: string[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const key of keys) {
    const id = tables.keyOwner.get(key)
    if (id !== undefined) out.set(key, id)
  }
  return out
}

export function findByBuckets(
  tables: MemoryTables,
  buckets: string[],
  since: Date,
  limit: number | undefined,
): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const min = since.getTime()
  const max = limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(limit))
  for (const bucket of buckets) {
    const set = tables.bucketStories.get(bucket)
    if (!set || out.has(bucket)) continue
    const ids: string[] = []
    for (const id of set) {
      if (ids.length >= max) break
      const published = tables.stories.get(id)?.published.getTime()
      if (published !== undefined && published >= min) ids.push(id)
    }
    if (ids.length > 0) out.set(bucket, ids)
  }
  return out
}

export function getStories(tables: MemoryTables, ids: string[]): StoryRecord[] {
  const out: StoryRecord[] = []
  for (const id of new Set(ids)) {
    const record = tables.stories.get(id)
    if (record) out.push(cloneRecord(record))
  }
  return out
}

export function getFingerprints(tables: MemoryTables, ids: string[]): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const id of ids) {
    const fingerprint = tables.stories.get(id)?.fingerprint
    if (fingerprint !== undefined && !out.has(id)) out.set(id, clonePlain(fingerprint))
  }
  return out
}

/** Stories newest first (tie-break: id ascending), copies of what the store holds. */
export function listStories(tables: MemoryTables, options: ListStoriesOptions): AsyncIterable<Story> {
  const limit = options.limit ?? 100
  const since = options.since?.getTime() ?? -Infinity
  return {
    async *[Symbol.asyncIterator]() {
      tables.check()
      const selected = [...tables.stories.values()]
        .filter((r) => r.published.getTime() >= since)
        .sort(
          (a, b) =>
            b.published.getTime() - a.published.getTime() ||
            (a.story.id < b.story.id ? -1 : a.story.id > b.story.id ? 1 : 0),
        )
        .slice(0, Math.max(0, limit))
      for (const record of selected) yield clonePlain(record.story)
    },
  }
}
