import { StoreError } from '../../errors.js'
import { clonePlain } from '../codec.js'
import type { SourceState, StoryRecord } from '../types.js'

export type Undo = () => void

/**
 * What the memory store holds, and the changes to it: while a transaction is open (`undo` set), every change pushes
 * the step that takes it back, so a rollback restores the state as it was at `begin()`.
 */
export class MemoryTables {
  readonly sources = new Map<string, SourceState>()
  readonly stories = new Map<string, StoryRecord>()
  readonly keyOwner = new Map<string, string>()
  readonly bucketStories = new Map<string, Set<string>>()
  readonly locks = new Map<string, { owner: string; expires: number }>()
  undo: Undo[] | undefined
  closed = false

  check(): void {
    if (this.closed) throw new StoreError('ERR_STORE_UNAVAILABLE', 'Memory store is closed')
  }

  setSource(state: SourceState): void {
    const before = this.sources.get(state.key)
    this.sources.set(state.key, clonePlain(state))
    this.undo?.push(() => (before === undefined ? this.sources.delete(state.key) : this.sources.set(state.key, before)))
  }

  setStory(record: StoryRecord): void {
    const id = record.story.id
    const before = this.stories.get(id)
    this.stories.set(id, record)
    this.undo?.push(() => (before === undefined ? this.stories.delete(id) : this.stories.set(id, before)))
  }

  addKey(key: string, id: string): void {
    if (this.keyOwner.has(key)) return
    this.keyOwner.set(key, id)
    this.undo?.push(() => this.keyOwner.delete(key))
  }

  addBucket(bucket: string, id: string): void {
    let set = this.bucketStories.get(bucket)
    if (!set) {
      set = new Set()
      this.bucketStories.set(bucket, set)
    }
    if (set.has(id)) return
    set.add(id)
    const s = set
    this.undo?.push(() => s.delete(id))
  }

  removeStory(id: string): void {
    const record = this.stories.get(id)
    if (!record) return
    this.stories.delete(id)
    const removedKeys: string[] = []
    for (const key of record.keys) {
      if (this.keyOwner.get(key) === id) {
        this.keyOwner.delete(key)
        removedKeys.push(key)
      }
    }
    const removedBuckets: Set<string>[] = []
    for (const bucket of record.buckets) {
      const set = this.bucketStories.get(bucket)
      if (set?.delete(id)) removedBuckets.push(set)
    }
    this.undo?.push(() => {
      this.stories.set(id, record)
      for (const key of removedKeys) this.keyOwner.set(key, id)
      for (const set of removedBuckets) set.add(id)
    })
  }

  /** Take back every change of the open transaction, newest first, and end it. */
  rollBack(log: Undo[]): void {
    for (const u of log.reverse()) u()
    this.undo = undefined
  }
}
