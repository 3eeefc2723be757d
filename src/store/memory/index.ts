/**
 * The memory store. Every store folder has one shape: index.ts (the factory), reads.ts, writes.ts, transaction.ts;
 * here tables.ts holds the maps and the undo log a rollback replays.
 */
import type { Story } from '../../types.js'
import type { ListStoriesOptions, StateStore, StoreTransaction } from '../types.js'
import { findByBuckets, findByKeys, getFingerprints, getSourceStates, getStories, listStories } from './reads.js'
import { MemoryTables } from './tables.js'
import { begin } from './transaction.js'
import { acquireLock, prune, prunePages, releaseLock } from './writes.js'

/**
 * A StateStore in process memory: nothing survives the process. Useful for library use and tests. Transactions keep
 * an undo log, so a rollback restores the state as it was at `begin()`.
 */
export function createMemoryStore(): StateStore {
  const tables = new MemoryTables()
  /** `fn` over the tables, refused once the store is closed. */
  const checked =
    <A extends unknown[], R>(fn: (tables: MemoryTables, ...args: A) => R) =>
    async (...args: A): Promise<R> => {
      tables.check()
      return fn(tables, ...args)
    }
  return {
    kind: 'memory',
    async init() {
      tables.check()
    },
    async close() {
      if (tables.undo) tables.rollBack(tables.undo)
      tables.closed = true
    },
    acquireLock: checked(acquireLock),
    releaseLock: checked(releaseLock),
    getSourceStates: checked(getSourceStates),
    findByKeys: checked(findByKeys),
    findByBuckets: checked(findByBuckets),
    getStories: checked(getStories),
    getFingerprints: checked(getFingerprints),
    async begin(): Promise<StoreTransaction> {
      return begin(tables)
    },
    listStories(options: ListStoriesOptions = {}): AsyncIterable<Story> {
      return listStories(tables, options)
    },
    prunePages: checked(prunePages),
    prune: checked(prune),
  }
}
