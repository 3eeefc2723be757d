import { mergeRecords, union } from '../../dedupe/record.js'
import type { Article } from '../../types.js'
import { encodeSourceState, encodeStory } from '../codec.js'
import type { RunChanges, StoryRecord } from '../types.js'
import type { PgConnection, Queryable } from './connection.js'
import { type StoryRow, storyColumns, toRecord } from './reads.js'

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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function earliest(a: Date, b: Date): Date {
  return b < a ? b : a
}

function lastByKey<T>(items: T[], key: (item: T) => string): T[] {
  const map = new Map<string, T>()
  for (const item of items) map.set(key(item), item)
  return [...map.values()]
}

/** Forget the page states (`page:<link>`) no feed has listed since `before`, in one statement. */
export async function prunePages(conn: PgConnection, before: Date): Promise<number> {
  const rows = await conn.read<{ n: number }>(
    'prunePages',
    `WITH gone AS (DELETE FROM ${conn.s}.source_states WHERE key LIKE 'page:%'
       AND coalesce((state->'page'->>'seenAt')::float8, (state->'page'->>'lastAttemptAt')::float8, 0) < $1
       RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [before.getTime()],
  )
  return rows[0]?.n ?? 0
}

/** Forget old stories with their keys, buckets and aliases, in one statement. */
export async function prune(conn: PgConnection, before: Date): Promise<number> {
  const rows = await conn.read<{ n: number }>(
    'prune',
    `WITH gone AS (DELETE FROM ${conn.s}.stories WHERE published < $1 AND last_seen < $1 RETURNING id),
       k AS (DELETE FROM ${conn.s}.story_keys WHERE story_id IN (SELECT id FROM gone)),
       b AS (DELETE FROM ${conn.s}.story_buckets WHERE story_id IN (SELECT id FROM gone)),
       a AS (DELETE FROM ${conn.s}.story_aliases WHERE story_id IN (SELECT id FROM gone))
     SELECT count(*)::int AS n FROM gone`,
    [before.toISOString()],
  )
  return rows[0]?.n ?? 0
}

/** Everything one `write()` does, on the transaction's connection. */
export async function writeChanges(conn: PgConnection, c: Queryable, changes: RunChanges): Promise<void> {
  const sources = lastByKey(changes.sources ?? [], (s) => s.key)
  if (sources.length > 0) {
    sources.sort((a, b) => compare(a.key, b.key))
    await c.query(
      `INSERT INTO ${conn.s}.source_states (key, state, updated_at)
       SELECT k, st::jsonb, now() FROM unnest($1::text[], $2::text[]) AS t(k, st)
       ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      [sources.map((s) => s.key), sources.map((s) => jsonbText(encodeSourceState(s)))],
    )
  }
  if (changes.stories && changes.stories.length > 0) await writeStories(conn, c, changes.stories, changes.articleJson)
}

type ArticleJson = ReadonlyMap<Article, string> | undefined

