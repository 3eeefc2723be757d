import type { Story } from '../../types.js'
import { decodeSourceState, decodeStory } from '../codec.js'
import type { ListStoriesOptions, SourceState, StoryRecord } from '../types.js'
import type { PgConnection } from './connection.js'

/** Rows per page when listStories streams. */
const PAGE = 100

export interface StoryRow {
  id: string
  story: string
  fingerprint: string | null
  keys: string[]
  buckets: string[]
  published: Date | string
  first_seen: Date | string
  last_seen: Date | string
}

export function toRecord(row: StoryRow): StoryRecord {
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

export async function getSourceStates(conn: PgConnection, keys: string[]): Promise<Map<string, SourceState>> {
  const out = new Map<string, SourceState>()
  if (keys.length === 0) return out
  const rows = await conn.read<{ key: string; state: string }>(
    'getSourceStates',
    `SELECT key, state::text AS state FROM ${conn.s}.source_states WHERE key = ANY($1::text[])`,
    [[...new Set(keys)]],
  )
  for (const row of rows) out.set(row.key, { ...decodeSourceState(row.state), key: row.key })
  return out
}

export async function findByKeys(conn: PgConnection, keys: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  if (keys.length === 0) return out
  const rows = await conn.read<{ key: string; story_id: string }>(
    'findByKeys',
    `SELECT key, story_id FROM ${conn.s}.story_keys WHERE key = ANY($1::text[])`,
    [[...new Set(keys)]],
  )
  for (const row of rows) out.set(row.key, row.story_id)
  return out
}

export async function findByBuckets(
  conn: PgConnection,
  buckets: string[],
  since: Date,
  limit?: number,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  if (buckets.length === 0) return out
  const rows = await conn.read<{ bucket: string; story_id: string }>(
    'findByBuckets',
    `SELECT b.bucket, b.story_id FROM ${conn.s}.story_buckets b JOIN ${conn.s}.stories s ON s.id = b.story_id
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

export async function getStories(conn: PgConnection, ids: string[]): Promise<StoryRecord[]> {
  if (ids.length === 0) return []
  const unique = [...new Set(ids)]
  const rows = await conn.read<StoryRow>('getStories', `${storyColumns(conn)} WHERE id = ANY($1::text[])`, [unique])
  const byId = new Map(rows.map((row) => [row.id, row]))
  const out: StoryRecord[] = []
  for (const id of unique) {
    const row = byId.get(id)
    if (row) out.push(toRecord(row))
  }
  return out
}

/** The SELECT of a whole story row (StoryRow), to be followed by a WHERE. */
export function storyColumns(conn: PgConnection): string {
  return `SELECT id, story::text AS story, fingerprint::text AS fingerprint, keys, buckets, published, first_seen,
      last_seen FROM ${conn.s}.stories`
}

export function listStories(conn: PgConnection, options: ListStoriesOptions): AsyncIterable<Story> {
  const limit = options.limit ?? 100
  const since = options.since
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
        const rows = await conn.read<{ id: string; story: string; published: Date | string }>(
          'listStories',
          `SELECT id, story::text AS story, published FROM ${conn.s}.stories
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
