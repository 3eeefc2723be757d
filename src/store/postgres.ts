import type { Pool, PoolClient, QueryResultRow } from 'pg'
import { ConfigError, type ErrorCode, StoreError } from '../errors.js'
import type { Story } from '../types.js'
import { decodeSourceState, decodeStory, encodeSourceState, encodeStory, mergeRecords } from './codec.js'
import { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION, postgresMigrationsTable } from './sql/postgres.js'
import type { ListStoriesOptions, RunChanges, SourceState, StateStore, StoreTransaction, StoryRecord } from './types.js'

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
/** Second key of the session advisory lock taken around migrations (stripes are ≥ 0). */
const MIGRATION_LOCK = -1
/** Rows per page when listStories streams. */
const PAGE = 100

type Queryable = Pick<PoolClient, 'query'>

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
  return new PostgresStore(options)
}

class PostgresStore implements StateStore {
  readonly kind = 'postgres'
  private pool: Pool | undefined
  private readonly ownPool: boolean
  private readonly connectionString: string | undefined
  private readonly max: number
  private readonly s: string
  private readonly ns: number
  private readonly stripes: number
  private initializing: Promise<void> | undefined
  private poolCreating: Promise<Pool> | undefined
  private tx: PostgresTransaction | undefined
  private beginning = false
  private closed = false

  constructor(options: PostgresStoreOptions) {
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
    this.pool = o.pool
    this.ownPool = o.pool === undefined
    this.connectionString = split?.connectionString
    this.max = max
    this.s = `"${schema}"`
    this.ns = hash32(`tonghop:${schema}`)
    this.stripes = stripes
  }

  // ---- plumbing ---------------------------------------------------------------------------------------------------

