/**
 * The memory store. Every store folder has one shape: index.ts (the factory), reads.ts, writes.ts, transaction.ts;
 * here tables.ts holds the maps and the undo log a rollback replays.
 */
import type { Story } from '../../types.js'
import type { ListStoriesOptions, StateStore, StoreTransaction } from '../types.js'
import { findByBuckets, findByKeys, getFingerprints, getSourceStates, getStories, listStories } from './reads.js'
import { MemoryTables } from './tables.js'
import { begin } from './transaction.js'
import { acquireLock, prune } from './writes.js'

/**
 * A StateStore in process memory: nothing survives the process. Useful for library use and tests. Transactions keep
 * an undo log, so a rollback restores the state as it was at `begin()`.
 */
export function createMemoryStore(): StateStore {
  const tables = new MemoryTables()
  return {
    kind: 'memory',
    async init() {
      tables.check()
    },
    async close() {
      if (tables.undo) tables.rollBack(tables.undo)
      tables.closed = true
    },
    async acquireLock(name, owner, ttlMs) {
      tables.check()
      return acquireLock(tables, name, owner, ttlMs)
    },
    async releaseLock(name, owner) {
      tables.check()
      if (tables.locks.get(name)?.owner === owner) tables.locks.delete(name)
    },
    async getSourceStates(keys) {
      tables.check()
      return getSourceStates(tables, keys)
    },
    async findByKeys(keys) {
      tables.check()
      return findByKeys(tables, keys)
    },
    async findByBuckets(buckets, since, limit) {
      tables.check()
      return findByBuckets(tables, buckets, since, limit)
    },
    async getStories(ids) {
      tables.check()
      return getStories(tables, ids)
    },
    async getFingerprints(ids) {
      tables.check()
      return getFingerprints(tables, ids)
    },
    async begin(): Promise<StoreTransaction> {
      return begin(tables)
    },
    listStories(options: ListStoriesOptions = {}): AsyncIterable<Story> {
      return listStories(tables, options)
    },
    async prune(before) {
      tables.check()
      return prune(tables, before)
    },
  }
}
