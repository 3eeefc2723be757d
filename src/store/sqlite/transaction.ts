import { StoreError } from '../../errors.js'
import type { RunChanges, StoreTransaction } from '../types.js'
import type { SqliteConnection } from './connection.js'
import type { StoreFilters } from './lookup-filter.js'
import { mergeBuckets, writeSource, writeStories } from './writes.js'

/**
 * The run's one transaction (`BEGIN IMMEDIATE` … `COMMIT`) on the store's connection: reads made while it is open
 * see its writes. The commit merges the recent bucket rows when due and saves the lookup filters with the data.
 */
export function begin(conn: SqliteConnection, filters: StoreFilters, mergeRows: number): StoreTransaction {
  const { path } = conn
  if (conn.inTransaction)
    throw new StoreError('ERR_STORE_QUERY', `A transaction is already open on this store: ${path}`)
  conn.guard('begin', () => {
    conn.open().exec('BEGIN IMMEDIATE')
    for (const f of filters.all) f.refresh()
  })
  conn.inTransaction = true
  let finished = false
  const ensureOpen = () => {
    if (finished || conn.closed) throw new StoreError('ERR_STORE_QUERY', `The transaction is already finished: ${path}`)
  }
  return {
    async write(changes: RunChanges) {
      ensureOpen()
      conn.guard('write', () => {
        for (const state of changes.sources ?? []) writeSource(conn, state)
        writeStories(conn, filters, changes.stories ?? [], changes.articleJson)
      })
    },
    async commit() {
      ensureOpen()
      conn.guard('commit', () => {
        mergeBuckets(conn, mergeRows)
        for (const f of filters.all) f.save()
        conn.open().exec('COMMIT')
      })
      finished = true
      conn.inTransaction = false
    },
    async rollback() {
      if (finished || conn.closed) return
      finished = true
      conn.inTransaction = false
      for (const f of filters.all) f.forget()
      conn.guard('rollback', () => conn.open().exec('ROLLBACK'))
    },
  }
}
