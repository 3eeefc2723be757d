import { statSync } from 'node:fs'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { type ErrorCode, StoreError } from '../errors.js'
import type { Story } from '../types.js'
import { chunks, decodeSourceState, decodeStory, encodeSourceState, encodeStory, mergeRecords } from './codec.js'
import { LookupFilter } from './lookup-filter.js'
import {
  BUCKET_MERGE,
  bucketHash,
  SQLITE_MIGRATIONS,
  SQLITE_SCHEMA_VERSION,
  SQLITE_SCHEMA_VERSION_TABLE,
} from './sql/sqlite-schema.js'
import type { ListStoriesOptions, RunChanges, SourceState, StateStore, StoreTransaction, StoryRecord } from './types.js'

export interface SqliteStoreOptions {
  /** Database file (created when missing; its directory must exist). `:memory:` for a throwaway database. */
  path: string
  /** How long a statement waits for another process's lock before failing with ERR_STORE_LOCKED. @default 5_000 */
  busyTimeout?: number
  /**
   * SQLite page cache in KiB, filled as pages are read. Keys and buckets are looked up at random pages of indexes that
   * grow with the store (20 bucket rows per story): at 1M stories dedupe checked 8,953 articles/s with 64 MiB and
   * 12,681/s with 256 MiB. By default the cache grows with the file: a twelfth of its size when the store opens,
   * at least 64 MiB (a lean cron run) and at most 256 MiB (a 3 GiB store). @default 65_536 to 262_144
   */
  cacheKiB?: number
  /**
   * Bucket rows a run adds go to a small table first and are merged into the big bucket index (key order, one pass)
   * at a commit once the small table holds more than this many rows and more than 2.5 per stored story. Lower it to
   * merge more often (smaller, faster lookups, more merge work); it only tunes speed. @default 1_000_000
   */
  bucketMergeRows?: number
}

/** Rows per batched lookup (`FROM json_each(?) JOIN …`). */
const CHUNK = 1_000
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

/** The default page cache: a twelfth of the file, within 64–256 MiB (see SqliteStoreOptions.cacheKiB). */
export function defaultCacheKiB(path: string): number {
  let bytes = 0
  try {
    if (path !== ':memory:') bytes = statSync(path).size
  } catch {}
  return Math.min(262_144, Math.max(65_536, Math.round(bytes / 12 / 1024)))
}

function sqliteCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown }).errcode
  return typeof code === 'number' ? code & 0xff : undefined
}

/** Wrap a node:sqlite error in a StoreError with a stable code. */
function storeError(error: unknown, what: string, path: string, fallback: ErrorCode = 'ERR_STORE_QUERY'): StoreError {
  if (error instanceof StoreError) return error
  const primary = sqliteCode(error)
  const message = error instanceof Error ? error.message : String(error)
  // SQLITE_BUSY (5) / SQLITE_LOCKED (6): another connection holds the database past busy_timeout
  if (primary === 5 || primary === 6) {
    return new StoreError('ERR_STORE_LOCKED', `SQLite database is locked (${what}): ${path}: ${message}`, {
      cause: error,
      url: path,
    })
  }
  // SQLITE_CANTOPEN (14), SQLITE_NOTADB (26), SQLITE_READONLY (8), SQLITE_IOERR (10), SQLITE_PERM (3)
  const code: ErrorCode =
    primary === 14 || primary === 26 || primary === 8 || primary === 10 ? 'ERR_STORE_UNAVAILABLE' : fallback
  return new StoreError(code, `SQLite ${what} failed: ${path}: ${message}`, { cause: error, url: path })
}

/**
 * A StateStore in one SQLite file over Node's built-in `node:sqlite` (no native build): WAL, busy_timeout, a
 * versioned schema, one transaction per run (`BEGIN IMMEDIATE` … `COMMIT`) on the store's one connection, so reads
 * made while the run is open see its writes. Not safe for two runs at once in one process (one transaction per store).
 */
