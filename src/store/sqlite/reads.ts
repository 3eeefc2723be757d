import type { Story } from '../../types.js'
import { chunks, decodeSourceState, decodeStory } from '../codec.js'
import type { ListStoriesOptions, SourceState, StoryRecord } from '../types.js'
import type { SqliteConnection } from './connection.js'
import type { StoreFilters } from './lookup-filter.js'
import { bucketHash } from './migrations.js'

/** Rows per batched lookup (`FROM json_each(?) JOIN …`). */
export const CHUNK = 1_000
/** Stories read per page while streaming listStories(). */
const PAGE = 200

interface StoryRow {
  n: number
  id: string
  published: number
  first_seen: number
  last_seen: number
  story: string
  fingerprint: string | null
  keys: string
  buckets: string
}

/** A story's narrow row and the keys / buckets it claims (JSON arrays). */
export type StoryMeta = Pick<StoryRow, 'n' | 'keys' | 'buckets'>

function revive(row: StoryRow): StoryRecord {
  return {
    story: decodeStory(row.story),
    keys: JSON.parse(row.keys) as string[],
    buckets: JSON.parse(row.buckets) as string[],
    ...(row.fingerprint === null ? {} : { fingerprint: JSON.parse(row.fingerprint) as unknown }),
    published: new Date(row.published),
    firstSeen: new Date(row.first_seen),
    lastSeen: new Date(row.last_seen),
  }
}

export function storyRow(conn: SqliteConnection, id: string): StoryMeta | undefined {
  return conn
    .stmt(
      'SELECT s.n AS n, m.keys AS keys, m.buckets AS buckets FROM story s JOIN story_meta m ON m.n = s.n WHERE s.id = ?',
    )
    .get(id) as StoryMeta | undefined
}

/** The narrow row and claimed keys / buckets of these stories, by id. */
export function storyRows(conn: SqliteConnection, ids: string[]): Map<string, StoryMeta> {
  const out = new Map<string, StoryMeta>()
  const q = conn.stmt(
    `SELECT s.id AS id, s.n AS n, m.keys AS keys, m.buckets AS buckets
       FROM json_each(?) j JOIN story s ON s.id = j.value JOIN story_meta m ON m.n = s.n`,
  )
  for (const part of chunks([...new Set(ids)], CHUNK)) {
    for (const row of q.all(JSON.stringify(part)) as unknown as (StoryMeta & { id: string })[]) {
      out.set(row.id, { n: row.n, keys: row.keys, buckets: row.buckets })
    }
  }
  return out
}

/** Exact key → owning story id; driven by the list (one index seek per key), a key the filter never saw not asked. */
export function keyOwners(conn: SqliteConnection, filters: StoreFilters, keys: string[]): Map<string, string> {
  const out = new Map<string, string>()
  const q = conn.stmt(
    'SELECT k.key AS key, s.id AS id FROM json_each(?) j JOIN story_key k ON k.key = j.value JOIN story s ON s.n = k.n',
  )
  const f = filters.keys.get()
  const asked = [...new Set(keys)].filter((key) => f.has(bucketHash(key)))
  for (const part of chunks(asked, CHUNK)) {
    for (const row of q.all(JSON.stringify(part)) as { key: string; id: string }[]) out.set(row.key, row.id)
  }
  return out
}

export function loadRecords(conn: SqliteConnection, ids: string[]): StoryRecord[] {
  const out: StoryRecord[] = []
  const q = conn.stmt(
    `SELECT s.n AS n, s.id AS id, s.published AS published, s.first_seen AS first_seen, s.last_seen AS last_seen,
         d.story AS story, m.fingerprint AS fingerprint, m.keys AS keys, m.buckets AS buckets
       FROM json_each(?) j JOIN story s ON s.id = j.value JOIN story_data d ON d.n = s.n JOIN story_meta m ON m.n = s.n`,
  )
  for (const part of chunks([...new Set(ids)], CHUNK)) {
    for (const row of q.all(JSON.stringify(part)) as unknown as StoryRow[]) out.push(revive(row))
  }
  return out
}

export function getSourceStates(conn: SqliteConnection, keys: string[]): Map<string, SourceState> {
  const out = new Map<string, SourceState>()
  const q = conn.stmt('SELECT key, data FROM source_state WHERE key IN (SELECT value FROM json_each(?))')
  for (const part of chunks([...new Set(keys)], CHUNK)) {
    for (const row of q.all(JSON.stringify(part)) as { key: string; data: string }[]) {
      out.set(row.key, decodeSourceState(row.data))
    }
  }
  return out
}

