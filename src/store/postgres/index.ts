/**
 * The PostgreSQL store. Every store folder has one shape: index.ts (the factory), reads.ts, writes.ts, transaction.ts
 * (here with `lockKeys`); here also connection.ts (the pool, read-your-writes, init; the one file that imports `pg`),
 * errors.ts (pg codes → ERR_STORE_*), migrations.ts (the versioned schema) and leases.ts (locks and source leases).
 */
import { ConfigError } from '../../errors.js'
import type { Story } from '../../types.js'
import type { ListStoriesOptions, StateStore, StoreTransaction } from '../types.js'
import { PgConnection, type PgSettings, type Pool } from './connection.js'
import { acquireLock, claimSources, releaseLock, releaseSources } from './leases.js'
import { findByBuckets, findByKeys, getSourceStates, getStories, listStories } from './reads.js'
import { begin, lockKeys } from './transaction.js'
import { prune, prunePages } from './writes.js'

interface PostgresStoreCommonOptions {
  /**
   * Schema holding tonghop's tables; created on `init()` when missing (the role needs CREATE on the database then).
   * Letters, digits and `_`. @default 'tonghop'
   */
  schema?: string
  /**
   * `lockKeys` maps keys onto this many transaction-scoped advisory locks (one namespace per schema). Fewer stripes
   * means more unrelated batches wait for each other; more means more entries in PostgreSQL's shared lock table
   * (at most this many per open batch; see `max_locks_per_transaction`). @default 1024
   */
  lockStripes?: number
}

export type PostgresStoreOptions = PostgresStoreCommonOptions &
  (
    | {
        /** A `pg` Pool the caller configures and owns: `close()` leaves it open. */
        pool: Pool
        connectionString?: never
      }
    | {
        /**
         * `postgres://user:password@host:port/database`: the store creates its own pool and ends it on `close()`.
         * A `schema` query parameter (`…/db?schema=tonghop_prod`) stands for the `schema` option.
         */
        connectionString: string
        pool?: never
        /** Connections of the store's own pool. A run uses one for its transaction plus one for leases. @default 10 */
        max?: number
      }
  )

const DEFAULT_SCHEMA = 'tonghop'
const DEFAULT_STRIPES = 1024

/** Take a `schema` query parameter out of a connection string (pg would not know it). */
function splitSchemaParam(connectionString: string): { connectionString: string; schema?: string } {
  if (!/[?&]schema=/.test(connectionString)) return { connectionString }
  let url: URL
  try {
    url = new URL(connectionString)
  } catch {
    return { connectionString }
  }
  const schema = url.searchParams.get('schema') ?? undefined
  url.searchParams.delete('schema')
  return { connectionString: url.toString(), ...(schema === undefined ? {} : { schema }) }
}

/** Check the options (ConfigError on the first one wrong) and settle the defaults. */
function resolveOptions(options: PostgresStoreOptions): PgSettings {
  const o = (options ?? {}) as PostgresStoreCommonOptions & { pool?: Pool; connectionString?: string; max?: number }
  if ((o.pool === undefined) === (o.connectionString === undefined)) {
    throw new ConfigError(
      'ERR_CONFIG_INVALID',
      'Expected exactly one of `pool` or `connectionString` for the PostgreSQL store',
    )
  }
  if (o.connectionString !== undefined && (typeof o.connectionString !== 'string' || o.connectionString === '')) {
    throw new ConfigError('ERR_CONFIG_INVALID', 'Expected `connectionString` to be a postgres:// URL', {
      path: 'store.postgres',
    })
  }
  // `?schema=name` in the connection string picks the schema (handy on the CLI: `--store postgres://…?schema=x`).
  const split = o.connectionString === undefined ? undefined : splitSchemaParam(o.connectionString)
  const schema = o.schema ?? split?.schema ?? DEFAULT_SCHEMA
  if (typeof schema !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError(
      'ERR_CONFIG_INVALID',
      `Expected \`schema\` to be letters, digits and _ (at most 63, not starting with a digit), got \`${String(schema)}\``,
    )
  }
  const stripes = o.lockStripes ?? DEFAULT_STRIPES
  if (!Number.isInteger(stripes) || stripes < 1 || stripes > 1 << 20) {
    throw new ConfigError(
      'ERR_CONFIG_INVALID',
      `Expected \`lockStripes\` to be an integer from 1 to 1048576, got \`${stripes}\``,
    )
  }
  const max = o.max ?? 10
  if (!Number.isInteger(max) || max < 2) {
    throw new ConfigError('ERR_CONFIG_INVALID', `Expected \`max\` to be an integer ≥ 2, got \`${max}\``)
  }
  return { pool: o.pool, connectionString: split?.connectionString, max, schema, stripes }
}

/**
 * A StateStore in PostgreSQL, for several workers (processes, machines) sharing one aggregation.
 *
 * - **Transactions**: `begin()` takes a dedicated connection; while the transaction is open the store's reads go
 *   through it (read-your-writes). `checkpoint()` commits the batch written so far and goes on (each batch atomic,
 *   key locks held for one batch only); `commit()` ends it. A crash or `rollback()` loses only what was not
 *   checkpointed or committed.
 * - **Work sharing**: `claimSources` leases source keys to one owner with an expiry (an UPSERT that takes a row only
 *   when it is free, expired or already the owner's); an expired lease is taken over. HTTP validators, back-offs
 *   and permanent redirects live in the shared source states.
 * - **Dedupe across workers**: `lockKeys` takes transaction-scoped advisory locks (striped, sorted, in one
 *   statement, so batches that each lock once before their checkpoint cannot deadlock) and every exact key has one owner (a primary key). A NEW story
 *   whose exact keys already belong to another story — two workers that raced without `lockKeys` — is merged into
 *   that story (its copies become duplicates; see `mergeRecords`) and its id becomes an alias of it, so later writes
 *   under the old id land in the same story.
 * - **Locks** (`acquireLock('publish', …)`) are rows with an expiry, judged by the database clock (one clock for
 *   every worker).
 */
export function createPostgresStore(options: PostgresStoreOptions): StateStore {
  const conn = new PgConnection(resolveOptions(options))
  return {
    kind: 'postgres',
    init: () => conn.init(),
    close: () => conn.close(),
    acquireLock: (name, owner, ttlMs) => acquireLock(conn, name, owner, ttlMs),
    releaseLock: (name, owner) => releaseLock(conn, name, owner),
    claimSources: (owner, keys, leaseMs) => claimSources(conn, owner, keys, leaseMs),
    releaseSources: (owner, keys) => releaseSources(conn, owner, keys),
    lockKeys: (keys) => lockKeys(conn, keys),
    getSourceStates: (keys) => getSourceStates(conn, keys),
    findByKeys: (keys) => findByKeys(conn, keys),
    findByBuckets: (buckets, since, limit) => findByBuckets(conn, buckets, since, limit),
    getStories: (ids) => getStories(conn, ids),
    begin: (): Promise<StoreTransaction> => begin(conn),
    listStories: (options: ListStoriesOptions = {}): AsyncIterable<Story> => listStories(conn, options),
    prunePages: (before) => prunePages(conn, before),
    prune: (before) => prune(conn, before),
  }
}
