import { statSync } from 'node:fs'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { StoreError } from '../../errors.js'
import { storeError } from './errors.js'
import { migrate } from './migrations.js'

/** The default page cache: a twelfth of the file, within 64–256 MiB (see SqliteStoreOptions.cacheKiB). */
export function defaultCacheKiB(path: string): number {
  let bytes = 0
  try {
    if (path !== ':memory:') bytes = statSync(path).size
  } catch {}
  return Math.min(262_144, Math.max(65_536, Math.round(bytes / 12 / 1024)))
}

/**
 * The store's one connection, opened (and migrated) on first use, with its prepared statements and the state of
 * the run's transaction: the parts of the store (reads, writes, lookup filters, transaction) all work through it.
 */
export class SqliteConnection {
  readonly path: string
  private readonly busyTimeout: number
  private readonly cacheKiB: number
  private db: DatabaseSync | undefined
  private readonly statements = new Map<string, StatementSync>()
  closed = false
  inTransaction = false

  constructor(path: string, busyTimeout: number, cacheKiB: number) {
    this.path = path
    this.busyTimeout = busyTimeout
    this.cacheKiB = cacheKiB
  }

  /** Run `fn`, turning what node:sqlite throws into a StoreError. */
  guard<T>(what: string, fn: () => T): T {
    try {
      return fn()
    } catch (error) {
      throw storeError(error, what, this.path)
    }
  }

  open(): DatabaseSync {
    const { path } = this
    if (this.closed) throw new StoreError('ERR_STORE_UNAVAILABLE', `SQLite store is closed: ${path}`, { url: path })
    if (this.db) return this.db
    let handle: DatabaseSync
    try {
      handle = new DatabaseSync(path)
    } catch (error) {
      throw storeError(error, 'open', path, 'ERR_STORE_UNAVAILABLE')
    }
    try {
      handle.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(this.busyTimeout))}`)
      handle.exec('PRAGMA journal_mode = WAL')
      handle.exec('PRAGMA synchronous = NORMAL')
      handle.exec(`PRAGMA cache_size = -${Math.max(0, Math.floor(this.cacheKiB))}`)
      migrate(handle, path)
    } catch (error) {
      handle.close()
      throw storeError(error, 'open', path, 'ERR_STORE_UNAVAILABLE')
    }
    this.db = handle
    return handle
  }

  /** A prepared statement, prepared once per connection. */
  stmt(sql: string): StatementSync {
    let s = this.statements.get(sql)
    if (!s) {
      s = this.open().prepare(sql)
      this.statements.set(sql, s)
    }
    return s
  }

  /** PRAGMA data_version: changes when another connection commits. */
  dataVersion(): number {
    return (this.stmt('PRAGMA data_version').get() as { data_version: number }).data_version
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    const db = this.db
    if (!db) return
    try {
      if (this.inTransaction) db.exec('ROLLBACK')
    } finally {
      this.statements.clear()
      db.close()
      this.db = undefined
    }
  }
}
