/**
 * SQLite schema, as string constants so the bundler ships them. `SQLITE_MIGRATIONS[i]` moves a database from
 * version i to version i + 1; each runs inside one transaction together with the `schema_version` update.
 */
import type { DatabaseSync } from 'node:sqlite'
import { StoreError } from '../../errors.js'
import { hashPair } from '../../internal/hash-pair.js'

export const SQLITE_SCHEMA_VERSION_TABLE = `
CREATE TABLE IF NOT EXISTS schema_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
`

export const SQLITE_MIGRATIONS: readonly string[] = [
  // 0 → 1: source states, stories with their keys and buckets, locks
  `
CREATE TABLE IF NOT EXISTS source_state (
  key TEXT PRIMARY KEY,
  data TEXT NOT NULL
) WITHOUT ROWID;

-- story: one narrow row per story (lookups join it for the id and the published date);
-- story_data: the wide part. keys and buckets are JSON arrays of everything the story claims (the story_key /
-- story_bucket rows are the lookup index; a key another story owned first stays that story's row); pruning deletes
-- index rows by these lists, so the index tables need no second index.
CREATE TABLE IF NOT EXISTS story (
  n INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  published INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS story_published ON story (published DESC, id ASC);

CREATE TABLE IF NOT EXISTS story_data (
  n INTEGER PRIMARY KEY,
  story TEXT NOT NULL,
  fingerprint TEXT,
  keys TEXT NOT NULL DEFAULT '[]',
  buckets TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE IF NOT EXISTS story_key (
  key TEXT PRIMARY KEY,
  n INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS story_bucket (
  bucket TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (bucket, n)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS lock (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires INTEGER NOT NULL
) WITHOUT ROWID;
`,
  // 1 → 2: the bucket index keyed by a 53-bit hash of the bucket (tonghop_bucket_hash(), registered by the store
  // before migrating; computed in JS as bucketHash()): smaller rows, integer comparisons, a smaller index to cache.
  // story_data.buckets keeps the bucket strings.
  `
ALTER TABLE story_bucket RENAME TO story_bucket_v1;
CREATE TABLE story_bucket (
  h INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (h, n)
) WITHOUT ROWID;
INSERT OR IGNORE INTO story_bucket (h, n) SELECT tonghop_bucket_hash(bucket), n FROM story_bucket_v1 ORDER BY 1, 2;
DROP TABLE story_bucket_v1;
`,
  // 2 → 3: keys, buckets and the fingerprint move to a narrow story_meta row. In story_data they came after the story
  // JSON (often 8–30 KB), so every read of them walked the row's overflow pages; dedupe reads them for every
  // candidate and every write. story_data keeps only the story JSON: its old keys / buckets / fingerprint columns
  // are no longer read (dropping them would rewrite every story: ~40 s for 83k stories), and a story's next write
  // clears them.
  `
CREATE TABLE story_meta (
  n INTEGER PRIMARY KEY,
  keys TEXT NOT NULL DEFAULT '[]',
  buckets TEXT NOT NULL DEFAULT '[]',
  fingerprint TEXT
);
INSERT INTO story_meta (n, keys, buckets, fingerprint) SELECT n, keys, buckets, fingerprint FROM story_data ORDER BY n;
`,
  // 3 → 4: new bucket rows go to a small story_bucket_recent table, merged into story_bucket in key order once it has
  // grown (see BUCKET_MERGE). A story's 20 bucket rows land at 20 random places of the big index: at 1M stories
  // (20M rows, ~400 MiB) each write dirtied ~20 pages, and a run's writes pushed the pages its lookups needed out of the
  // cache (lookups 5× slower while writing). Lookups read both tables.
  // lookup_filter: Bloom filters (lookup-filter.ts) over both bucket tables' hashes ('buckets') and over
  // story_key ('keys'), so that a lookup skips the index for what no story has; written with each commit that adds.
  `
CREATE TABLE story_bucket_recent (
  h INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (h, n)
) WITHOUT ROWID;
CREATE TABLE lookup_filter (
  name TEXT PRIMARY KEY,
  capacity INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  bits BLOB NOT NULL
);
`,
]

/**
 * When story_bucket_recent is merged into story_bucket: at a commit, once it holds more than `minRows` rows (the
 * store's `bucketMergeRows` option) and more than `perStory` rows per stored story (story_bucket_recent stays a small, cached fraction of the index: a tenth of
 * it at 20 bucket rows per story). A merge walks story_bucket once, in key order; into an empty story_bucket the
 * tables are swapped instead (a first run).
 */
export const BUCKET_MERGE = { minRows: 1_000_000, perStory: 2.5 } as const

/**
 * The bucket index key: a 53-bit hash of the bucket string (two 32-bit multiplicative hashes in one pass). Persisted:
 * never change it without a migration. Two buckets sharing a hash (about one lookup in 10⁹ at 1M stored stories)
 * only add a candidate, which dedupe verifies.
 */
export function bucketHash(bucket: string): number {
  const h = hashPair(bucket)
  return (h[0] as number) * 0x200000 + ((h[1] as number) & 0x1fffff)
}

/** The schema version this code writes; a database with a newer one is refused (ERR_STORE_SCHEMA). */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length

/**
 * Bring the database to SQLITE_SCHEMA_VERSION: each missing migration, with the version update, in one
 * `BEGIN IMMEDIATE` transaction (the version is read again under the write lock: another process may have migrated
 * meanwhile). A database with a newer version is refused (ERR_STORE_SCHEMA).
 */
export function migrate(handle: DatabaseSync, path: string): void {
  handle.function('tonghop_bucket_hash', { deterministic: true }, (bucket) => bucketHash(String(bucket)))
  handle.exec(SQLITE_SCHEMA_VERSION_TABLE)
  const readVersion = () =>
    (handle.prepare('SELECT version FROM schema_version WHERE id = 1').get() as { version: number } | undefined)
      ?.version ?? 0
  if (readVersion() > SQLITE_SCHEMA_VERSION) {
    throw new StoreError(
      'ERR_STORE_SCHEMA',
      `SQLite schema version ${readVersion()} is newer than this tonghop knows (${SQLITE_SCHEMA_VERSION}): ${path}`,
      { url: path },
    )
  }
  if (readVersion() === SQLITE_SCHEMA_VERSION) return
  handle.exec('BEGIN IMMEDIATE')
  try {
    // read again under the write lock: another process may have migrated meanwhile
    const current = readVersion()
    if (current > SQLITE_SCHEMA_VERSION) {
      throw new StoreError('ERR_STORE_SCHEMA', `SQLite schema version ${current} is newer than this tonghop knows`, {
        url: path,
      })
    }
    for (let v = current; v < SQLITE_SCHEMA_VERSION; v++) handle.exec(SQLITE_MIGRATIONS[v]!)
    handle
      .prepare(
        'INSERT INTO schema_version (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version',
      )
      .run(SQLITE_SCHEMA_VERSION)
    handle.exec('COMMIT')
  } catch (error) {
    handle.exec('ROLLBACK')
    throw error
  }
}
