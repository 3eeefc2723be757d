/**
 * The whole pipeline through the library API, against a real loopback server and real stores.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aggregate, createAggregator } from '../src/aggregator.js'
import type { AggregatorOptions } from '../src/options.js'
import { createMemoryStore, createSqliteStore } from '../src/store/index.js'
import { serve, startServer, type TestServer } from './helpers/server.js'
import { tempDir } from './helpers/tmp.js'

const examples = new URL('../examples/feeds/', import.meta.url)
const read = (name: string) => readFileSync(new URL(name, examples))
const SEED = 'Họp Ban Hội nhập kinh tế quốc tế tỉnh'

let server: TestServer
beforeAll(async () => {
  server = await startServer({
    '/portal.rss': serve(read('thaibinh-portal-tin-tong-hop.rss.xml')),
    '/baothaibinh.atom': serve(read('baothaibinh-thoi-su.atom.xml'), { 'content-type': 'application/atom+xml' }),
    '/kienxuong.rss': serve(read('kienxuong-tin-tuc.rss.xml')),
    '/tdp.json': serve(read('tin-dia-phuong.json'), { 'content-type': 'application/feed+json' }),
  })
})
afterAll(() => server.close())

function options(dir: string, extra: Partial<AggregatorOptions> = {}): AggregatorOptions {
  return {
    sources: [
      { id: 'portal', url: `${server.origin}/portal.rss`, name: 'Cổng TTĐT tỉnh Thái Bình' },
      { id: 'btb', url: `${server.origin}/baothaibinh.atom`, name: 'Báo Thái Bình', credit: 'Báo Thái Bình' },
      { id: 'kx', url: `${server.origin}/kienxuong.rss`, name: 'Huyện Kiến Xương' },
      { id: 'tdp', url: `${server.origin}/tdp.json`, name: 'Tin địa phương' },
      { id: 'missing', url: `${server.origin}/missing.rss` },
    ],
    fetch: { allowHosts: [server.host], minHostInterval: 0, retries: 0 },
    // the example feeds' items link to the real sites: no page is fetched (tests stay on loopback)
    extract: { fullText: 'never' },
    feed: { title: 'Tổng hợp', link: 'https://example.com/' },
    outputs: [{ path: join(dir, 'merged.json'), format: 'json' }],
    retention: { days: 0 },
    ...extra,
  }
}

const seedItems = (file: string) =>
  (JSON.parse(readFileSync(file, 'utf8')) as { items: { title: string }[] }).items.filter((i) => i.title === SEED)

describe('aggregate()', () => {
  it('runs every stage: a failing feed is an outcome, the rest are merged into one credited story', async () => {
    const dir = tempDir()
    const report = await aggregate(options(dir))
    const byId = Object.fromEntries(report.sources.map((s) => [s.id, s]))
    expect(byId.missing).toMatchObject({ status: 'failed', code: 'ERR_FETCH_HTTP_STATUS', httpStatus: 404 })
    for (const id of ['portal', 'btb', 'kx', 'tdp']) expect(byId[id]?.status).toBe('ok')
    expect(report.stories.new).toBe(6)
    expect(report.stories.duplicates).toBe(3)
    expect(report.outputs).toEqual([{ path: join(dir, 'merged.json'), format: 'json', written: true, items: 6 }])
    expect(seedItems(join(dir, 'merged.json'))).toHaveLength(1)
  })

  it('gives the same result with feeds parsed in worker threads', async () => {
    const [inline, threaded] = await Promise.all([
      aggregate(options(tempDir(), { threads: 0 })),
      aggregate(options(tempDir(), { threads: 1 })),
    ])
    const strip = (r: typeof inline) => ({
      stories: r.stories,
      sources: r.sources.map((s) => [s.id, s.status, s.items]),
    })
    expect(strip(threaded)).toEqual(strip(inline))
  })
})

describe('createAggregator() across runs', () => {
  it('does not render outputs again when nothing changed, and does when their settings change', async () => {
    const dir = tempDir()
    const store = createSqliteStore({ path: join(dir, 'state.sqlite') })
    const first = createAggregator(options(dir, { store }))
    await first.run()
    const file = join(dir, 'merged.json')
    // a marker the renderer would overwrite: it survives only if the output is not rendered again
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n`)
    const mtime = statSync(file).mtimeMs
    const second = await first.run()
    expect(second.sources.filter((s) => s.id !== 'missing').map((s) => s.status)).toEqual(Array(4).fill('unchanged'))
    expect(second.outputs[0]).toMatchObject({ written: false, items: 6 })
    expect(statSync(file).mtimeMs).toBe(mtime)
    await first.close()

    const retitled = createAggregator(
      options(dir, { store, feed: { title: 'Tin Thái Bình', link: 'https://example.com/' } }),
    )
    const third = await retitled.run()
    expect(third.outputs[0]).toMatchObject({ written: true, items: 6 })
    expect(JSON.parse(readFileSync(file, 'utf8')).title).toBe('Tin Thái Bình')
    await retitled.close()
    await store.close()
  })

  it('gives outputs their own state, and still reads the settings hash older versions kept in bodyHash', async () => {
    const dir = tempDir()
    const store = createSqliteStore({ path: join(dir, 'state.sqlite') })
    const aggregator = createAggregator(options(dir, { store }))
    await aggregator.run()
    const file = join(dir, 'merged.json')
    const key = `output:${file}`
    const state = (await store.getSourceStates([key])).get(key)
    expect(state).toMatchObject({ key, settingsHash: expect.stringMatching(/^[0-9a-f]{64}$/), items: 6 })
    expect(state?.bodyHash).toBeUndefined()

    // the shape written before OutputState: the settings hash in bodyHash
    const { settingsHash = '', ...rest } = state ?? { key }
    const tx = await store.begin()
    await tx.write({ sources: [{ ...rest, bodyHash: settingsHash }] })
    await tx.commit()
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n`)
    const marked = readFileSync(file, 'utf8')
    const second = await aggregator.run()
    expect(second.outputs[0]).toMatchObject({ written: false, items: 6 })
    expect(readFileSync(file, 'utf8')).toBe(marked)

    // and a legacy hash that no longer matches the settings still renders the output
    const stale = await store.begin()
    await stale.write({ sources: [{ key, bodyHash: 'f'.repeat(64), items: 6 }] })
    await stale.commit()
    const third = await aggregator.run()
    expect(third.outputs[0]).toMatchObject({ written: true, items: 6 })
    expect(readFileSync(file, 'utf8')).not.toBe(marked)
    await aggregator.close()
    await store.close()
  })

  it('leaves the store as it was after a dry run', async () => {
    const store = createMemoryStore()
    const aggregator = createAggregator(options(tempDir(), { store }))
    const dry = await aggregator.run({ dryRun: true })
    expect(dry.stories.new).toBe(6)
    expect(dry.outputs).toEqual([])
    const real = await aggregator.run()
    expect(real.stories.new).toBe(6)
    await aggregator.close()
  })

  it('refuses a second run on a store whose run lock is held', async () => {
    const store = createMemoryStore()
    await store.init()
    expect(await store.acquireLock('run', 'someone-else', 60_000)).toBe(true)
    const aggregator = createAggregator(options(tempDir(), { store }))
    await expect(aggregator.run()).rejects.toMatchObject({ code: 'ERR_STORE_LOCKED' })
    // a caller holding its own exclusive lock (the CLI's lock file) may skip the store's
    await expect(aggregator.run({ runLock: false })).resolves.toMatchObject({ stories: { new: 6 } })
  })

  it('rejects invalid options at construction with the field path', () => {
    expect(() => createAggregator({ ...options(tempDir()), fetch: { concurrency: 0 } })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID', path: 'fetch.concurrency' }),
    )
  })
})
