import type { Pool, PoolClient, QueryResultRow } from 'pg'
import { StoreError } from '../../errors.js'
import { toStoreError } from './errors.js'
import { migrate } from './migrations.js'

export type { Pool, PoolClient } from 'pg'

export type Queryable = Pick<PoolClient, 'query'>

/** What the store's parts need of the open transaction: its connection. */
export interface OpenTransaction {
  readonly client: PoolClient
  /** Take these advisory lock stripes until the transaction (or its current batch) ends. */
  lock(stripes: number[]): Promise<void>
  rollback(): Promise<void>
}

/** The resolved options a connection is made from (see resolveOptions in index.ts). */
export interface PgSettings {
  /** A caller's pool (left open on close), or undefined: the store makes its own from `connectionString`. */
  pool: Pool | undefined
  connectionString: string | undefined
  max: number
  schema: string
  stripes: number
}

/** FNV-1a over UTF-16 code units, as a signed 32-bit integer (an advisory lock key). */
export function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h | 0
}

/**
 * The store's pool (the caller's, or its own made on first use: `pg` is loaded only then), the migrated schema, and
 * the open transaction: reads go through it while it is open (read-your-writes), leases and locks never do.
 */
export class PgConnection {
  /** The quoted schema name (`"tonghop"`), for SQL text. */
  readonly s: string
  /** First key of the schema's advisory locks (migrations, key stripes). */
  readonly ns: number
  readonly stripes: number
  tx: OpenTransaction | undefined
  beginning = false
  closed = false
  private pool: Pool | undefined
  private readonly ownPool: boolean
  private readonly connectionString: string | undefined
  private readonly max: number
  private initializing: Promise<void> | undefined
  private poolCreating: Promise<Pool> | undefined

  constructor(settings: PgSettings) {
    this.pool = settings.pool
    this.ownPool = settings.pool === undefined
    this.connectionString = settings.connectionString
    this.max = settings.max
    this.s = `"${settings.schema}"`
    this.ns = hash32(`tonghop:${settings.schema}`)
    this.stripes = settings.stripes
  }

  async getPool(): Promise<Pool> {
    if (this.closed) throw new StoreError('ERR_STORE_UNAVAILABLE', 'The PostgreSQL store is closed')
    if (this.pool) return this.pool
    this.poolCreating ??= (async () => {
      let PoolClass: typeof Pool
      try {
        PoolClass = (await import('pg')).Pool
      } catch (error) {
        throw new StoreError(
          'ERR_STORE_UNAVAILABLE',
          'The PostgreSQL store needs the `pg` package, an optional peer dependency: npm install pg',
          { cause: error },
        )
      }
      const pool = new PoolClass({ connectionString: this.connectionString, max: this.max })
      // An idle connection that breaks (server restart) must not crash the process; the next query reconnects.
      pool.on('error', () => {})
      this.pool = pool
      return pool
    })()
    return this.poolCreating
  }

  /** Reads go through the open transaction (read-your-writes), else through the pool. */
  async read<R extends QueryResultRow>(what: string, text: string, values: unknown[] = []): Promise<R[]> {
    await this.init()
    const via: Queryable = this.tx?.client ?? (await this.getPool())
    try {
      return (await via.query<R>(text, values)).rows
    } catch (error) {
      throw toStoreError(error, what)
    }
  }

  /** Leases and locks always use the pool (autocommit): other workers must see them at once. */
  async shared<R extends QueryResultRow>(what: string, text: string, values: unknown[] = []): Promise<R[]> {
    await this.init()
    try {
      return (await (await this.getPool()).query<R>(text, values)).rows
    } catch (error) {
      throw toStoreError(error, what)
    }
  }

  init(): Promise<void> {
    if (this.closed) return Promise.reject(new StoreError('ERR_STORE_UNAVAILABLE', 'The PostgreSQL store is closed'))
    this.initializing ??= this.getPool()
      .then((pool) => migrate(pool, this.s, this.ns))
      .catch((error: unknown) => {
        this.initializing = undefined
        throw error
      })
    return this.initializing
  }

  async close(): Promise<void> {
    if (this.closed) return
    if (this.tx) await this.tx.rollback().catch(() => {})
    this.closed = true
    const pool = this.pool
    if (this.ownPool && pool) await pool.end().catch(() => {})
  }
}
