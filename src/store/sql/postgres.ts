/**
 * PostgreSQL schema of tonghop, as versioned migrations. Each migration runs once per schema, in its own transaction,
 * under a session advisory lock (see `migrate` in ../postgres.ts), so several processes may call `init()` at once.
 * Add new versions at the end; never edit a released one.
 */

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
