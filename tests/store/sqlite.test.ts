import { mkdirSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../src/store/index.js'
import { defaultCacheKiB } from '../../src/store/sqlite/index.js'
import { bucketHash, SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from '../../src/store/sqlite/migrations.js'
import { article, describeStoreContract, record } from '../contract/store-contract.js'
import { killAfterWrite } from '../helpers/crash.js'
import { listIds } from '../helpers/stores.js'
import { tempDir, tempFile } from '../helpers/tmp.js'

describeStoreContract('sqlite', async () => {
  const store = createSqliteStore({ path: tempFile() })
  await store.init()
  return store
})

const T0 = Date.UTC(2025, 5, 1)

describe('sqlite store', () => {
  it('keeps its state in the file: a reopened store finds it', async () => {
    const path = tempFile()
    const first = createSqliteStore({ path })
    await first.init()
    const tx = await first.begin()
    await tx.write({ stories: [record('s1', T0, ['k1'], ['b1'])], sources: [{ key: 'src', etag: 'e1' }] })
    await tx.commit()
    await first.close()

    const second = createSqliteStore({ path })
    await second.init()
    expect((await second.findByKeys(['k1'])).get('k1')).toBe('s1')
    expect((await second.findByBuckets(['b1'], new Date(0))).get('b1')).toEqual(['s1'])
    expect((await second.getSourceStates(['src'])).get('src')?.etag).toBe('e1')
    expect((await second.getStories(['s1']))[0]?.story.primary.published.getTime()).toBe(T0)
    await second.close()
  })

  describe('bucket index: a small recent table, a big one, and a Bloom filter over both', () => {
    const rows = (path: string) => {
      const db = new DatabaseSync(path)
      const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
      const out = { big: count('story_bucket'), recent: count('story_bucket_recent') }
      db.close()
      return out
    }
    const buckets = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`)

    it('merges the recent rows into the big table (swapped into an empty one, then in key order); lookups and pruning see both', async () => {
      const path = tempFile()
      const store = createSqliteStore({ path, bucketMergeRows: 5 })
      await store.init()
      const write = async (...records: ReturnType<typeof record>[]) => {
        const tx = await store.begin()
        await tx.write({ stories: records })
        await tx.commit()
      }
      await write(record('s1', T0, ['k1'], buckets('a', 10)))
      expect(rows(path)).toEqual({ big: 10, recent: 0 })
      // s2 shares a0..a3 with s1
      await write(record('s2', T0 + 1, ['k2'], [...buckets('a', 4), ...buckets('b', 4)]))
      expect(rows(path)).toEqual({ big: 18, recent: 0 })
      // 3 rows: not past bucketMergeRows, they stay recent
      await write(record('s3', T0 + 2, ['k3'], ['a0', 'b0', 'c0']))
      expect(rows(path)).toEqual({ big: 18, recent: 3 })
      const found = await store.findByBuckets(['a0', 'a5', 'b0', 'c0', 'zz'], new Date(0))
      expect(Object.fromEntries([...found].map(([b, ids]) => [b, [...ids].sort()]))).toEqual({
        a0: ['s1', 's2', 's3'],
        a5: ['s1'],
        b0: ['s2', 's3'],
        c0: ['s3'],
      })
      // a limited list takes from both tables: a0 is s1's and s2's in the big one, s3's in the recent one
      const limited = await store.findByBuckets(['a0', 'c0'], new Date(0), 2)
      expect(limited.get('a0')).toHaveLength(2)
      expect(new Set([...(limited.get('a0') ?? []), 's1', 's2', 's3']).size).toBe(3)
      expect(limited.get('c0')).toEqual(['s3'])
      expect((await store.findByBuckets(['a0'], new Date(T0 + 2), 2)).get('a0')).toEqual(['s3'])
      // a reopened store (the filter read back from the file) finds the same
      await store.close()
      const reopened = createSqliteStore({ path })
      await reopened.init()
      expect([...((await reopened.findByBuckets(['a0'], new Date(0))).get('a0') ?? [])].sort()).toEqual([
        's1',
        's2',
        's3',
      ])
      expect(await reopened.prune(new Date(T0 + 1_000_000))).toBe(3)
      await reopened.close()
      expect(rows(path)).toEqual({ big: 0, recent: 0 })
    })

    it('finds buckets and keys another connection committed after this one read the filters', async () => {
      const path = tempFile()
      const writer = createSqliteStore({ path })
      const reader = createSqliteStore({ path })
      await writer.init()
      await reader.init()
      expect((await reader.findByBuckets(['x1'], new Date(0))).size).toBe(0)
      expect((await reader.findByKeys(['k1'])).size).toBe(0)
      const tx = await writer.begin()
      await tx.write({ stories: [record('s1', T0, ['k1'], ['x1'])] })
      await tx.commit()
      expect((await reader.findByBuckets(['x1'], new Date(0))).get('x1')).toEqual(['s1'])
      expect((await reader.findByKeys(['k1'])).get('k1')).toBe('s1')
      // and a transaction of the reader's own starts from the writer's filter
      const own = await reader.begin()
      await own.write({ stories: [record('s2', T0, ['k2'], ['x2'])] })
      await own.commit()
      expect((await writer.findByBuckets(['x1', 'x2'], new Date(0))).size).toBe(2)
      expect((await writer.findByKeys(['k1', 'k2'])).size).toBe(2)
      await writer.close()
      await reader.close()
    })

    it('forgets a rolled-back write and still records the next one', async () => {
      const path = tempFile()
      const store = createSqliteStore({ path })
      await store.init()
      const dropped = await store.begin()
      await dropped.write({ stories: [record('s1', T0, ['k1'], ['y1'])] })
      expect((await store.findByBuckets(['y1'], new Date(0))).get('y1')).toEqual(['s1'])
      await dropped.rollback()
      expect((await store.findByBuckets(['y1'], new Date(0))).size).toBe(0)
      const kept = await store.begin()
      await kept.write({ stories: [record('s2', T0, ['k2'], ['y2'])] })
      await kept.commit()
      await store.close()
      const reopened = createSqliteStore({ path })
      await reopened.init()
      expect(Object.fromEntries(await reopened.findByBuckets(['y1', 'y2'], new Date(0)))).toEqual({ y2: ['s2'] })
      expect(Object.fromEntries(await reopened.findByKeys(['k1', 'k2']))).toEqual({ k2: 's2' })
      await reopened.close()
    })

    it('rebuilds the filter bigger once it holds more rows than it was sized for, within the transaction', async () => {
      const path = tempFile()
      const store = createSqliteStore({ path })
      await store.init()
      const capacity = () => {
        const db = new DatabaseSync(path)
        const row = db.prepare("SELECT capacity, rows FROM lookup_filter WHERE name = 'buckets'").get() as {
          capacity: number
          rows: number
        }
        db.close()
        return row
      }
      let tx = await store.begin()
      await tx.write({ stories: [record('s0', T0, ['k0'], ['z0'])] })
      await tx.commit()
      const first = capacity()
      // past the first filter's capacity in one transaction
      const stories = Math.ceil(first.capacity / 20) + 10
      tx = await store.begin()
      await tx.write({
        stories: Array.from({ length: stories }, (_, i) => record(`t${i}`, T0, [`kt${i}`], buckets(`t${i}:`, 20))),
      })
      await tx.commit()
      const second = capacity()
      expect(second.rows).toBe(stories * 20 + 1)
      expect(second.capacity).toBeGreaterThan(second.rows)
      expect(second.capacity).toBeGreaterThan(first.capacity)
      await store.close()
      const reopened = createSqliteStore({ path })
      await reopened.init()
      const asked = ['z0', ...Array.from({ length: 50 }, (_, i) => `t${i * 97}:${i % 20}`)]
      expect((await reopened.findByBuckets(asked, new Date(0))).size).toBe(asked.length)
      await reopened.close()
    })
  })

  it('uses WAL and records its schema version', async () => {
    const path = tempFile()
    const store = createSqliteStore({ path })
    await store.init()
    await store.close()
    const db = new DatabaseSync(path)
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal')
    expect((db.prepare('SELECT version FROM schema_version').get() as { version: number }).version).toBe(
      SQLITE_SCHEMA_VERSION,
    )
    db.close()
  })

  it('keeps the previous run intact when a run is killed before commit', async () => {
    const path = tempFile()
    const store = createSqliteStore({ path })
    await store.init()
    const tx = await store.begin()
    await tx.write({ stories: [record('kept', T0, ['k-kept'], ['b-kept'])], sources: [{ key: 'src', etag: 'before' }] })
    await tx.commit()
    await store.close()

    expect(await killAfterWrite(['sqlite', path])).toBe('SIGKILL')

    const after = createSqliteStore({ path })
    await after.init()
    expect(await listIds(after)).toEqual(['kept'])
    const [kept] = await after.getStories(['kept'])
    expect(kept?.story.primary.title).toBe('Tiêu đề kept')
    expect(kept?.keys).toEqual(['k-kept'])
    expect(Object.fromEntries(await after.findByKeys(['k-kept', 'k-half-written', 'h1']))).toEqual({ 'k-kept': 'kept' })
    expect((await after.getSourceStates(['src'])).get('src')?.etag).toBe('before')
    // and the next run can write
    const tx2 = await after.begin()
    await tx2.write({ stories: [record('next', T0 + 1, ['k-next'])] })
    await tx2.commit()
    expect(await listIds(after)).toEqual(['next', 'kept'])
    await after.close()
  }, 30_000)

  it('refuses a database with a newer schema version (ERR_STORE_SCHEMA)', async () => {
    const path = tempFile()
    const store = createSqliteStore({ path })
    await store.init()
    await store.close()
    const db = new DatabaseSync(path)
    db.prepare('UPDATE schema_version SET version = ?').run(SQLITE_SCHEMA_VERSION + 1)
    db.close()
    const newer = createSqliteStore({ path })
    await expect(newer.init()).rejects.toMatchObject({ name: 'StoreError', code: 'ERR_STORE_SCHEMA', url: path })
    await newer.close()
  })

  it('migrates an empty schema_version database and is idempotent on reopen', async () => {
    const path = tempFile()
    for (let i = 0; i < 3; i++) {
      const store = createSqliteStore({ path })
      await store.init()
      await store.init()
      await store.close()
    }
    const db = new DatabaseSync(path)
    expect((db.prepare('SELECT count(*) AS n FROM schema_version').get() as { n: number }).n).toBe(1)
    db.close()
  })

  it('fails with ERR_STORE_UNAVAILABLE when the directory is missing or the file is not a database', async () => {
    const dir = tempDir()
    const missing = createSqliteStore({ path: join(dir, 'no', 'such', 'dir', 'state.sqlite') })
    await expect(missing.init()).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    await expect(missing.findByKeys(['k'])).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    await missing.close()

    const garbage = join(dir, 'garbage.sqlite')
    writeFileSync(garbage, 'this is not an SQLite database, just text that is long enough to have a header'.repeat(20))
    const bad = createSqliteStore({ path: garbage })
    await expect(bad.init()).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    await bad.close()

    const asDir = join(dir, 'a-directory')
    mkdirSync(asDir)
    const dirStore = createSqliteStore({ path: asDir })
    await expect(dirStore.init()).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    await dirStore.close()
  })

  it('fails with ERR_STORE_LOCKED when another connection holds the write lock past busy_timeout', async () => {
    const path = tempFile()
    const a = createSqliteStore({ path, busyTimeout: 50 })
    const b = createSqliteStore({ path, busyTimeout: 50 })
    await a.init()
    await b.init()
    const tx = await a.begin()
    await tx.write({ stories: [record('s1', T0, ['k1'])] })
    await expect(b.begin()).rejects.toMatchObject({ code: 'ERR_STORE_LOCKED' })
    // readers are not blocked by the writer (WAL) and do not see its uncommitted writes
    expect((await b.findByKeys(['k1'])).size).toBe(0)
    await tx.commit()
    expect((await b.findByKeys(['k1'])).get('k1')).toBe('s1')
    const tx2 = await b.begin()
    await tx2.rollback()
    await a.close()
    await b.close()
  })

  it('rolls back an open transaction on close', async () => {
    const path = tempFile()
    const a = createSqliteStore({ path })
    await a.init()
    const tx = await a.begin()
    await tx.write({ stories: [record('s1', T0, ['k1'])] })
    await a.close()
    await expect(tx.commit()).rejects.toMatchObject({ code: 'ERR_STORE_QUERY' })
    const b = createSqliteStore({ path })
    expect(await listIds(b)).toEqual([])
    await b.close()
  })

  it('applies the records of one write in order: a later new story carrying an earlier one’s key joins it', async () => {
    const store = createSqliteStore({ path: tempFile() })
    await store.init()
    let tx = await store.begin()
    await tx.write({ stories: [record('s0', T0, ['k0'], ['b0'])] })
    await tx.commit()
    const update = record('s0', T0, ['k0', 'k1'], ['b0'])
    const first = record('s1', T0 + 1000, ['k1', 'k2'], ['b1'])
    const second = record('s2', T0 + 2000, ['k2', 'k3'], ['b2'])
    second.story.primary = article('s2-copy', new Date(T0 + 2000))
    tx = await store.begin()
    await tx.write({ stories: [update, first, second] })
    await tx.commit()
    // k1 went to s0 (the update claimed it first), so s1 joined s0; then s2 (k2, now s0's) joined s0 too
    expect(await store.getStories(['s1', 's2'])).toEqual([])
    const [s0] = await store.getStories(['s0'])
    expect(s0?.story.duplicates.map((a) => a.id)).toEqual(['s1', 's2-copy'])
    expect(Object.fromEntries(await store.findByKeys(['k0', 'k1', 'k2', 'k3']))).toEqual({
      k0: 's0',
      k1: 's0',
      k2: 's0',
      k3: 's0',
    })
    expect((await store.findByBuckets(['b1', 'b2'], new Date(0))).get('b2')).toEqual(['s0'])
    await store.close()
  })

  it('migrates a version-1 database (text bucket index) and finds its stories by bucket and prunes them', async () => {
    const path = tempFile()
    const db = new DatabaseSync(path)
    db.exec('CREATE TABLE schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)')
    db.exec(SQLITE_MIGRATIONS[0]!)
    db.exec('INSERT INTO schema_version (id, version) VALUES (1, 1)')
    const story = JSON.stringify(record('s1', T0).story)
    db.prepare('INSERT INTO story (n, id, published, first_seen, last_seen) VALUES (1, ?, ?, ?, ?)').run(
      's1',
      T0,
      T0,
      T0,
    )
    db.prepare('INSERT INTO story_data (n, story, keys, buckets) VALUES (1, ?, ?, ?)').run(
      story,
      '["k1"]',
      '["m0:abc","l1:xyz"]',
    )
    db.exec(`INSERT INTO story_key VALUES ('k1', 1); INSERT INTO story_bucket VALUES ('m0:abc', 1), ('l1:xyz', 1)`)
    db.close()

    const store = createSqliteStore({ path })
    await store.init()
    expect(Object.fromEntries(await store.findByBuckets(['m0:abc', 'l1:xyz', 'm0:nope'], new Date(0)))).toEqual({
      'm0:abc': ['s1'],
      'l1:xyz': ['s1'],
    })
    expect(await store.prune(new Date(T0 + 1))).toBe(1)
    await store.close()
    const check = new DatabaseSync(path)
    expect((check.prepare('SELECT version FROM schema_version').get() as { version: number }).version).toBe(
      SQLITE_SCHEMA_VERSION,
    )
    expect((check.prepare('SELECT count(*) AS n FROM story_bucket').get() as { n: number }).n).toBe(0)
    check.close()
  })
  it('migrates a version-2 database (keys, buckets, fingerprint after the story JSON) to the narrow story_meta', async () => {
    const path = tempFile()
    const db = new DatabaseSync(path)
    db.function('tonghop_bucket_hash', { deterministic: true }, (bucket) => bucketHash(String(bucket)))
    db.exec('CREATE TABLE schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)')
    db.exec(SQLITE_MIGRATIONS[0]!)
    db.exec(SQLITE_MIGRATIONS[1]!)
    db.exec('INSERT INTO schema_version (id, version) VALUES (1, 2)')
    const insertStory = db.prepare('INSERT INTO story (n, id, published, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)')
    const insertData = db.prepare(
      'INSERT INTO story_data (n, story, fingerprint, keys, buckets) VALUES (?, ?, ?, ?, ?)',
    )
    const insertBucket = db.prepare('INSERT INTO story_bucket (h, n) VALUES (?, ?)')
    // s1 with a fingerprint and a story JSON big enough to overflow its page; s2 without a fingerprint
    const big = record('s1', T0)
    big.story.primary.text = ['lời '.repeat(5_000)]
    insertStory.run(1, 's1', T0, T0, T0)
    insertData.run(1, JSON.stringify(big.story), JSON.stringify({ v: 1, sig: [7] }), '["k1","k1b"]', '["b1","b2"]')
    insertStory.run(2, 's2', T0 + 10, T0 + 10, T0 + 10)
    insertData.run(2, JSON.stringify(record('s2', T0 + 10).story), null, '["k2"]', '["b2"]')
    db.exec(`INSERT INTO story_key VALUES ('k1', 1), ('k1b', 1), ('k2', 2)`)
    for (const [b, n] of [
      ['b1', 1],
      ['b2', 1],
      ['b2', 2],
    ] as const)
      insertBucket.run(bucketHash(b), n)
    db.close()

    const store = createSqliteStore({ path })
    await store.init()
    expect(Object.fromEntries(await store.getFingerprints!(['s1', 's2', 'nope']))).toEqual({ s1: { v: 1, sig: [7] } })
    const [s1] = await store.getStories(['s1'])
    expect(s1?.story.primary.text).toEqual(big.story.primary.text)
    expect(s1?.keys).toEqual(['k1', 'k1b'])
    expect(s1?.buckets).toEqual(['b1', 'b2'])
    expect(s1?.fingerprint).toEqual({ v: 1, sig: [7] })
    const [s2] = await store.getStories(['s2'])
    expect(s2?.keys).toEqual(['k2'])
    expect(s2?.fingerprint).toBeUndefined()
    expect(Object.fromEntries(await store.findByKeys(['k1', 'k2']))).toEqual({ k1: 's1', k2: 's2' })
    expect(Object.fromEntries(await store.findByBuckets(['b1', 'b2'], new Date(0)))).toEqual({
      b1: ['s1'],
      b2: ['s1', 's2'],
    })
    // an update adds to the migrated keys and buckets (index rows only for the new ones)
    const tx = await store.begin()
    await tx.write({ stories: [{ ...record('s1', T0, ['k1', 'k3'], ['b3']), fingerprint: { v: 1, sig: [8] } }] })
    await tx.commit()
    const [updated] = await store.getStories(['s1'])
    expect(updated?.keys).toEqual(['k1', 'k1b', 'k3'])
    expect(updated?.buckets).toEqual(['b1', 'b2', 'b3'])
    expect(updated?.fingerprint).toEqual({ v: 1, sig: [8] })
    expect((await store.findByKeys(['k3'])).get('k3')).toBe('s1')
    expect((await store.findByBuckets(['b3'], new Date(0))).get('b3')).toEqual(['s1'])
    // pruning deletes the migrated stories' index rows by their lists
    expect(await store.prune(new Date(T0 + 1_000_000))).toBe(2)
    await store.close()
    const check = new DatabaseSync(path)
    expect((check.prepare('SELECT version FROM schema_version').get() as { version: number }).version).toBe(
      SQLITE_SCHEMA_VERSION,
    )
    for (const table of ['story', 'story_data', 'story_meta', 'story_key', 'story_bucket']) {
      expect((check.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, table).toBe(0)
    }
    check.close()
  })
})

describe('sqlite store: default page cache', () => {
  it('grows with the file: a twelfth of it, within 64–256 MiB', () => {
    const dir = tempDir()
    const file = (name: string, bytes: number) => {
      const path = join(dir, name)
      writeFileSync(path, '')
      truncateSync(path, bytes)
      return path
    }
    expect(defaultCacheKiB(join(dir, 'missing.sqlite'))).toBe(65_536)
    expect(defaultCacheKiB(':memory:')).toBe(65_536)
    expect(defaultCacheKiB(file('small.sqlite', 100 * 2 ** 20))).toBe(65_536)
    expect(defaultCacheKiB(file('mid.sqlite', 1.5 * 2 ** 30))).toBe(131_072)
    expect(defaultCacheKiB(file('big.sqlite', 5 * 2 ** 30))).toBe(262_144)
  })
})
