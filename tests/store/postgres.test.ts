import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createPostgresStore, type StoreTransaction } from '../../src/entries/stores-postgres.js'
import { describeStoreContract, record } from '../contract/store-contract.js'
import { PG_URL, schemaFactory, testPool } from '../helpers/postgres.js'

const newSchema = schemaFactory()
const T0 = Date.UTC(2025, 5, 1)

describeStoreContract('postgres', async () => {
  const store = createPostgresStore({ connectionString: PG_URL, schema: newSchema() })
  await store.init()
  return store
})

describe('postgres store', () => {
  const pool = testPool()

  it('records its schema version once, however many stores initialise it at the same moment', async () => {
    const schema = newSchema()
    const stores = Array.from({ length: 4 }, () => createPostgresStore({ connectionString: PG_URL, schema }))
    await Promise.all(stores.map((s) => s.init()))
    await Promise.all(stores.map((s) => s.init()))
    const { rows } = await pool.query(`SELECT version FROM "${schema}".schema_migrations`)
    expect(rows).toEqual([{ version: 1 }])
    const tx = await stores[0]!.begin()
    await tx.write({ stories: [record('s1', T0, ['k1'])] })
    await tx.commit()
    expect((await stores[3]!.findByKeys(['k1'])).get('k1')).toBe('s1')
    await Promise.all(stores.map((s) => s.close()))
  })

  it('initialises on first use when init() was not called', async () => {
    const store = createPostgresStore({ pool, schema: newSchema() })
    expect(await store.findByKeys(['k'])).toEqual(new Map())
    await store.close()
  })

  it('refuses a schema written by a newer tonghop (ERR_STORE_SCHEMA)', async () => {
    const schema = newSchema()
    const store = createPostgresStore({ pool, schema })
    await store.init()
    await store.close()
    await pool.query(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (999, 'future')`)
    const newer = createPostgresStore({ pool, schema })
    await expect(newer.init()).rejects.toMatchObject({ name: 'StoreError', code: 'ERR_STORE_SCHEMA' })
    await newer.close()
  })

  it('leaves a pool it was given open on close(), and refuses use after close', async () => {
    const store = createPostgresStore({ pool, schema: newSchema() })
    await store.init()
    await store.close()
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    await expect(store.findByKeys(['k'])).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    await expect(store.begin()).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
  })

  it('fails with ERR_STORE_UNAVAILABLE when no server answers', async () => {
    const store = createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test', schema: newSchema() })
    await expect(store.init()).rejects.toMatchObject({ name: 'StoreError', code: 'ERR_STORE_UNAVAILABLE' })
    await expect(store.getSourceStates(['x'])).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    await store.close()
  })

  it('fails with ERR_STORE_UNAVAILABLE for a database that does not exist', async () => {
    const store = createPostgresStore({
      connectionString: 'postgres://postgres@127.0.0.1:5432/tonghop_no_such_db',
      schema: newSchema(),
    })
    await expect(store.init()).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    await store.close()
  })

  it('rejects bad options with ERR_CONFIG_INVALID', () => {
    const bad = [
      {},
      { pool, connectionString: PG_URL },
      { connectionString: '' },
      { pool, schema: 'no-dashes' },
      { pool, schema: '1abc' },
      { pool, schema: 'x"; DROP SCHEMA public; --' },
      { pool, lockStripes: 0 },
      { connectionString: PG_URL, max: 1 },
    ]
    for (const options of bad) {
      expect(() => createPostgresStore(options as never), JSON.stringify(Object.keys(options))).toThrow(
        expect.objectContaining({ name: 'ConfigError', code: 'ERR_CONFIG_INVALID' }),
      )
    }
  })

  it('rejects a lease or lock time that is not a positive number of ms', async () => {
    const store = createPostgresStore({ pool, schema: newSchema() })
    for (const ms of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(store.claimSources!('a', ['s'], ms)).rejects.toMatchObject({ code: 'ERR_STORE_QUERY' })
      await expect(store.acquireLock('run', 'a', ms)).rejects.toMatchObject({ code: 'ERR_STORE_QUERY' })
    }
    await store.close()
  })

  it('stores text PostgreSQL jsonb refuses: NUL characters are dropped, lone surrogates become U+FFFD', async () => {
    const store = createPostgresStore({ pool, schema: newSchema() })
    const r = record('s1', T0, ['k1'])
    r.story.primary.title = 'Bão\u0000 số 3 \uD83D đổ bộ \\u0000 literal'
    r.story.primary.text = ['a\uDC00b', 'ok 😀']
    r.fingerprint = { t: 'x\u0000y' }
    const tx = await store.begin()
    await tx.write({ stories: [r], sources: [{ key: 'src', etag: 'W/"\u0000e"' }] })
    await tx.commit()
    const [got] = await store.getStories(['s1'])
    expect(got?.story.primary.title).toBe('Bão số 3 \uFFFD đổ bộ \\u0000 literal')
    expect(got?.story.primary.text).toEqual(['a\uFFFDb', 'ok 😀'])
    expect(got?.fingerprint).toEqual({ t: 'xy' })
    expect((await store.getSourceStates(['src'])).get('src')?.etag).toBe('W/"e"')
    await store.close()
  })

  it('lets a later write under a merged id land in the story it joined', async () => {
    const schema = newSchema()
    const store = createPostgresStore({ pool, schema })
    const write = async (...records: ReturnType<typeof record>[]) => {
      const tx = await store.begin()
      await tx.write({ stories: records })
      await tx.commit()
    }
    await write(record('s1', T0, ['u:a'], ['b1']))
    await write(record('s9', T0, ['u:a', 'u:b'], ['b9'])) // merged into s1
    const again = record('s9', T0, ['u:c'], ['b10']) // only new keys, same (merged) id
    await write(again)
    expect(await store.getStories(['s9'])).toEqual([])
    expect(Object.fromEntries(await store.findByKeys(['u:a', 'u:b', 'u:c']))).toEqual({
      'u:a': 's1',
      'u:b': 's1',
      'u:c': 's1',
    })
    const [s1] = await store.getStories(['s1'])
    expect(s1?.keys).toEqual(['u:a', 'u:b', 'u:c'])
    expect(s1?.story.duplicates.map((a) => a.id)).toEqual(['s9'])
    // pruning the story forgets its aliases too
    expect(await store.prune(new Date(T0 + 60_000))).toBe(1)
    expect((await pool.query(`SELECT count(*)::int AS n FROM "${schema}".story_aliases`)).rows[0].n).toBe(0)
    await store.close()
  })

  it('leaves no listeners behind on pooled connections after many transactions', async () => {
    const small = testPool(1)
    const store = createPostgresStore({ pool: small, schema: newSchema() })
    await store.init()
    const probe = await small.connect()
    const before = probe.listenerCount('error')
    probe.release()
    for (let i = 0; i < 15; i++) {
      const tx = await store.begin()
      await tx.write({ sources: [{ key: `s${i}` }] })
      if (i % 2) await tx.commit()
      else await tx.rollback()
    }
    const after = await small.connect()
    expect(after).toBe(probe) // one connection, reused
    expect(after.listenerCount('error')).toBe(before)
    after.release()
    await store.close()
  })

  it('refuses a second transaction, even one asked for at the same moment', async () => {
    const store = createPostgresStore({ pool, schema: newSchema() })
    await store.init()
    const results = await Promise.allSettled([store.begin(), store.begin()])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(rejected.reason).toMatchObject({ code: 'ERR_STORE_QUERY' })
    const tx = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<StoreTransaction>).value
    await tx.commit()
    await expect(tx.write({})).rejects.toMatchObject({ code: 'ERR_STORE_QUERY' })
    await expect(tx.checkpoint!()).rejects.toMatchObject({ code: 'ERR_STORE_QUERY' })
    await tx.rollback() // a no-op once finished
    const next = await store.begin()
    await next.rollback()
    await store.close()
  })

  it('needs an open transaction for lockKeys', async () => {
    const store = createPostgresStore({ pool, schema: newSchema() })
    await expect(store.lockKeys!(['k'])).rejects.toMatchObject({ code: 'ERR_STORE_QUERY' })
    await store.close()
  })

  it('keeps pg out of the main entry: only src/store/postgres/connection.ts loads it', () => {
    const src = fileURLToPath(new URL('../../src', import.meta.url))
    const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'))
    const loaders = files.filter((f) =>
      /from 'pg'|import\('pg'\)|require\('pg'\)/.test(readFileSync(join(src, f), 'utf8')),
    )
    expect(loaders.map((f) => f.replaceAll('\\', '/'))).toEqual(['store/postgres/connection.ts'])
    const storeIndex = join(src, 'store', 'index.ts')
    expect(readFileSync(storeIndex, 'utf8')).not.toMatch(/postgres/)
    // and the one import of pg there is a type import plus a dynamic import at first use
    const pgFile = readFileSync(join(src, 'store', 'postgres', 'connection.ts'), 'utf8')
    expect(pgFile).toMatch(/^import type \{[^}]*\} from 'pg'$/m)
    expect(pgFile).not.toMatch(/^import (?!type)[^\n]* from 'pg'$/m)
  })
})

describe('postgres store: connection string', () => {
  it('takes the schema from a `schema` query parameter', async () => {
    const schema = newSchema()
    const store = createPostgresStore({ connectionString: `${PG_URL}?schema=${schema}` })
    await store.init()
    await store.close()
    const pool = testPool(1)
    const { rows } = await pool.query(
      'SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1',
      [schema],
    )
    expect(rows[0].n).toBe(1)
  })
})