  private async getPool(): Promise<Pool> {
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
  private async read<R extends QueryResultRow>(what: string, text: string, values: unknown[] = []): Promise<R[]> {
    await this.init()
    const via: Queryable = this.tx?.client ?? (await this.getPool())
    try {
      return (await via.query<R>(text, values)).rows
    } catch (error) {
      throw toStoreError(error, what)
    }
  }

  /** Leases and locks always use the pool (autocommit): other workers must see them at once. */
  private async shared<R extends QueryResultRow>(what: string, text: string, values: unknown[] = []): Promise<R[]> {
    await this.init()
    try {
      return (await (await this.getPool()).query<R>(text, values)).rows
    } catch (error) {
      throw toStoreError(error, what)
    }
  }

  // ---- lifecycle --------------------------------------------------------------------------------------------------

  init(): Promise<void> {
    if (this.closed) return Promise.reject(new StoreError('ERR_STORE_UNAVAILABLE', 'The PostgreSQL store is closed'))
    this.initializing ??= this.migrate().catch((error: unknown) => {
      this.initializing = undefined
      throw error
    })
    return this.initializing
  }

  /** Migrations under a session advisory lock: several processes may start at once; one migrates, the others wait. */
  private async migrate(): Promise<void> {
    const pool = await this.getPool()
    let client: PoolClient
    try {
      client = await pool.connect()
    } catch (error) {
      throw toStoreError(error, 'connect')
    }
    client.on('error', ignore)
    let broken: unknown
    try {
      await client.query('SELECT pg_advisory_lock($1::int, $2::int)', [this.ns, MIGRATION_LOCK])
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.s}`)
        await client.query(postgresMigrationsTable(this.s))
        const [row] = (
          await client.query<{ v: number }>(
            `SELECT coalesce(max(version), 0)::int AS v FROM ${this.s}.schema_migrations`,
          )
        ).rows
        const current = row?.v ?? 0
        if (current > POSTGRES_SCHEMA_VERSION) {
          throw new StoreError(
            'ERR_STORE_SCHEMA',
            `PostgreSQL schema ${this.s} is at version ${current}, newer than this tonghop knows (${POSTGRES_SCHEMA_VERSION}): upgrade tonghop`,
          )
        }
        for (const migration of POSTGRES_MIGRATIONS) {
          if (migration.version <= current) continue
          await client.query('BEGIN')
          try {
            await client.query(migration.sql(this.s))
            await client.query(`INSERT INTO ${this.s}.schema_migrations (version, name) VALUES ($1, $2)`, [
              migration.version,
              migration.name,
            ])
            await client.query('COMMIT')
          } catch (error) {
            await client.query('ROLLBACK').catch(() => {})
            throw toStoreError(error, `migration ${migration.version} (${migration.name})`, 'ERR_STORE_SCHEMA')
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::int, $2::int)', [this.ns, MIGRATION_LOCK]).catch(() => {})
      }
    } catch (error) {
      broken = error
      throw toStoreError(error, 'init')
    } finally {
      client.off('error', ignore)
      client.release(broken === undefined ? undefined : true)
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    if (this.tx) await this.tx.rollback().catch(() => {})
    this.closed = true
    const pool = this.pool
    if (this.ownPool && pool) await pool.end().catch(() => {})
  }

  // ---- locks and leases -------------------------------------------------------------------------------------------

  async acquireLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    checkMs('ttlMs', ttlMs)
    const rows = await this.shared(
      'acquireLock',
      `INSERT INTO ${this.s}.locks AS l (name, owner, expires_at)
       VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
       WHERE l.owner = EXCLUDED.owner OR l.expires_at <= clock_timestamp()
       RETURNING name`,
      [name, owner, ttlMs],
    )
    return rows.length === 1
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.shared('releaseLock', `DELETE FROM ${this.s}.locks WHERE name = $1 AND owner = $2`, [name, owner])
  }

  async claimSources(owner: string, keys: string[], leaseMs: number): Promise<string[]> {
    checkMs('leaseMs', leaseMs)
    if (keys.length === 0) return []
    // Sorted: concurrent claims lock rows in one order and cannot deadlock. The WHERE of DO UPDATE is re-checked on
    // the latest row version after waiting, so two claims of one key never both succeed.
    const rows = await this.shared<{ key: string }>(
      'claimSources',
      `INSERT INTO ${this.s}.source_leases AS l (key, owner, expires_at)
       SELECT k, $2, clock_timestamp() + $3 * interval '1 millisecond' FROM unnest($1::text[]) AS k
       ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
       WHERE l.owner = EXCLUDED.owner OR l.expires_at <= clock_timestamp()
       RETURNING key`,
      [[...new Set(keys)].sort(), owner, leaseMs],
    )
    const got = new Set(rows.map((r) => r.key))
    return [...new Set(keys)].filter((k) => got.has(k))
  }

  async releaseSources(owner: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return
    await this.shared(
      'releaseSources',
      `DELETE FROM ${this.s}.source_leases WHERE owner = $1 AND key = ANY($2::text[])`,
      [owner, keys],
    )
  }

  async lockKeys(keys: string[]): Promise<void> {
    const tx = this.tx
    if (!tx) throw new StoreError('ERR_STORE_QUERY', 'lockKeys needs an open transaction (begin() first)')
    await tx.lock(this.stripesOf(keys))
  }

  private stripesOf(keys: string[]): number[] {
    const set = new Set<number>()
    for (const key of keys) set.add((hash32(key) >>> 0) % this.stripes)
    return [...set].sort((a, b) => a - b)
  }

  // ---- reads ------------------------------------------------------------------------------------------------------

  async getSourceStates(keys: string[]): Promise<Map<string, SourceState>> {
    const out = new Map<string, SourceState>()
    if (keys.length === 0) return out
    const rows = await this.read<{ key: string; state: string }>(
      'getSourceStates',
      `SELECT key, state::text AS state FROM ${this.s}.source_states WHERE key = ANY($1::text[])`,
      [[...new Set(keys)]],
    )
    for (const row of rows) out.set(row.key, { ...decodeSourceState(row.state), key: row.key })
    return out
  }

  async findByKeys(keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    if (keys.length === 0) return out
    const rows = await this.read<{ key: string; story_id: string }>(
      'findByKeys',
      `SELECT key, story_id FROM ${this.s}.story_keys WHERE key = ANY($1::text[])`,
      [[...new Set(keys)]],
    )
    for (const row of rows) out.set(row.key, row.story_id)
    return out
  }

  async findByBuckets(buckets: string[], since: Date, limit?: number): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>()
    if (buckets.length === 0) return out
    const rows = await this.read<{ bucket: string; story_id: string }>(
      'findByBuckets',
      `SELECT b.bucket, b.story_id FROM ${this.s}.story_buckets b JOIN ${this.s}.stories s ON s.id = b.story_id
       WHERE b.bucket = ANY($1::text[]) AND s.published >= $2 ORDER BY b.bucket, b.n`,
      [[...new Set(buckets)], since.toISOString()],
    )
    const max = limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(limit))
    for (const row of rows) {
      const ids = out.get(row.bucket)
      if (!ids) {
        if (max > 0) out.set(row.bucket, [row.story_id])
      } else if (ids.length < max) ids.push(row.story_id)
    }
    return out
  }

  async getStories(ids: string[]): Promise<StoryRecord[]> {
    if (ids.length === 0) return []
    const unique = [...new Set(ids)]
    const rows = await this.read<StoryRow>('getStories', `${this.storyColumns()} WHERE id = ANY($1::text[])`, [unique])
    const byId = new Map(rows.map((row) => [row.id, row]))
    const out: StoryRecord[] = []
    for (const id of unique) {
      const row = byId.get(id)
      if (row) out.push(toRecord(row))
    }
    return out
  }

  private storyColumns(): string {
    return `SELECT id, story::text AS story, fingerprint::text AS fingerprint, keys, buckets, published, first_seen,
      last_seen FROM ${this.s}.stories`
  }

  listStories(options: ListStoriesOptions = {}): AsyncIterable<Story> {
    const limit = options.limit ?? 100
    const since = options.since
    const store = this
    return {
      async *[Symbol.asyncIterator]() {
        let left = Math.max(0, Math.floor(limit))
        let after: { published: Date; id: string } | undefined
        while (left > 0) {
          const values: unknown[] = []
          const where: string[] = []
          if (since) {
            values.push(since.toISOString())
            where.push(`published >= $${values.length}`)
          }
          if (after) {
            values.push(after.published.toISOString(), after.id)
            const p = `$${values.length - 1}`
            const i = `$${values.length}`
            // one index range, read in its order (as in the SQLite store, where the plain OR form sorted every
            // story below the cursor for each page)
            where.push(`published <= ${p} AND (published < ${p} OR id > ${i})`)
          }
          values.push(Math.min(left, PAGE))
          const rows = await store.read<{ id: string; story: string; published: Date | string }>(
            'listStories',
            `SELECT id, story::text AS story, published FROM ${store.s}.stories
             ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
             ORDER BY published DESC, id ASC LIMIT $${values.length}`,
            values,
          )
          const asked = Math.min(left, PAGE)
          for (const row of rows) yield decodeStory(row.story)
          left -= rows.length
          const last = rows[rows.length - 1]
          if (!last || rows.length < asked) break
          after = { published: new Date(last.published), id: last.id }
        }
      },
    }
  }

  // ---- writes -----------------------------------------------------------------------------------------------------

  async begin(): Promise<StoreTransaction> {
    await this.init()
    if (this.tx || this.beginning)
      throw new StoreError('ERR_STORE_QUERY', 'A transaction is already open on this store')
    this.beginning = true
    try {
      const pool = await this.getPool()
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
      const tx = new PostgresTransaction(this, client, () => {
        if (this.tx === tx) this.tx = undefined
      })
      this.tx = tx
      return tx
    } finally {
      this.beginning = false
    }
  }

  async prunePages(before: Date): Promise<number> {
    const rows = await this.read<{ n: number }>(
      'prunePages',
      `WITH gone AS (DELETE FROM ${this.s}.source_states WHERE key LIKE 'page:%'
         AND coalesce((state->'page'->>'seenAt')::float8, (state->'page'->>'lastAttemptAt')::float8, 0) < $1
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [before.getTime()],
    )
    return rows[0]?.n ?? 0
  }

  async prune(before: Date): Promise<number> {
    const rows = await this.read<{ n: number }>(
      'prune',
      `WITH gone AS (DELETE FROM ${this.s}.stories WHERE published < $1 AND last_seen < $1 RETURNING id),
         k AS (DELETE FROM ${this.s}.story_keys WHERE story_id IN (SELECT id FROM gone)),
         b AS (DELETE FROM ${this.s}.story_buckets WHERE story_id IN (SELECT id FROM gone)),
         a AS (DELETE FROM ${this.s}.story_aliases WHERE story_id IN (SELECT id FROM gone))
       SELECT count(*)::int AS n FROM gone`,
      [before.toISOString()],
    )
    return rows[0]?.n ?? 0
  }

  /** Everything one `write()` does, on the transaction's connection. */
  async writeChanges(c: Queryable, changes: RunChanges): Promise<void> {
    const sources = lastByKey(changes.sources ?? [], (s) => s.key)
    if (sources.length > 0) {
      sources.sort((a, b) => compare(a.key, b.key))
      await c.query(
        `INSERT INTO ${this.s}.source_states (key, state, updated_at)
         SELECT k, st::jsonb, now() FROM unnest($1::text[], $2::text[]) AS t(k, st)
         ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
        [sources.map((s) => s.key), sources.map((s) => jsonbText(encodeSourceState(s)))],
      )
    }
    if (changes.stories && changes.stories.length > 0) await this.writeStories(c, changes.stories)
  }

  private async writeStories(c: Queryable, input: StoryRecord[]): Promise<void> {
    // One record per id, as if written one after the other: the last wins, keys and buckets add up.
    const byId = new Map<string, StoryRecord>()
    for (const record of input) {
      const before = byId.get(record.story.id)
      byId.set(
        record.story.id,
        before
          ? {
              ...record,
              keys: union(before.keys, record.keys),
              buckets: union(before.buckets, record.buckets),
              firstSeen: earliest(before.firstSeen, record.firstSeen),
            }
          : record,
      )
    }
    const records = [...byId.values()]
    const ids = records.map((r) => r.story.id)

    const aliasRows = (
      await c.query<{ alias: string; story_id: string }>(
        `SELECT alias, story_id FROM ${this.s}.story_aliases WHERE alias = ANY($1::text[])`,
        [ids],
      )
    ).rows
    const aliased = new Map(aliasRows.map((r) => [r.alias, r.story_id]))
    const existing = new Set(
      (await c.query<{ id: string }>(`SELECT id FROM ${this.s}.stories WHERE id = ANY($1::text[])`, [ids])).rows.map(
        (r) => r.id,
      ),
    )

    // Claim the exact keys: one owner per key. Sorted, so two writers inserting overlapping keys wait in one order.
    const claims = new Map<string, string>()
    for (const record of records) for (const key of record.keys) if (!claims.has(key)) claims.set(key, record.story.id)
    const claimKeys = [...claims.keys()].sort(compare)
    const claimed = new Set(
      (
        await c.query<{ key: string }>(
          `INSERT INTO ${this.s}.story_keys (key, story_id) SELECT * FROM unnest($1::text[], $2::text[])
           ON CONFLICT (key) DO NOTHING RETURNING key`,
          [claimKeys, claimKeys.map((k) => claims.get(k)!)],
        )
      ).rows.map((r) => r.key),
    )
    const taken = claimKeys.filter((k) => !claimed.has(k))
    const owners = new Map<string, string>()
    if (taken.length > 0) {
      const rows = (
        await c.query<{ key: string; story_id: string }>(
          `SELECT key, story_id FROM ${this.s}.story_keys WHERE key = ANY($1::text[])`,
          [taken],
        )
      ).rows
      for (const row of rows) owners.set(row.key, row.story_id)
    }

    // A new story whose keys belong to another story joins it; an alias sends a known old id to its story.
    const merges: { record: StoryRecord; into: string }[] = []
    const plain: StoryRecord[] = []
    for (const record of records) {
      const id = record.story.id
      const alias = aliased.get(id)
      const owner =
        alias ??
        (existing.has(id) ? undefined : record.keys.map((k) => owners.get(k)).find((o) => o !== undefined && o !== id))
      if (owner === undefined) plain.push(record)
      else merges.push({ record, into: owner })
    }

    if (plain.length > 0) {
      plain.sort((a, b) => compare(a.story.id, b.story.id))
      await c.query(
        `INSERT INTO ${this.s}.stories AS s (id, story, fingerprint, keys, buckets, published, first_seen, last_seen)
         SELECT t.id, t.story::jsonb, t.fp::jsonb, ARRAY(SELECT jsonb_array_elements_text(t.k::jsonb)),
                ARRAY(SELECT jsonb_array_elements_text(t.b::jsonb)), t.published, t.first_seen, t.last_seen
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                     $8::timestamptz[]) AS t(id, story, fp, k, b, published, first_seen, last_seen)
         ON CONFLICT (id) DO UPDATE SET
           story = EXCLUDED.story, fingerprint = EXCLUDED.fingerprint, published = EXCLUDED.published,
           keys = ${this.s}.union_ordered(s.keys, EXCLUDED.keys),
           buckets = ${this.s}.union_ordered(s.buckets, EXCLUDED.buckets),
           first_seen = LEAST(s.first_seen, EXCLUDED.first_seen), last_seen = EXCLUDED.last_seen`,
        [
          plain.map((r) => r.story.id),
          plain.map((r) => jsonbText(encodeStory(r.story))),
          plain.map((r) => (r.fingerprint === undefined ? null : jsonbText(JSON.stringify(r.fingerprint)))),
          plain.map((r) => JSON.stringify(r.keys)),
          plain.map((r) => JSON.stringify(r.buckets)),
          plain.map((r) => r.published.toISOString()),
          plain.map((r) => r.firstSeen.toISOString()),
          plain.map((r) => r.lastSeen.toISOString()),
        ],
      )
      await this.addBuckets(
        c,
        plain.flatMap((r) => r.buckets.map((b) => [b, r.story.id] as const)),
      )
    }

    for (const { record, into } of merges) await this.mergeInto(c, record, into)
  }

  private async addBuckets(c: Queryable, pairs: (readonly [string, string])[]): Promise<void> {
    if (pairs.length === 0) return
    await c.query(
      `INSERT INTO ${this.s}.story_buckets (bucket, story_id)
       SELECT b, id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(b, id, i) ORDER BY i
       ON CONFLICT DO NOTHING`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    )
  }

  /** Merge a record into the story `into` (following aliases); its claimed keys, buckets and id move there. */
  private async mergeInto(c: Queryable, record: StoryRecord, into: string): Promise<void> {
    const id = record.story.id
    const target =
      (
        await c.query<{ id: string }>(
          `SELECT coalesce((SELECT story_id FROM ${this.s}.story_aliases WHERE alias = $1), $1) AS id`,
          [into],
        )
      ).rows[0]?.id ?? into
    const [row] = (await c.query<StoryRow>(`${this.storyColumns()} WHERE id = $1 FOR UPDATE`, [target])).rows
    if (!row || target === id) {
      // The owner vanished (pruned meanwhile): the record stands on its own.
      await c.query(`DELETE FROM ${this.s}.story_aliases WHERE alias = $1`, [id])
      await this.writeStories(c, [record])
      return
    }
    const merged = mergeRecords(toRecord(row), record)
    await c.query(
      `UPDATE ${this.s}.stories SET story = $2::jsonb, keys = $3::text[], buckets = $4::text[], first_seen = $5,
         last_seen = $6 WHERE id = $1`,
      [
        target,
        jsonbText(encodeStory(merged.story)),
        merged.keys,
        merged.buckets,
        merged.firstSeen.toISOString(),
        merged.lastSeen.toISOString(),
      ],
    )
    await c.query(`UPDATE ${this.s}.story_keys SET story_id = $2 WHERE story_id = $1`, [id, target])
    await this.addBuckets(
      c,
      record.buckets.map((b) => [b, target] as const),
    )
    await c.query(
      `INSERT INTO ${this.s}.story_aliases (alias, story_id) VALUES ($1, $2)
       ON CONFLICT (alias) DO UPDATE SET story_id = EXCLUDED.story_id`,
      [id, target],
    )
    await c.query(`UPDATE ${this.s}.story_aliases SET story_id = $2 WHERE story_id = $1`, [id, target])
  }

  /** First key of the advisory locks `lockKeys` takes (one namespace per schema). */
  get stripesNamespace(): number {
    return this.ns
  }
}

class PostgresTransaction implements StoreTransaction {
  private open = true
  private chain: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly store: PostgresStore,
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
    return this.serial('write', () => this.store.writeChanges(this.client, changes))
  }

  lock(stripes: number[]): Promise<void> {
    if (stripes.length === 0) return Promise.resolve()
    return this.serial('lockKeys', async () => {
      await this.client.query('SELECT count(pg_advisory_xact_lock($1::int, h)) FROM unnest($2::int[]) AS h', [
        this.store.stripesNamespace,
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

// ---- helpers ------------------------------------------------------------------------------------------------------

interface StoryRow {
  id: string
  story: string
  fingerprint: string | null
  keys: string[]
  buckets: string[]
  published: Date | string
  first_seen: Date | string
  last_seen: Date | string
}

function toRecord(row: StoryRow): StoryRecord {
  return {
    story: decodeStory(row.story),
    keys: row.keys,
    buckets: row.buckets,
    ...(row.fingerprint === null ? {} : { fingerprint: JSON.parse(row.fingerprint) as unknown }),
    published: new Date(row.published),
    firstSeen: new Date(row.first_seen),
    lastSeen: new Date(row.last_seen),
  }
}

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

/**
 * JSON text that PostgreSQL's jsonb accepts: it refuses `\u0000` and lone surrogates, which JSON.stringify emits
 * for NUL characters and broken UTF-16 in the input. NULs are dropped, lone surrogates become U+FFFD.
 */
export function jsonbText(json: string): string {
  if (!json.includes('\\u')) return json
  return json.replace(/(?<!\\)((?:\\\\)*)\\u(0000|d[89a-f][0-9a-f]{2})/gi, (_m, slashes: string, hex: string) =>
    hex === '0000' ? slashes : `${slashes}\\ufffd`,
  )
}

/** FNV-1a over UTF-16 code units, as a signed 32-bit integer (an advisory lock key). */
function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h | 0
}

function checkMs(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new StoreError(
      'ERR_STORE_QUERY',
      `Expected \`${name}\` to be a positive number of ms, got \`${String(value)}\``,
    )
  }
}

function ignore(): void {}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function earliest(a: Date, b: Date): Date {
  return b < a ? b : a
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])]
}

function lastByKey<T>(items: T[], key: (item: T) => string): T[] {
  const map = new Map<string, T>()
  for (const item of items) map.set(key(item), item)
  return [...map.values()]
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '28000', // invalid_authorization_specification
  '28P01', // invalid_password
  '3D000', // invalid_catalog_name (no such database)
])
const LOCKED_CODES = new Set(['40P01', '55P03', '40001'])

function toStoreError(error: unknown, what: string, fallback: ErrorCode = 'ERR_STORE_QUERY'): StoreError {
  if (error instanceof StoreError) return error
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message || String(error) : String(error)
  let storeCode: ErrorCode = fallback
  if (typeof code === 'string' && LOCKED_CODES.has(code)) storeCode = 'ERR_STORE_LOCKED'
  else if (
    (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(message)
  ) {
    storeCode = 'ERR_STORE_UNAVAILABLE'
  }
  return new StoreError(storeCode, `PostgreSQL store: ${what} failed: ${message}`, { cause: error })
}
