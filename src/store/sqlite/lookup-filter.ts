import type { SqliteConnection } from './connection.js'
import { bucketHash } from './migrations.js'

/**
 * A Bloom filter over 53-bit hashes (bucketHash()) of an index's values, for the SQLite store's bucket index and key
 * index: a lookup skips the index for a value no stored story has (at 1M stories, about nine in ten of the buckets
 * dedupe asks for). A hash it has never seen is answered "absent" except for about one in a hundred; a hash added is
 * always "present". Deleting rows (pruning) leaves their bits set: the filter only ever answers "present" too often,
 * never wrongly "absent".
 */

/** Bits per row the filter is built with: 16 (5 probes: 0.14% false "present"), 2.2% once it holds twice as many. */
const BITS_PER_ROW = 16
const PROBES = 5
/** The smallest filter built (bits): 128 KiB. */
const MIN_BITS = 1 << 20
const SPLIT = 0x200000 // 2^21: bucketHash() is h0 · 2^21 + (21 bits of h1)

export class LookupFilter {
  /** Rows it was sized for: past this, the store rebuilds it bigger. */
  readonly capacity: number
  /** Rows added so far (an upper bound: pruned rows stay counted). */
  rows: number
  readonly words: Uint32Array
  private readonly bits: number

  private constructor(capacity: number, rows: number, words: Uint32Array) {
    this.capacity = capacity
    this.rows = rows
    this.words = words
    this.bits = words.length * 32
  }

  /** An empty filter for `rows` rows now and up to twice as many later. */
  static sized(rows: number): LookupFilter {
    const capacity = Math.max(rows * 2, (MIN_BITS * 2) / BITS_PER_ROW)
    const words = Math.ceil((capacity * BITS_PER_ROW) / 2 / 32)
    return new LookupFilter(capacity, 0, new Uint32Array(words))
  }

  static fromBlob(blob: Uint8Array, capacity: number, rows: number): LookupFilter {
    const copy = new Uint8Array(blob.byteLength)
    copy.set(blob)
    return new LookupFilter(capacity, rows, new Uint32Array(copy.buffer, 0, copy.byteLength >>> 2))
  }

  toBlob(): Uint8Array {
    return new Uint8Array(this.words.buffer, this.words.byteOffset, this.words.byteLength)
  }

  add(h: number): void {
    const a = Math.floor(h / SPLIT)
    const b = (h % SPLIT) * 2 + 1
    for (let i = 0; i < PROBES; i++) {
      const bit = (a + i * b) % this.bits
      const w = bit >>> 5
      this.words[w] = (this.words[w] as number) | (1 << (bit & 31))
    }
    this.rows++
  }

  has(h: number): boolean {
    const a = Math.floor(h / SPLIT)
    const b = (h % SPLIT) * 2 + 1
    for (let i = 0; i < PROBES; i++) {
      const bit = (a + i * b) % this.bits
      if (((this.words[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false
    }
    return true
  }
}

/** A LookupFilter as the store keeps it: read from lookup_filter, added to by writes, saved with the commit. */
export interface StoredFilter {
  get(): LookupFilter
  add(hashes: readonly number[]): void
  /** At begin: another connection may have committed since it was read. */
  refresh(): void
  save(): void
  /** After a rollback: it may hold the rolled-back values (harmless) or be a rebuilt one: read it again. */
  forget(): void
}

/** The SQLite store's two filters: bucket hashes of both bucket tables, and exact keys. */
export interface StoreFilters {
  buckets: StoredFilter
  keys: StoredFilter
  all: readonly StoredFilter[]
}

/**
 * A Bloom filter over the values of index tables, kept in lookup_filter under `name` and written with each commit
 * that added to it. It is read again after another connection committed; a database without it (made before schema
 * 4) builds it from the tables, one pass each through a SQL function (no row objects). Past its capacity it answers
 * "present" more and more often, so it is rebuilt twice as big from the tables (which hold the open transaction's
 * rows): the rebuilds of a growing store cost about two scans in all.
 */
function storedFilter(
  conn: SqliteConnection,
  name: string,
  tables: readonly (readonly [table: string, column: string])[],
  hash: (value: unknown) => number,
): StoredFilter {
  let current: LookupFilter | undefined
  let version = -1
  let dirty = false
  const build = (): LookupFilter => {
    const handle = conn.open()
    let rows = 0
    for (const [table] of tables) rows += (conn.stmt(`SELECT count(*) AS c FROM ${table}`).get() as { c: number }).c
    const built = LookupFilter.sized(rows)
    handle.function('tonghop_filter_add', { deterministic: false }, (value) => {
      built.add(hash(value))
      return null
    })
    for (const [table, column] of tables) handle.exec(`SELECT count(tonghop_filter_add(${column})) FROM ${table}`)
    return built
  }
  const get = (): LookupFilter => {
    if (current && (conn.inTransaction || conn.dataVersion() === version)) return current
    version = conn.dataVersion()
    const row = conn.stmt('SELECT capacity, rows, bits FROM lookup_filter WHERE name = ?').get(name) as
      | { capacity: number; rows: number; bits: Uint8Array }
      | undefined
    current = row ? LookupFilter.fromBlob(row.bits, row.capacity, row.rows) : build()
    dirty = row === undefined
    return current
  }
  return {
    get,
    add(hashes) {
      const f = get()
      for (const h of hashes) f.add(h)
      dirty = true
      if (f.rows > f.capacity) current = build()
    },
    refresh() {
      if (current && conn.dataVersion() !== version) current = undefined
    },
    save() {
      if (!dirty || !current) return
      conn
        .stmt(
          `INSERT INTO lookup_filter (name, capacity, rows, bits) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET capacity = excluded.capacity, rows = excluded.rows, bits = excluded.bits`,
        )
        .run(name, current.capacity, current.rows, current.toBlob())
      dirty = false
    },
    forget() {
      current = undefined
      dirty = false
    },
  }
}

export function createStoreFilters(conn: SqliteConnection): StoreFilters {
  const buckets = storedFilter(
    conn,
    'buckets',
    [
      ['story_bucket', 'h'],
      ['story_bucket_recent', 'h'],
    ],
    Number,
  )
  // keys are hashed like buckets (bucketHash: persisted in the filter's bits, so never changed without a migration)
  const keys = storedFilter(conn, 'keys', [['story_key', 'key']], (key) => bucketHash(String(key)))
  return { buckets, keys, all: [buckets, keys] }
}