async function writeStories(conn: PgConnection, c: Queryable, input: StoryRecord[], json: ArticleJson): Promise<void> {
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
      `SELECT alias, story_id FROM ${conn.s}.story_aliases WHERE alias = ANY($1::text[])`,
      [ids],
    )
  ).rows
  const aliased = new Map(aliasRows.map((r) => [r.alias, r.story_id]))
  const existing = new Set(
    (await c.query<{ id: string }>(`SELECT id FROM ${conn.s}.stories WHERE id = ANY($1::text[])`, [ids])).rows.map(
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
        `INSERT INTO ${conn.s}.story_keys (key, story_id) SELECT * FROM unnest($1::text[], $2::text[])
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
        `SELECT key, story_id FROM ${conn.s}.story_keys WHERE key = ANY($1::text[])`,
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
      `INSERT INTO ${conn.s}.stories AS s (id, story, fingerprint, keys, buckets, published, first_seen, last_seen)
       SELECT t.id, t.story::jsonb, t.fp::jsonb, ARRAY(SELECT jsonb_array_elements_text(t.k::jsonb)),
              ARRAY(SELECT jsonb_array_elements_text(t.b::jsonb)), t.published, t.first_seen, t.last_seen
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                   $8::timestamptz[]) AS t(id, story, fp, k, b, published, first_seen, last_seen)
       ON CONFLICT (id) DO UPDATE SET
         story = EXCLUDED.story, fingerprint = EXCLUDED.fingerprint, published = EXCLUDED.published,
         keys = ${conn.s}.union_ordered(s.keys, EXCLUDED.keys),
         buckets = ${conn.s}.union_ordered(s.buckets, EXCLUDED.buckets),
         first_seen = LEAST(s.first_seen, EXCLUDED.first_seen), last_seen = EXCLUDED.last_seen`,
      [
        plain.map((r) => r.story.id),
        plain.map((r) => jsonbText(encodeStory(r.story, json))),
        plain.map((r) => (r.fingerprint === undefined ? null : jsonbText(JSON.stringify(r.fingerprint)))),
        plain.map((r) => JSON.stringify(r.keys)),
        plain.map((r) => JSON.stringify(r.buckets)),
        plain.map((r) => r.published.toISOString()),
        plain.map((r) => r.firstSeen.toISOString()),
        plain.map((r) => r.lastSeen.toISOString()),
      ],
    )
    await addBuckets(
      conn,
      c,
      plain.flatMap((r) => r.buckets.map((b) => [b, r.story.id] as const)),
    )
  }

  for (const { record, into } of merges) await mergeInto(conn, c, record, into, json)
}

async function addBuckets(conn: PgConnection, c: Queryable, pairs: (readonly [string, string])[]): Promise<void> {
  if (pairs.length === 0) return
  await c.query(
    `INSERT INTO ${conn.s}.story_buckets (bucket, story_id)
     SELECT b, id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(b, id, i) ORDER BY i
     ON CONFLICT DO NOTHING`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  )
}

/** Merge a record into the story `into` (following aliases); its claimed keys, buckets and id move there. */
async function mergeInto(
  conn: PgConnection,
  c: Queryable,
  record: StoryRecord,
  into: string,
  json: ArticleJson,
): Promise<void> {
  const id = record.story.id
  const target =
    (
      await c.query<{ id: string }>(
        `SELECT coalesce((SELECT story_id FROM ${conn.s}.story_aliases WHERE alias = $1), $1) AS id`,
        [into],
      )
    ).rows[0]?.id ?? into
  const [row] = (await c.query<StoryRow>(`${storyColumns(conn)} WHERE id = $1 FOR UPDATE`, [target])).rows
  if (!row || target === id) {
    // The owner vanished (pruned meanwhile): the record stands on its own.
    await c.query(`DELETE FROM ${conn.s}.story_aliases WHERE alias = $1`, [id])
    await writeStories(conn, c, [record], json)
    return
  }
  const merged = mergeRecords(toRecord(row), record)
  await c.query(
    `UPDATE ${conn.s}.stories SET story = $2::jsonb, keys = $3::text[], buckets = $4::text[], first_seen = $5,
       last_seen = $6 WHERE id = $1`,
    [
      target,
      jsonbText(encodeStory(merged.story, json)),
      merged.keys,
      merged.buckets,
      merged.firstSeen.toISOString(),
      merged.lastSeen.toISOString(),
    ],
  )
  await c.query(`UPDATE ${conn.s}.story_keys SET story_id = $2 WHERE story_id = $1`, [id, target])
  await addBuckets(
    conn,
    c,
    record.buckets.map((b) => [b, target] as const),
  )
  await c.query(
    `INSERT INTO ${conn.s}.story_aliases (alias, story_id) VALUES ($1, $2)
     ON CONFLICT (alias) DO UPDATE SET story_id = EXCLUDED.story_id`,
    [id, target],
  )
  await c.query(`UPDATE ${conn.s}.story_aliases SET story_id = $2 WHERE story_id = $1`, [id, target])
}
