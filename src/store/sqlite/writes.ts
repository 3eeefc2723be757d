import { mergeRecords } from '../../dedupe/record.js'
import type { Article } from '../../types.js'
import { encodeSourceState, encodeStory } from '../codec.js'
import type { SourceState, StoryRecord } from '../types.js'
import type { SqliteConnection } from './connection.js'
import type { StoreFilters } from './lookup-filter.js'
import { BUCKET_MERGE, bucketHash } from './migrations.js'
import { keyOwners, loadRecords, type StoryMeta, storyRow, storyRows } from './reads.js'

export function writeSource(conn: SqliteConnection, state: SourceState): void {
  conn
    .stmt('INSERT INTO source_state (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data')
    .run(state.key, encodeSourceState(state))
}

/**
 * Upsert stories: one lookup of the stored rows and key owners for the whole list, then per story its two rows and
 * its new key and bucket index rows (one `json_each` statement each; the first claim of a key wins). A new story
 * whose keys another story owns (one stored, or one written earlier in this list) is merged into that story.
 */
export function writeStories(
  conn: SqliteConnection,
  filters: StoreFilters,
  records: StoryRecord[],
  articleJson?: ReadonlyMap<Article, string>,
): void {
  if (records.length === 0) return
  const rows = storyRows(
    conn,
    records.map((r) => r.story.id),
  )
  const owners = keyOwners(
    conn,
    filters,
    records.flatMap((r) => r.keys),
  )
  for (const incoming of records) {
    let record = incoming
    let existing = rows.get(incoming.story.id)
    if (existing === undefined) {
      // a new story whose keys another story already owns (a concurrent writer): merge into that story
      const owner = incoming.keys.map((k) => owners.get(k)).find((o) => o !== undefined && o !== incoming.story.id)
      const ownerRecord = owner === undefined ? undefined : loadRecords(conn, [owner])[0]
      if (ownerRecord) {
        record = mergeRecords(ownerRecord, incoming)
        existing = storyRow(conn, ownerRecord.story.id)
      }
    }
    rows.set(record.story.id, writeStory(conn, filters, record, existing, owners, articleJson))
  }
}

/** One story's rows and its new index rows; `owners` learns the keys it claims (for later stories of the list). */
function writeStory(
  conn: SqliteConnection,
  filters: StoreFilters,
  record: StoryRecord,
  existing: StoryMeta | undefined,
  owners: Map<string, string>,
  articleJson: ReadonlyMap<Article, string> | undefined,
): StoryMeta {
  const hadKeys = new Set(existing ? (JSON.parse(existing.keys) as string[]) : [])
  const hadBuckets = new Set(existing ? (JSON.parse(existing.buckets) as string[]) : [])
  const newKeys = [...new Set(record.keys)].filter((k) => !hadKeys.has(k))
  const newBuckets = [...new Set(record.buckets)].filter((b) => !hadBuckets.has(b))
  const row = conn
    .stmt(
      `INSERT INTO story (id, published, first_seen, last_seen) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET published = excluded.published, last_seen = excluded.last_seen,
           first_seen = min(first_seen, excluded.first_seen)
         RETURNING n`,
    )
    .get(record.story.id, record.published.getTime(), record.firstSeen.getTime(), record.lastSeen.getTime()) as {
    n: number
  }
  const keys = JSON.stringify([...hadKeys, ...newKeys])
  const buckets = JSON.stringify([...hadBuckets, ...newBuckets])
  // an unchanged story JSON is not rewritten (the comparison reads the old row's pages, which an update walks
  // anyway to free them); story_data's columns after `story` are left over from schema 2: a rewrite clears them
  conn
    .stmt(
      `INSERT INTO story_data (n, story) VALUES (?, ?)
         ON CONFLICT (n) DO UPDATE SET story = excluded.story, fingerprint = NULL, keys = '[]', buckets = '[]'
         WHERE story_data.story IS NOT excluded.story`,
    )
    .run(row.n, encodeStory(record.story, articleJson))
  conn
    .stmt(
      `INSERT INTO story_meta (n, keys, buckets, fingerprint) VALUES (?, ?, ?, ?)
         ON CONFLICT (n) DO UPDATE SET keys = excluded.keys, buckets = excluded.buckets,
           fingerprint = excluded.fingerprint`,
    )
    .run(row.n, keys, buckets, record.fingerprint === undefined ? null : JSON.stringify(record.fingerprint))
  if (newKeys.length > 0) {
    conn
      .stmt('INSERT OR IGNORE INTO story_key (key, n) SELECT value, ? FROM json_each(?)')
      .run(row.n, JSON.stringify(newKeys))
    filters.keys.add(newKeys.map(bucketHash))
    // later stories of this list see these claims (a key already owned stays with its owner)
    for (const key of newKeys) if (!owners.has(key)) owners.set(key, record.story.id)
  }
  if (newBuckets.length > 0) {
    const hashes = newBuckets.map(bucketHash)
    conn
      .stmt('INSERT OR IGNORE INTO story_bucket_recent (h, n) SELECT value, ? FROM json_each(?)')
      .run(row.n, JSON.stringify(hashes))
    filters.buckets.add(hashes)
  }
  return { n: row.n, keys, buckets }
}

