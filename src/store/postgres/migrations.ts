/**
 * PostgreSQL schema of tonghop, as versioned migrations. Each migration runs once per schema, in its own transaction,
 * under a session advisory lock (see `migrate` below), so several processes may call `init()` at once.
 * Add new versions at the end; never edit a released one.
 */

import { StoreError } from '../../errors.js'
import type { Pool, PoolClient } from './connection.js'
import { ignore, toStoreError } from './errors.js'

export interface PostgresMigration {
  version: number
  name: string
  /** The statements, given the quoted schema name (`"tonghop"`). */
  sql: (schema: string) => string
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = Object.freeze([
  {
    version: 1,
    name: 'initial',
    sql: (s: string) => `
-- The SourceState as a JSON document (new optional fields need no migration), HTTP validators, back-offs and
-- permanent redirects included: every worker reads what any worker learnt.
CREATE TABLE ${s}.source_states (
  key text PRIMARY KEY,
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Work sharing: a source is leased to one worker until expires_at; an expired lease may be taken over.
CREATE TABLE ${s}.source_leases (
  key text PRIMARY KEY,
  owner text NOT NULL,
  expires_at timestamptz NOT NULL
);

-- Named locks with expiry ('run', 'publish').
CREATE TABLE ${s}.locks (
  name text PRIMARY KEY,
  owner text NOT NULL,
  expires_at timestamptz NOT NULL
);

-- keys and buckets: the record's lists as written (in order); story_keys and story_buckets index them for lookups.
CREATE TABLE ${s}.stories (
  id text PRIMARY KEY,
  story jsonb NOT NULL,
  fingerprint jsonb,
  keys text[] NOT NULL,
  buckets text[] NOT NULL,
  published timestamptz NOT NULL,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL
);
CREATE INDEX stories_published_idx ON ${s}.stories (published DESC, id);

-- One owner per exact key: the unique constraint is what keeps two workers from creating two stories for one key.
CREATE TABLE ${s}.story_keys (
  key text PRIMARY KEY,
  story_id text NOT NULL
);
CREATE INDEX story_keys_story_idx ON ${s}.story_keys (story_id);

CREATE TABLE ${s}.story_buckets (
  bucket text NOT NULL,
  story_id text NOT NULL,
  n bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (bucket, story_id)
);
CREATE INDEX story_buckets_story_idx ON ${s}.story_buckets (story_id);

-- a ∪ b without duplicates, in first-seen order (keys and buckets "are added to what the story had").
CREATE FUNCTION ${s}.union_ordered(a text[], b text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(x ORDER BY i), '{}')
  FROM (SELECT x, min(i) AS i FROM unnest(a || b) WITH ORDINALITY AS u(x, i) GROUP BY x) t
$$;

-- A story written under one id and merged into another one (its exact keys belonged to it): id → the story it joined.
CREATE TABLE ${s}.story_aliases (
  alias text PRIMARY KEY,
  story_id text NOT NULL
);
CREATE INDEX story_aliases_story_idx ON ${s}.story_aliases (story_id);
`,
  },
])

export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1]!.version

/** The bookkeeping table, created before the lock-protected migrations read it. */
export const postgresMigrationsTable = (s: string) => `
CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`

/** Second key of the session advisory lock taken around migrations (stripes are ≥ 0). */
const MIGRATION_LOCK = -1

/**
 * Migrations under a session advisory lock (`ns`, the schema's lock namespace): several processes may start at once;
 * one migrates, the others wait. `s` is the quoted schema name.
 */
export async function migrate(pool: Pool, s: string, ns: number): Promise<void> {
  let client: PoolClient
  try {
    client = await pool.connect()
  } catch (error) {
    throw toStoreError(error, 'connect')
  }
  client.on('error', ignore)
  let broken: unknown
  try {
    await client.query('SELECT pg_advisory_lock($1::int, $2::int)', [ns, MIGRATION_LOCK])
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`)
      await client.query(postgresMigrationsTable(s))
      const [row] = (
        await client.query<{ v: number }>(`SELECT coalesce(max(version), 0)::int AS v FROM ${s}.schema_migrations`)
      ).rows
      const current = row?.v ?? 0
      if (current > POSTGRES_SCHEMA_VERSION) {
        throw new StoreError(
          'ERR_STORE_SCHEMA',
          `PostgreSQL schema ${s} is at version ${current}, newer than this tonghop knows (${POSTGRES_SCHEMA_VERSION}): upgrade tonghop`,
        )
      }
      for (const migration of POSTGRES_MIGRATIONS) {
        if (migration.version <= current) continue
        await client.query('BEGIN')
        try {
          await client.query(migration.sql(s))
          await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
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
      await client.query('SELECT pg_advisory_unlock($1::int, $2::int)', [ns, MIGRATION_LOCK]).catch(() => {})
    }
  } catch (error) {
    broken = error
    throw toStoreError(error, 'init')
  } finally {
    client.off('error', ignore)
    client.release(broken === undefined ? undefined : true)
  }
}