export function createSqliteStore(options: SqliteStoreOptions): StateStore {
  const { path } = options
  const busyTimeout = options.busyTimeout ?? 5_000
  const cacheKiB = options.cacheKiB ?? defaultCacheKiB(path)
  const mergeRows = options.bucketMergeRows ?? BUCKET_MERGE.minRows
  let db: DatabaseSync | undefined
  let closed = false
  let inTransaction = false
  const statements = new Map<string, StatementSync>()

  const guard = <T>(what: string, fn: () => T): T => {
    try {
      return fn()
    } catch (error) {
      throw storeError(error, what, path)
    }
  }

  const open = (): DatabaseSync => {
    if (closed) throw new StoreError('ERR_STORE_UNAVAILABLE', `SQLite store is closed: ${path}`, { url: path })
    if (db) return db
    let handle: DatabaseSync
    try {
      handle = new DatabaseSync(path)
    } catch (error) {
      throw storeError(error, 'open', path, 'ERR_STORE_UNAVAILABLE')
    }
    try {
      handle.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeout))}`)
      handle.exec('PRAGMA journal_mode = WAL')
      handle.exec('PRAGMA synchronous = NORMAL')
      handle.exec(`PRAGMA cache_size = -${Math.max(0, Math.floor(cacheKiB))}`)
      migrate(handle)
    } catch (error) {
      handle.close()
      throw storeError(error, 'open', path, 'ERR_STORE_UNAVAILABLE')
    }
    db = handle
    return handle
  }

  const migrate = (handle: DatabaseSync) => {
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

  const stmt = (sql: string): StatementSync => {
    let s = statements.get(sql)
    if (!s) {
      s = open().prepare(sql)
      statements.set(sql, s)
    }
    return s
  }

  const revive = (row: StoryRow): StoryRecord => ({
    story: decodeStory(row.story),
    keys: JSON.parse(row.keys) as string[],
    buckets: JSON.parse(row.buckets) as string[],
    ...(row.fingerprint === null ? {} : { fingerprint: JSON.parse(row.fingerprint) as unknown }),
    published: new Date(row.published),
    firstSeen: new Date(row.first_seen),
    lastSeen: new Date(row.last_seen),
  })

  const storyRow = (id: string) =>
    stmt(
      'SELECT s.n AS n, m.keys AS keys, m.buckets AS buckets FROM story s JOIN story_meta m ON m.n = s.n WHERE s.id = ?',
    ).get(id) as Pick<StoryRow, 'n' | 'keys' | 'buckets'> | undefined

  const keyOwners = (keys: string[]): Map<string, string> => {
    const out = new Map<string, string>()
    // driven by the list (one index seek per key), not by the tables; a key the filter has never seen is not asked
    const q = stmt(
      'SELECT k.key AS key, s.id AS id FROM json_each(?) j JOIN story_key k ON k.key = j.value JOIN story s ON s.n = k.n',
    )
    const f = keyFilter.get()
    const asked = [...new Set(keys)].filter((key) => f.has(bucketHash(key)))
    for (const part of chunks(asked, CHUNK)) {
      for (const row of q.all(JSON.stringify(part)) as { key: string; id: string }[]) out.set(row.key, row.id)
    }
    return out
  }

  const loadRecords = (ids: string[]): StoryRecord[] => {
    const out: StoryRecord[] = []
    const q = stmt(
      `SELECT s.n AS n, s.id AS id, s.published AS published, s.first_seen AS first_seen, s.last_seen AS last_seen,
         d.story AS story, m.fingerprint AS fingerprint, m.keys AS keys, m.buckets AS buckets
       FROM json_each(?) j JOIN story s ON s.id = j.value JOIN story_data d ON d.n = s.n JOIN story_meta m ON m.n = s.n`,
    )
    for (const part of chunks([...new Set(ids)], CHUNK)) {
      for (const row of q.all(JSON.stringify(part)) as unknown as StoryRow[]) out.push(revive(row))
    }
    return out
  }

  /** The narrow row and claimed keys / buckets of these stories, by id. */
  const storyRows = (ids: string[]): Map<string, Pick<StoryRow, 'n' | 'keys' | 'buckets'>> => {
    const out = new Map<string, Pick<StoryRow, 'n' | 'keys' | 'buckets'>>()
    const q = stmt(
      `SELECT s.id AS id, s.n AS n, m.keys AS keys, m.buckets AS buckets
       FROM json_each(?) j JOIN story s ON s.id = j.value JOIN story_meta m ON m.n = s.n`,
    )
    for (const part of chunks([...new Set(ids)], CHUNK)) {
      for (const row of q.all(JSON.stringify(part)) as unknown as (Pick<StoryRow, 'n' | 'keys' | 'buckets'> & {
        id: string
      })[]) {
        out.set(row.id, { n: row.n, keys: row.keys, buckets: row.buckets })
      }
    }
    return out
  }

  /**
   * Upsert stories: one lookup of the stored rows and key owners for the whole list, then per story its two rows and
   * its new key and bucket index rows (one `json_each` statement each; the first claim of a key wins). A new story
   * whose keys another story owns (one stored, or one written earlier in this list) is merged into that story.
   */
  const writeStories = (records: StoryRecord[]) => {
    if (records.length === 0) return
    const rows = storyRows(records.map((r) => r.story.id))
    const owners = keyOwners(records.flatMap((r) => r.keys))
    for (const incoming of records) {
      let record = incoming
      let existing = rows.get(incoming.story.id)
      if (existing === undefined) {
        // a new story whose keys another story already owns (a concurrent writer): merge into that story
        const owner = incoming.keys.map((k) => owners.get(k)).find((o) => o !== undefined && o !== incoming.story.id)
        const ownerRecord = owner === undefined ? undefined : loadRecords([owner])[0]
        if (ownerRecord) {
          record = mergeRecords(ownerRecord, incoming)
          existing = storyRow(ownerRecord.story.id)
        }
      }
      const hadKeys = new Set(existing ? (JSON.parse(existing.keys) as string[]) : [])
      const hadBuckets = new Set(existing ? (JSON.parse(existing.buckets) as string[]) : [])
      const newKeys = [...new Set(record.keys)].filter((k) => !hadKeys.has(k))
      const newBuckets = [...new Set(record.buckets)].filter((b) => !hadBuckets.has(b))
      const row = stmt(
        `INSERT INTO story (id, published, first_seen, last_seen) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET published = excluded.published, last_seen = excluded.last_seen,
           first_seen = min(first_seen, excluded.first_seen)
         RETURNING n`,
      ).get(record.story.id, record.published.getTime(), record.firstSeen.getTime(), record.lastSeen.getTime()) as {
        n: number
      }
      const keys = JSON.stringify([...hadKeys, ...newKeys])
      const buckets = JSON.stringify([...hadBuckets, ...newBuckets])
      // an unchanged story JSON is not rewritten (the comparison reads the old row's pages, which an update walks
      // anyway to free them); story_data's columns after `story` are left over from schema 2: a rewrite clears them
      stmt(
        `INSERT INTO story_data (n, story) VALUES (?, ?)
         ON CONFLICT (n) DO UPDATE SET story = excluded.story, fingerprint = NULL, keys = '[]', buckets = '[]'
         WHERE story_data.story IS NOT excluded.story`,
      ).run(row.n, encodeStory(record.story))
      stmt(
        `INSERT INTO story_meta (n, keys, buckets, fingerprint) VALUES (?, ?, ?, ?)
         ON CONFLICT (n) DO UPDATE SET keys = excluded.keys, buckets = excluded.buckets,
           fingerprint = excluded.fingerprint`,
      ).run(row.n, keys, buckets, record.fingerprint === undefined ? null : JSON.stringify(record.fingerprint))
      if (newKeys.length > 0) {
        stmt('INSERT OR IGNORE INTO story_key (key, n) SELECT value, ? FROM json_each(?)').run(
          row.n,
          JSON.stringify(newKeys),
        )
        keyFilter.add(newKeys.map(bucketHash))
        // later stories of this list see these claims (a key already owned stays with its owner)
        for (const key of newKeys) if (!owners.has(key)) owners.set(key, record.story.id)
      }
      if (newBuckets.length > 0) {
        const hashes = newBuckets.map(bucketHash)
        stmt('INSERT OR IGNORE INTO story_bucket_recent (h, n) SELECT value, ? FROM json_each(?)').run(
          row.n,
          JSON.stringify(hashes),
        )
        bucketFilter.add(hashes)
      }
      rows.set(record.story.id, { n: row.n, keys, buckets })
    }
  }

  /** PRAGMA data_version: changes when another connection commits. */
  const dataVersion = () => (stmt('PRAGMA data_version').get() as { data_version: number }).data_version

  /**
   * A Bloom filter over the values of index tables (store/lookup-filter.ts), kept in lookup_filter under `name` and
   * written with each commit that added to it. It is read again after another connection committed; a database
   * without it (made before schema 4) builds it from the tables, one pass each through a SQL function (no row
   * objects). Past its capacity it answers "present" more and more often, so it is rebuilt twice as big from the
   * tables (which hold the open transaction's rows): the rebuilds of a growing store cost about two scans in all.
   */
  const lookupFilter = (
    name: string,
    tables: readonly (readonly [table: string, column: string])[],
    hash: (value: unknown) => number,
  ) => {
    let current: LookupFilter | undefined
    let version = -1
    let dirty = false
    const build = (): LookupFilter => {
      const handle = open()
      let rows = 0
      for (const [table] of tables) rows += (stmt(`SELECT count(*) AS c FROM ${table}`).get() as { c: number }).c
      const built = LookupFilter.sized(rows)
      handle.function('tonghop_filter_add', { deterministic: false }, (value) => {
        built.add(hash(value))
        return null
      })
      for (const [table, column] of tables) handle.exec(`SELECT count(tonghop_filter_add(${column})) FROM ${table}`)
      return built
    }
    const get = (): LookupFilter => {
      if (current && (inTransaction || dataVersion() === version)) return current
      version = dataVersion()
      const row = stmt('SELECT capacity, rows, bits FROM lookup_filter WHERE name = ?').get(name) as
        | { capacity: number; rows: number; bits: Uint8Array }
        | undefined
      current = row ? LookupFilter.fromBlob(row.bits, row.capacity, row.rows) : build()
      dirty = row === undefined
      return current
    }
    return {
      get,
      add(hashes: readonly number[]) {
        const f = get()
        for (const h of hashes) f.add(h)
        dirty = true
        if (f.rows > f.capacity) current = build()
      },
      /** At begin: another connection may have committed since it was read. */
      refresh() {
        if (current && dataVersion() !== version) current = undefined
      },
      save() {
        if (!dirty || !current) return
        stmt(
          `INSERT INTO lookup_filter (name, capacity, rows, bits) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET capacity = excluded.capacity, rows = excluded.rows, bits = excluded.bits`,
        ).run(name, current.capacity, current.rows, current.toBlob())
        dirty = false
      },
      /** After a rollback: it may hold the rolled-back values (harmless) or be a rebuilt one: read it again. */
      forget() {
        current = undefined
        dirty = false
      },
    }
  }
  const bucketFilter = lookupFilter(
    'buckets',
    [
      ['story_bucket', 'h'],
      ['story_bucket_recent', 'h'],
    ],
    Number,
  )
  // keys are hashed like buckets (bucketHash: persisted in the filter's bits, so never changed without a migration)
  const keyFilter = lookupFilter('keys', [['story_key', 'key']], (key) => bucketHash(String(key)))
  const filters = [bucketFilter, keyFilter]

  /**
   * Merge story_bucket_recent into story_bucket once it has grown (BUCKET_MERGE), inside the committing transaction:
   * in key order, so story_bucket's pages are each visited once; into an empty story_bucket by swapping the tables.
   */
  const mergeBuckets = () => {
    const recent = (stmt('SELECT count(*) AS c FROM story_bucket_recent').get() as { c: number }).c
    if (recent <= mergeRows) return
    const stories = (stmt('SELECT max(n) AS n FROM story').get() as { n: number | null }).n ?? 0
    if (recent <= stories * BUCKET_MERGE.perStory) return
    const handle = open()
    if (stmt('SELECT 1 AS one FROM story_bucket LIMIT 1').get() === undefined) {
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

  const writeSource = (state: SourceState) => {
    stmt('INSERT INTO source_state (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data').run(
      state.key,
      encodeSourceState(state),
    )
  }

  return {
    kind: 'sqlite',
    async init() {
      open()
    },
    async close() {
      if (closed) return
      closed = true
      if (db) {
        try {
          if (inTransaction) db.exec('ROLLBACK')
        } finally {
          statements.clear()
          db.close()
          db = undefined
        }
      }
    },

    async acquireLock(name, owner, ttlMs) {
      return guard('acquireLock', () => {
        const now = Date.now()
        const result = stmt(
          `INSERT INTO lock (name, owner, expires) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
           WHERE lock.owner = excluded.owner OR lock.expires <= ?`,
        ).run(name, owner, now + ttlMs, now)
        return Number(result.changes) > 0
      })
    },
    async releaseLock(name, owner) {
      guard('releaseLock', () => stmt('DELETE FROM lock WHERE name = ? AND owner = ?').run(name, owner))
    },

    async getSourceStates(keys) {
      return guard('getSourceStates', () => {
        const out = new Map<string, SourceState>()
        const q = stmt('SELECT key, data FROM source_state WHERE key IN (SELECT value FROM json_each(?))')
        for (const part of chunks([...new Set(keys)], CHUNK)) {
          for (const row of q.all(JSON.stringify(part)) as { key: string; data: string }[]) {
            out.set(row.key, decodeSourceState(row.data))
          }
        }
        return out
      })
    },

    async findByKeys(keys) {
      return guard('findByKeys', () => keyOwners(keys))
    },
    async findByBuckets(buckets, since, limit) {
      return guard('findByBuckets', () => {
        const out = new Map<string, string[]>()
        const f = bucketFilter.get()
        const max = limit === undefined ? -1 : Math.max(0, Math.floor(limit))
        // per bucket asked, the stories of each level of the bucket index, each list stopped at `limit` (SQLite's
        // LIMIT -1: none): a boilerplate bucket shared by thousands of stories costs `limit` rows, not thousands
        const q = stmt(
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
      })
    },
    async getStories(ids) {
      return guard('getStories', () => loadRecords(ids))
    },

    async getFingerprints(ids) {
      return guard('getFingerprints', () => {
        const out = new Map<string, unknown>()
        const q = stmt(
          `SELECT s.id AS id, m.fingerprint AS fingerprint FROM json_each(?) j JOIN story s ON s.id = j.value
           JOIN story_meta m ON m.n = s.n WHERE m.fingerprint IS NOT NULL`,
        )
        for (const part of chunks([...new Set(ids)], CHUNK)) {
          for (const row of q.all(JSON.stringify(part)) as { id: string; fingerprint: string }[]) {
            out.set(row.id, JSON.parse(row.fingerprint) as unknown)
          }
        }
        return out
      })
    },

    async begin(): Promise<StoreTransaction> {
      if (inTransaction) throw new StoreError('ERR_STORE_QUERY', `A transaction is already open on this store: ${path}`)
      guard('begin', () => {
        open().exec('BEGIN IMMEDIATE')
        for (const f of filters) f.refresh()
      })
      inTransaction = true
      let finished = false
      const ensureOpen = () => {
        if (finished || closed) throw new StoreError('ERR_STORE_QUERY', `The transaction is already finished: ${path}`)
      }
      return {
        async write(changes: RunChanges) {
          ensureOpen()
          guard('write', () => {
            for (const state of changes.sources ?? []) writeSource(state)
            writeStories(changes.stories ?? [])
          })
        },
        async commit() {
          ensureOpen()
          guard('commit', () => {
            mergeBuckets()
            for (const f of filters) f.save()
            open().exec('COMMIT')
          })
          finished = true
          inTransaction = false
        },
        async rollback() {
          if (finished || closed) return
          finished = true
          inTransaction = false
          for (const f of filters) f.forget()
          guard('rollback', () => open().exec('ROLLBACK'))
        },
      }
    },

    listStories(options: ListStoriesOptions = {}): AsyncIterable<Story> {
      const limit = Math.max(0, options.limit ?? 100)
      const since = options.since?.getTime() ?? Number.MIN_SAFE_INTEGER
      return {
        async *[Symbol.asyncIterator]() {
          let yielded = 0
          let cursor: { published: number; id: string } | undefined
          while (yielded < limit) {
            const size = Math.min(PAGE, limit - yielded)
            // the page after the cursor: one range of the story_published index, read in its order. (Written as
            // `published < ? OR (published = ? AND id > ?)`, SQLite read every story below the cursor, JSON included,
            // and sorted them for each page: 76 s to list 83k stories.)
            const rows = guard('listStories', () =>
              cursor === undefined
                ? stmt(
                    `SELECT s.id AS id, s.published AS published, d.story AS story FROM story s
                     JOIN story_data d ON d.n = s.n WHERE s.published >= ? ORDER BY s.published DESC, s.id ASC LIMIT ?`,
                  ).all(since, size)
                : stmt(
                    `SELECT s.id AS id, s.published AS published, d.story AS story FROM story s
                     JOIN story_data d ON d.n = s.n WHERE s.published >= ? AND s.published <= ?
                     AND (s.published < ? OR s.id > ?) ORDER BY s.published DESC, s.id ASC LIMIT ?`,
                  ).all(since, cursor.published, cursor.published, cursor.id, size),
            ) as { id: string; published: number; story: string }[]
            for (const row of rows) yield decodeStory(row.story)
            yielded += rows.length
            const last = rows.at(-1)
            if (!last || rows.length < size) return
            cursor = { published: last.published, id: last.id }
          }
        },
      }
    },

    async prunePages(before) {
      return guard('prunePages', () => {
        open()
        // the key range 'page:' ≤ key < 'page;' is the primary key's index
        const removed = stmt(
          `DELETE FROM source_state WHERE key >= 'page:' AND key < 'page;'
             AND coalesce(json_extract(data, '$.page.seenAt'), json_extract(data, '$.page.lastAttemptAt'), 0) < ?`,
        ).run(before.getTime()).changes
        return Number(removed)
      })
    },

    async prune(before) {
      return guard('prune', () => {
        const handle = open()
        const own = !inTransaction
        if (own) handle.exec('BEGIN IMMEDIATE')
        try {
          const t = before.getTime()
          const deleteKey = stmt('DELETE FROM story_key WHERE key = ? AND n = ?')
          const deleteBucket = stmt('DELETE FROM story_bucket WHERE h = ? AND n = ?')
          const deleteRecentBucket = stmt('DELETE FROM story_bucket_recent WHERE h = ? AND n = ?')
          const old = stmt(
            'SELECT s.n AS n, m.keys AS keys, m.buckets AS buckets FROM story s JOIN story_meta m ON m.n = s.n WHERE s.published < ? AND s.last_seen < ?',
          ).all(t, t) as {
            n: number
            keys: string
            buckets: string
          }[]
          for (const { n, keys, buckets } of old) {
            for (const key of JSON.parse(keys) as string[]) deleteKey.run(key, n)
            for (const bucket of JSON.parse(buckets) as string[]) {
              const h = bucketHash(bucket)
              if (Number(deleteRecentBucket.run(h, n).changes) === 0) deleteBucket.run(h, n)
            }
          }
          stmt('DELETE FROM story_data WHERE n IN (SELECT n FROM story WHERE published < ? AND last_seen < ?)').run(
            t,
            t,
          )
          stmt('DELETE FROM story_meta WHERE n IN (SELECT n FROM story WHERE published < ? AND last_seen < ?)').run(
            t,
            t,
          )
          const removed = Number(stmt('DELETE FROM story WHERE published < ? AND last_seen < ?').run(t, t).changes)
          if (own) handle.exec('COMMIT')
          return removed
        } catch (error) {
          if (own) handle.exec('ROLLBACK')
          throw error
        }
      })
    },
  }
}
