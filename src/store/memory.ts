import { StoreError } from '../errors.js'
import type { Story } from '../types.js'
import { cloneRecord, earlier, mergeRecords } from './codec.js'
import type { ListStoriesOptions, RunChanges, SourceState, StateStore, StoreTransaction, StoryRecord } from './types.js'

type Undo = () => void

/**
 * A StateStore in process memory: nothing survives the process. Useful for library use and tests. Transactions keep
 * an undo log, so a rollback restores the state as it was at `begin()`.
 */
export function createMemoryStore(): StateStore {
  const sources = new Map<string, SourceState>()
  const stories = new Map<string, StoryRecord>()
  const keyOwner = new Map<string, string>()
  const bucketStories = new Map<string, Set<string>>()
  const locks = new Map<string, { owner: string; expires: number }>()
  let undo: Undo[] | undefined
  let closed = false

  const check = () => {
    if (closed) throw new StoreError('ERR_STORE_UNAVAILABLE', 'Memory store is closed')
  }

  const setSource = (state: SourceState) => {
    const before = sources.get(state.key)
    sources.set(state.key, structuredClone(state))
    undo?.push(() => (before === undefined ? sources.delete(state.key) : sources.set(state.key, before)))
  }

  const setStory = (record: StoryRecord) => {
    const id = record.story.id
    const before = stories.get(id)
    stories.set(id, record)
    undo?.push(() => (before === undefined ? stories.delete(id) : stories.set(id, before)))
  }

  const addKey = (key: string, id: string) => {
    if (keyOwner.has(key)) return
    keyOwner.set(key, id)
    undo?.push(() => keyOwner.delete(key))
  }

  const addBucket = (bucket: string, id: string) => {
    let set = bucketStories.get(bucket)
    if (!set) {
      set = new Set()
      bucketStories.set(bucket, set)
    }
    if (set.has(id)) return
    set.add(id)
    const s = set
    undo?.push(() => s.delete(id))
  }

  const writeStory = (incoming: StoryRecord) => {
    const id = incoming.story.id
    const existing = stories.get(id)
    let record: StoryRecord
    if (existing === undefined) {
      const owner = incoming.keys.map((k) => keyOwner.get(k)).find((o) => o !== undefined && o !== id)
      const ownerRecord = owner === undefined ? undefined : stories.get(owner)
      record = ownerRecord ? mergeRecords(ownerRecord, cloneRecord(incoming)) : cloneRecord(incoming)
    } else {
      const copy = cloneRecord(incoming)
      record = {
        ...copy,
        keys: [...new Set([...existing.keys, ...copy.keys])],
        buckets: [...new Set([...existing.buckets, ...copy.buckets])],
        firstSeen: earlier(existing.firstSeen, copy.firstSeen),
      }
    }
    const rid = record.story.id
    setStory(record)
    for (const key of record.keys) addKey(key, rid)
    for (const bucket of record.buckets) addBucket(bucket, rid)
  }

  const removeStory = (id: string) => {
    const record = stories.get(id)
    if (!record) return
    stories.delete(id)
    const removedKeys: string[] = []
    for (const key of record.keys) {
      if (keyOwner.get(key) === id) {
        keyOwner.delete(key)
        removedKeys.push(key)
      }
    }
    const removedBuckets: Set<string>[] = []
    for (const bucket of record.buckets) {
      const set = bucketStories.get(bucket)
      if (set?.delete(id)) removedBuckets.push(set)
    }
    undo?.push(() => {
      stories.set(id, record)
      for (const key of removedKeys) keyOwner.set(key, id)
      for (const set of removedBuckets) set.add(id)
    })
  }

  return {
    kind: 'memory',
    async init() {
      check()
    },
    async close() {
      if (undo) {
        for (const u of undo.reverse()) u()
        undo = undefined
      }
      closed = true
    },

    async acquireLock(name, owner, ttlMs) {
      check()
      const now = Date.now()
      const held = locks.get(name)
      if (held && held.owner !== owner && held.expires > now) return false
      locks.set(name, { owner, expires: now + ttlMs })
      return true
    },
    async releaseLock(name, owner) {
      check()
      if (locks.get(name)?.owner === owner) locks.delete(name)
    },

    async getSourceStates(keys) {
      check()
      const out = new Map<string, SourceState>()
      for (const key of keys) {
        const state = sources.get(key)
        if (state) out.set(key, structuredClone(state))
      }
      return out
    },

    async findByKeys(keys) {
      check()
      const out = new Map<string, string>()
      for (const key of keys) {
        const id = keyOwner.get(key)
        if (id !== undefined) out.set(key, id)
      }
      return out
    },
    async findByBuckets(buckets, since, limit) {
      check()
      const out = new Map<string, string[]>()
      const min = since.getTime()
      for (const bucket of buckets) {
        const set = bucketStories.get(bucket)
        if (!set || out.has(bucket)) continue
        const ids = [...set].filter((id) => (stories.get(id)?.published.getTime() ?? -Infinity) >= min)
        if (limit !== undefined && ids.length > limit) ids.length = Math.max(0, Math.floor(limit))
        if (ids.length > 0) out.set(bucket, ids)
      }
      return out
    },
    async getStories(ids) {
      check()
      const out: StoryRecord[] = []
      for (const id of new Set(ids)) {
        const record = stories.get(id)
        if (record) out.push(cloneRecord(record))
      }
      return out
    },

    async getFingerprints(ids) {
      check()
      const out = new Map<string, unknown>()
      for (const id of ids) {
        const fingerprint = stories.get(id)?.fingerprint
        if (fingerprint !== undefined && !out.has(id)) out.set(id, structuredClone(fingerprint))
      }
      return out
    },

    async begin(): Promise<StoreTransaction> {
      check()
      if (undo) throw new StoreError('ERR_STORE_QUERY', 'A transaction is already open on this store')
      const log: Undo[] = []
      undo = log
      let open = true
      const ensureOpen = () => {
        check()
        if (!open) throw new StoreError('ERR_STORE_QUERY', 'The transaction is already finished')
      }
      return {
        async write(changes: RunChanges) {
          ensureOpen()
          for (const state of changes.sources ?? []) setSource(state)
          for (const record of changes.stories ?? []) writeStory(record)
        },
        async commit() {
          ensureOpen()
          open = false
          undo = undefined
        },
        async rollback() {
          if (!open) return
          open = false
          for (const u of log.reverse()) u()
          undo = undefined
        },
      }
    },

    listStories(options: ListStoriesOptions = {}): AsyncIterable<Story> {
      const limit = options.limit ?? 100
      const since = options.since?.getTime() ?? -Infinity
      return {
        async *[Symbol.asyncIterator]() {
          check()
          const selected = [...stories.values()]
            .filter((r) => r.published.getTime() >= since)
            .sort(
              (a, b) =>
                b.published.getTime() - a.published.getTime() ||
                (a.story.id < b.story.id ? -1 : a.story.id > b.story.id ? 1 : 0),
            )
            .slice(0, Math.max(0, limit))
          for (const record of selected) yield structuredClone(record.story)
        },
      }
    },

    async prunePages(before) {
      check()
      const min = before.getTime()
      let removed = 0
      for (const [key, state] of [...sources]) {
        if (!key.startsWith('page:') || state.page === undefined) continue
        if ((state.page.seenAt ?? state.page.lastAttemptAt ?? 0) < min) {
          sources.delete(key)
          removed++
        }
      }
      return removed
    },

    async prune(before) {
      check()
      const min = before.getTime()
      let removed = 0
      for (const [id, record] of [...stories]) {
        if (record.published.getTime() < min && record.lastSeen.getTime() < min) {
          removeStory(id)
          removed++
        }
      }
      return removed
    },
  }
}
