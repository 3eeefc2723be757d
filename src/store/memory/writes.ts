import { mergeRecords, union } from '../../dedupe/record.js'
import { cloneRecord, earlier } from '../codec.js'
import type { StoryRecord } from '../types.js'
import type { MemoryTables } from './tables.js'

/** Upsert one story: keys and buckets add up, the earliest firstSeen stays; a new story whose keys another owns joins it. */
export function writeStory(tables: MemoryTables, incoming: StoryRecord): void {
  const id = incoming.story.id
  const existing = tables.stories.get(id)
  let record: StoryRecord
  if (existing === undefined) {
    const owner = incoming.keys.map((k) => tables.keyOwner.get(k)).find((o) => o !== undefined && o !== id)
    const ownerRecord = owner === undefined ? undefined : tables.stories.get(owner)
    record = ownerRecord ? mergeRecords(ownerRecord, cloneRecord(incoming)) : cloneRecord(incoming)
  } else {
    const copy = cloneRecord(incoming)
    record = {
      ...copy,
      keys: union(existing.keys, copy.keys),
      buckets: union(existing.buckets, copy.buckets),
      firstSeen: earlier(existing.firstSeen, copy.firstSeen),
    }
  }
  const rid = record.story.id
  tables.setStory(record)
  // (what the record held before is indexed already: only the incoming keys and buckets can be new)
  for (const key of incoming.keys) tables.addKey(key, rid)
  for (const bucket of incoming.buckets) tables.addBucket(bucket, rid)
}

export function prune(tables: MemoryTables, before: Date): number {
  const min = before.getTime()
  let removed = 0
  for (const [id, record] of [...tables.stories]) {
    if (record.published.getTime() < min && record.lastSeen.getTime() < min) {
      tables.removeStory(id)
      removed++
    }
  }
  return removed
}

/** Forget the page states (`page:<link>`) no feed has listed since `before`. */
export function prunePages(tables: MemoryTables, before: Date): number {
  const min = before.getTime()
  let removed = 0
  for (const [key, state] of [...tables.sources]) {
    if (!key.startsWith('page:') || state.page === undefined) continue
    if ((state.page.seenAt ?? state.page.lastAttemptAt ?? 0) < min) {
      tables.sources.delete(key)
      removed++
    }
  }
  return removed
}

export function acquireLock(tables: MemoryTables, name: string, owner: string, ttlMs: number): boolean {
  const now = Date.now()
  const held = tables.locks.get(name)
  if (held && held.owner !== owner && held.expires > now) return false
  tables.locks.set(name, { owner, expires: now + ttlMs })
  return true
}

export function releaseLock(tables: MemoryTables, name: string, owner: string): void {
  if (tables.locks.get(name)?.owner === owner) tables.locks.delete(name)
}