export function findByBuckets(
  conn: SqliteConnection,
  filters: StoreFilters,
  buckets: string[],
  since: Date,
  limit: number | undefined,
): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const f = filters.buckets.get()
  const max = limit === undefined ? -1 : Math.max(0, Math.floor(limit))
  // per bucket asked, the stories of each level of the bucket index, each list stopped at `limit` (SQLite's
  // LIMIT -1: none): a boilerplate bucket shared by thousands of stories costs `limit` rows, not thousands
  const q = conn.stmt(
    `SELECT j.value AS h,
             (SELECT json_group_array(id) FROM (SELECT s.id AS id FROM story_bucket b JOIN story s ON s.n = b.n
                WHERE b.h = j.value AND s.published >= ?2 LIMIT ?3)) AS big,
             (SELECT json_group_array(id) FROM (SELECT s.id AS id FROM story_bucket_recent r JOIN story s ON s.n = r.n
                WHERE r.h = j.value AND s.published >= ?2 LIMIT ?3)) AS recent
           FROM json_each(?1) j`,
  )
  for (const part of chunks([...new Set(buckets)], CHUNK)) {
    // hash → the buckets asked for with that hash (almost always one)
    const asked = new Map<number, string[]>()
    for (const bucket of part) {
      const h = bucketHash(bucket)
      // no stored story has this bucket (the filter is never wrong about that)
      if (!f.has(h)) continue
      asked.get(h)?.push(bucket) ?? asked.set(h, [bucket])
    }
    if (asked.size === 0) continue
    const rows = q.all(JSON.stringify([...asked.keys()]), since.getTime(), max) as {
      h: number
      big: string
      recent: string
    }[]
    for (const row of rows) {
      let ids = row.big === '[]' ? [] : (JSON.parse(row.big) as string[])
      if (row.recent !== '[]') {
        const recent = JSON.parse(row.recent) as string[]
        // (a story's bucket row is in one level; two of its buckets sharing a hash could put it in both)
        ids = ids.length === 0 ? recent : [...new Set([...ids, ...recent])]
      }
      if (ids.length === 0) continue
      if (max >= 0 && ids.length > max) ids.length = max
      const same = asked.get(row.h) ?? []
      for (const bucket of same) out.set(bucket, same.length === 1 ? ids : [...ids])
    }
  }
  return out
}

export function getFingerprints(conn: SqliteConnection, ids: string[]): Map<string, unknown> {
  const out = new Map<string, unknown>()
  const q = conn.stmt(
    `SELECT s.id AS id, m.fingerprint AS fingerprint FROM json_each(?) j JOIN story s ON s.id = j.value
           JOIN story_meta m ON m.n = s.n WHERE m.fingerprint IS NOT NULL`,
  )
  for (const part of chunks([...new Set(ids)], CHUNK)) {
    for (const row of q.all(JSON.stringify(part)) as { id: string; fingerprint: string }[]) {
      out.set(row.id, JSON.parse(row.fingerprint) as unknown)
    }
  }
  return out
}

/** Stories newest first, a page at a time, each page one range of the story_published index. */
export async function* listStories(conn: SqliteConnection, options: ListStoriesOptions): AsyncGenerator<Story> {
  const limit = Math.max(0, options.limit ?? 100)
  const since = options.since?.getTime() ?? Number.MIN_SAFE_INTEGER
  let yielded = 0
  let cursor: { published: number; id: string } | undefined
  while (yielded < limit) {
    const size = Math.min(PAGE, limit - yielded)
    // the page after the cursor: one range of the story_published index, read in its order. (Written as
    // `published < ? OR (published = ? AND id > ?)`, SQLite read every story below the cursor, JSON included,
    // and sorted them for each page: 76 s to list 83k stories.)
    const rows = conn.guard('listStories', () =>
      cursor === undefined
        ? conn
            .stmt(
              `SELECT s.id AS id, s.published AS published, d.story AS story FROM story s
                     JOIN story_data d ON d.n = s.n WHERE s.published >= ? ORDER BY s.published DESC, s.id ASC LIMIT ?`,
            )
            .all(since, size)
        : conn
            .stmt(
              `SELECT s.id AS id, s.published AS published, d.story AS story FROM story s
                     JOIN story_data d ON d.n = s.n WHERE s.published >= ? AND s.published <= ?
                     AND (s.published < ? OR s.id > ?) ORDER BY s.published DESC, s.id ASC LIMIT ?`,
            )
            .all(since, cursor.published, cursor.published, cursor.id, size),
    ) as { id: string; published: number; story: string }[]
    for (const row of rows) yield decodeStory(row.story)
    yielded += rows.length
    const last = rows.at(-1)
    if (!last || rows.length < size) return
    cursor = { published: last.published, id: last.id }
  }
}
