import { StoreError } from '../../errors.js'
import type { RunChanges, StoreTransaction } from '../types.js'
import { hash32, type OpenTransaction, type PgConnection, type PoolClient } from './connection.js'
import { ignore, toStoreError } from './errors.js'
import { writeChanges } from './writes.js'

/** The run's transaction on one dedicated connection; operations run one at a time, in call order. */
class PostgresTransaction implements StoreTransaction, OpenTransaction {
  private open = true
  private chain: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly conn: PgConnection,
    readonly client: PoolClient,
    private readonly done: () => void,
  ) {}

  /** One operation at a time on the connection, in call order. */
  private serial<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(async () => {
      if (!this.open) throw new StoreError('ERR_STORE_QUERY', `Cannot ${what}: the transaction is already finished`)
      try {
        return await fn()
      } catch (error) {
        throw toStoreError(error, what)
      }
    })
    this.chain = run.catch(() => {})
    return run
  }

  write(changes: RunChanges): Promise<void> {
    return this.serial('write', () => writeChanges(this.conn, this.client, changes))
  }

  lock(stripes: number[]): Promise<void> {
    if (stripes.length === 0) return Promise.resolve()
    return this.serial('lockKeys', async () => {
      await this.client.query('SELECT count(pg_advisory_xact_lock($1::int, h)) FROM unnest($2::int[]) AS h', [
        this.conn.ns,
        stripes,
      ])
    })
  }

  checkpoint(): Promise<void> {
    return this.serial('checkpoint', async () => {
      await this.client.query('COMMIT')
      await this.client.query('BEGIN')
    })
  }

  commit(): Promise<void> {
    return this.serial('commit', async () => {
      try {
        await this.client.query('COMMIT')
      } catch (error) {
        this.finish(true)
        throw error
      }
      this.finish(false)
    })
  }

  rollback(): Promise<void> {
    if (!this.open) return Promise.resolve()
    const run = this.chain.then(async () => {
      if (!this.open) return
      try {
        await this.client.query('ROLLBACK')
        this.finish(false)
      } catch {
        // The connection is gone: PostgreSQL has rolled back already.
        this.finish(true)
      }
    })
    this.chain = run
    return run
  }

  private finish(broken: boolean): void {
    if (!this.open) return
    this.open = false
    this.client.off('error', ignore)
    this.client.release(broken ? true : undefined)
    this.done()
  }
}

/**
 * Open the run's transaction on a dedicated connection: while it is open the store's reads go through it
 * (read-your-writes). `checkpoint()` commits the batch written so far and goes on; `commit()` ends it.
 */
export async function begin(conn: PgConnection): Promise<StoreTransaction> {
  await conn.init()
  if (conn.tx || conn.beginning) throw new StoreError('ERR_STORE_QUERY', 'A transaction is already open on this store')
  conn.beginning = true
  try {
    const pool = await conn.getPool()
    let client: PoolClient
    try {
      client = await pool.connect()
    } catch (error) {
      throw toStoreError(error, 'begin')
    }
    // A checked-out client that loses its connection emits 'error': without a listener that would crash the process.
    client.on('error', ignore)
    try {
      await client.query('BEGIN')
    } catch (error) {
      client.off('error', ignore)
      client.release(true)
      throw toStoreError(error, 'begin')
    }
    const tx = new PostgresTransaction(conn, client, () => {
      if (conn.tx === tx) conn.tx = undefined
    })
    conn.tx = tx
    return tx
  } finally {
    conn.beginning = false
  }
}

/**
 * Serialise dedupe across workers: transaction-scoped advisory locks on the stripes of these keys (sorted, in one
 * statement, so batches that each lock once before their checkpoint cannot deadlock).
 */
export async function lockKeys(conn: PgConnection, keys: string[]): Promise<void> {
  const tx = conn.tx
  if (!tx) throw new StoreError('ERR_STORE_QUERY', 'lockKeys needs an open transaction (begin() first)')
  await tx.lock(stripesOf(conn, keys))
}

function stripesOf(conn: PgConnection, keys: string[]): number[] {
  const set = new Set<number>()
  for (const key of keys) set.add((hash32(key) >>> 0) % conn.stripes)
  return [...set].sort((a, b) => a - b)
}
