import { StoreError } from '../../errors.js'
import type { RunChanges, StoreTransaction } from '../types.js'
import type { MemoryTables, Undo } from './tables.js'
import { writeStory } from './writes.js'

/** Open the one transaction: changes are applied at once and logged, so a rollback can take them back. */
export function begin(tables: MemoryTables): StoreTransaction {
  tables.check()
  if (tables.undo) throw new StoreError('ERR_STORE_QUERY', 'A transaction is already open on this store')
  const log: Undo[] = []
  tables.undo = log
  let open = true
  const ensureOpen = () => {
    tables.check()
    if (!open) throw new StoreError('ERR_STORE_QUERY', 'The transaction is already finished')
  }
  return {
    async write(changes: RunChanges) {
      ensureOpen()
      for (const state of changes.sources ?? []) tables.setSource(state)
      for (const record of changes.stories ?? []) writeStory(tables, record)
    },
    async commit() {
      ensureOpen()
      open = false
      tables.undo = undefined
    },
    async rollback() {
      if (!open) return
      open = false
      tables.rollBack(log)
    },
  }
}