/**
 * Merge story_bucket_recent into story_bucket once it has grown (BUCKET_MERGE), inside the committing transaction:
 * in key order, so story_bucket's pages are each visited once; into an empty story_bucket by swapping the tables.
 */
export function mergeBuckets(conn: SqliteConnection, mergeRows: number): void {
  const recent = (conn.stmt('SELECT count(*) AS c FROM story_bucket_recent').get() as { c: number }).c
  if (recent <= mergeRows) return
  const stories = (conn.stmt('SELECT max(n) AS n FROM story').get() as { n: number | null }).n ?? 0
  if (recent <= stories * BUCKET_MERGE.perStory) return
  const handle = conn.open()
  if (conn.stmt('SELECT 1 AS one FROM story_bucket LIMIT 1').get() === undefined) {
    handle.exec(
      `ALTER TABLE story_bucket RENAME TO story_bucket_swap;
         ALTER TABLE story_bucket_recent RENAME TO story_bucket;
         ALTER TABLE story_bucket_swap RENAME TO story_bucket_recent;`,
    )
  } else {
    handle.exec(
      `INSERT OR IGNORE INTO story_bucket (h, n) SELECT h, n FROM story_bucket_recent ORDER BY h, n;
         DELETE FROM story_bucket_recent;`,
    )
  }
}

/** Take a named lock; false when another owner holds an unexpired one. */
export function acquireLock(conn: SqliteConnection, name: string, owner: string, ttlMs: number): boolean {
  const now = Date.now()
  const result = conn
    .stmt(
      `INSERT INTO lock (name, owner, expires) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
           WHERE lock.owner = excluded.owner OR lock.expires <= ?`,
    )
    .run(name, owner, now + ttlMs, now)
  return Number(result.changes) > 0
}

/** Forget the page states (`page:<link>`) no feed has listed since `before`. */
export function prunePages(conn: SqliteConnection, before: Date): number {
  conn.open()
  // the key range 'page:' ≤ key < 'page;' is the primary key's index
  const removed = conn
    .stmt(
      `DELETE FROM source_state WHERE key >= 'page:' AND key < 'page;'
         AND coalesce(json_extract(data, '$.page.seenAt'), json_extract(data, '$.page.lastAttemptAt'), 0) < ?`,
    )
    .run(before.getTime()).changes
  return Number(removed)
}

/** Forget stories published and last seen before `before`, with their index rows (in its own transaction if none). */
export function prune(conn: SqliteConnection, before: Date): number {
  const handle = conn.open()
  const own = !conn.inTransaction
  if (own) handle.exec('BEGIN IMMEDIATE')
  try {
    const t = before.getTime()
    const deleteKey = conn.stmt('DELETE FROM story_key WHERE key = ? AND n = ?')
    const deleteBucket = conn.stmt('DELETE FROM story_bucket WHERE h = ? AND n = ?')
    const deleteRecentBucket = conn.stmt('DELETE FROM story_bucket_recent WHERE h = ? AND n = ?')
    const old = conn
      .stmt(
        'SELECT s.n AS n, m.keys AS keys, m.buckets AS buckets FROM story s JOIN story_meta m ON m.n = s.n WHERE s.published < ? AND s.last_seen < ?',
      )
      .all(t, t) as { n: number; keys: string; buckets: string }[]
    for (const { n, keys, buckets } of old) {
      for (const key of JSON.parse(keys) as string[]) deleteKey.run(key, n)
      for (const bucket of JSON.parse(buckets) as string[]) {
        const h = bucketHash(bucket)
        if (Number(deleteRecentBucket.run(h, n).changes) === 0) deleteBucket.run(h, n)
      }
    }
    conn.stmt('DELETE FROM story_data WHERE n IN (SELECT n FROM story WHERE published < ? AND last_seen < ?)').run(t, t)
    conn.stmt('DELETE FROM story_meta WHERE n IN (SELECT n FROM story WHERE published < ? AND last_seen < ?)').run(t, t)
    const removed = Number(conn.stmt('DELETE FROM story WHERE published < ? AND last_seen < ?').run(t, t).changes)
    if (own) handle.exec('COMMIT')
    return removed
  } catch (error) {
    if (own) handle.exec('ROLLBACK')
    throw error
  }
}
