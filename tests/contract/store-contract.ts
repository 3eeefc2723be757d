import { describe, expect, it } from 'vitest'
import type { StateStore, StoryRecord } from '../../src/store/index.js'
import type { Article } from '../../src/types.js'
import { describeHealthContract } from './health-contract.js'
import { describePartitionContract } from './partition-contract.js'

const DAY = 86_400_000
const T0 = Date.UTC(2025, 5, 1, 3, 0, 0)

export function article(id: string, published: Date, extra: Partial<Article> = {}): Article {
  return {
    id,
    url: id,
    title: `Tiêu đề ${id}`,
    published,
    contentHtml: '<p>Nội dung</p>',
    text: ['Nội dung'],
    images: [],
    enclosures: [],
    categories: [],
    source: { id: 'src', feedUrl: 'https://bao.example.vn/rss' },
    ...extra,
  }
}

export function record(id: string, publishedMs: number, keys: string[] = [], buckets: string[] = []): StoryRecord {
  const published = new Date(publishedMs)
  return {
    story: { id, primary: article(id, published), duplicates: [] },
    keys,
    buckets,
    fingerprint: { v: 1, sig: [1, 2, 3], title: 'tieu de' },
    published,
    firstSeen: new Date(publishedMs + 1000),
    lastSeen: new Date(publishedMs + 2000),
  }
}

async function write(store: StateStore, records: StoryRecord[]) {
  const tx = await store.begin()
  await tx.write({ stories: records })
  await tx.commit()
}

async function list(store: StateStore, options?: Parameters<StateStore['listStories']>[0]) {
  const out: string[] = []
  for await (const story of store.listStories(options)) out.push(story.id)
  return out
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The one contract every StateStore passes. `make()` gives a fresh, empty, initialised store; the suite closes it.
 */
export function describeStoreContract(name: string, make: () => Promise<StateStore>) {
  const withStore = (fn: (store: StateStore) => Promise<void>) => async () => {
    const store = await make()
    try {
      await fn(store)
    } finally {
      await store.close()
    }
  }

  describe(`${name} store contract`, () => {
    describePartitionContract(make)
    describeHealthContract(make)

    it(
      'initialises twice without harm',
      withStore(async (store) => {
        await write(store, [record('s1', T0, ['k1'])])
        await store.init()
        await store.init()
        expect((await store.findByKeys(['k1'])).get('k1')).toBe('s1')
      }),
    )

    it(
      'round-trips source states, Dates and host: keys included',
      withStore(async (store) => {
        const tx = await store.begin()
        await tx.write({
          sources: [
            {
              key: 'bao-thai-binh',
              url: 'https://baothaibinh.com.vn/rss/moved',
              etag: 'W/"abc"',
              lastModified: 'Tue, 10 Jun 2025 03:00:00 GMT',
              bodyHash: 'deadbeef',
              lastFetchedAt: new Date(T0),
              lastStatus: 'ok',
            },
            { key: 'host:baothaibinh.com.vn', retryAfterUntil: new Date(T0 + 3_600_000) },
            { key: 'gone-feed', gone: true },
          ],
        })
        await tx.commit()
        const states = await store.getSourceStates(['bao-thai-binh', 'host:baothaibinh.com.vn', 'gone-feed', 'nope'])
        expect([...states.keys()].sort()).toEqual(['bao-thai-binh', 'gone-feed', 'host:baothaibinh.com.vn'])
        const a = states.get('bao-thai-binh')!
        expect(a.etag).toBe('W/"abc"')
        expect(a.url).toBe('https://baothaibinh.com.vn/rss/moved')
        expect(a.lastFetchedAt).toBeInstanceOf(Date)
        expect(a.lastFetchedAt?.getTime()).toBe(T0)
        const host = states.get('host:baothaibinh.com.vn')!
        expect(host.retryAfterUntil).toBeInstanceOf(Date)
        expect(host.retryAfterUntil?.getTime()).toBe(T0 + 3_600_000)
        expect(states.get('gone-feed')?.gone).toBe(true)

        // a later write replaces the state
        const tx2 = await store.begin()
        await tx2.write({ sources: [{ key: 'bao-thai-binh', etag: 'W/"def"' }] })
        await tx2.commit()
        const again = (await store.getSourceStates(['bao-thai-binh'])).get('bao-thai-binh')!
        expect(again.etag).toBe('W/"def"')
        expect(again.lastFetchedAt).toBeUndefined()
      }),
    )

    it(
      'gives a lock to one owner at a time, lets only the owner release it, and takes over an expired one',
      withStore(async (store) => {
        expect(await store.acquireLock('run', 'a', 60_000)).toBe(true)
        expect(await store.acquireLock('run', 'b', 60_000)).toBe(false)
        expect(await store.acquireLock('run', 'a', 60_000)).toBe(true) // the owner may renew
        expect(await store.acquireLock('other', 'b', 60_000)).toBe(true) // locks are per name
        await store.releaseLock('run', 'b') // not the owner: no effect
        expect(await store.acquireLock('run', 'b', 60_000)).toBe(false)
        await store.releaseLock('run', 'a')
        expect(await store.acquireLock('run', 'b', 1)).toBe(true)
        await sleep(20)
        expect(await store.acquireLock('run', 'c', 60_000)).toBe(true) // b's lock expired
        expect(await store.acquireLock('run', 'b', 60_000)).toBe(false)
      }),
    )

    it(
      'finds a story again by any key of any of its copies, and by its buckets within the window',
      withStore(async (store) => {
        await write(store, [
          record('s1', T0, ['g:a:1', 'u:a.vn/1'], ['b0:x', 'b1:y']),
          record('s2', T0 - 10 * DAY, ['u:b.vn/2'], ['b0:x']),
        ])
        const keys = await store.findByKeys(['g:a:1', 'u:a.vn/1', 'u:b.vn/2', 'missing'])
        expect(Object.fromEntries(keys)).toEqual({ 'g:a:1': 's1', 'u:a.vn/1': 's1', 'u:b.vn/2': 's2' })
        const all = await store.findByBuckets(['b0:x', 'b1:y', 'b9:none'], new Date(T0 - 30 * DAY))
        expect(all.get('b0:x')?.sort()).toEqual(['s1', 's2'])
        expect(all.get('b1:y')).toEqual(['s1'])
        expect(all.has('b9:none')).toBe(false)
        const recent = await store.findByBuckets(['b0:x'], new Date(T0 - DAY))
        expect(recent.get('b0:x')).toEqual(['s1'])
        expect(await store.findByKeys([])).toEqual(new Map())
        expect(await store.findByBuckets([], new Date(0))).toEqual(new Map())
      }),
    )

    it(
      'adds keys and buckets to what a story had, keeps the first writer of a key, and stores the latest story',
      withStore(async (store) => {
        await write(store, [record('s1', T0, ['k1'], ['b1'])])
        const updated = record('s1', T0 + 5000, ['k2'], ['b2'])
        updated.story.duplicates.push(article('copy', new Date(T0 + 9000)))
        updated.firstSeen = new Date(T0 + 999_999)
        await write(store, [updated, record('s2', T0, ['k3'], [])])
        const [got] = await store.getStories(['s1'])
        expect(got?.keys.sort()).toEqual(['k1', 'k2'])
        expect(got?.buckets.sort()).toEqual(['b1', 'b2'])
        expect(got?.story.duplicates.map((a) => a.id)).toEqual(['copy'])
        expect(got?.published.getTime()).toBe(T0 + 5000)
        expect(got?.firstSeen.getTime()).toBe(T0 + 1000) // the earliest first-seen is kept
        expect((await store.findByBuckets(['b1', 'b2'], new Date(T0))).size).toBe(2)
      }),
    )

    it(
      'merges a new story whose key another story owns into that story (concurrent writers)',
      withStore(async (store) => {
        await write(store, [record('s1', T0, ['u:a.vn/1'], ['b1'])])
        const late = record('s9', T0 + 60_000, ['u:a.vn/1', 'u:c.vn/9'], ['b9'])
        late.story.primary = article('c-copy', new Date(T0 + 60_000))
        await write(store, [late])
        expect(await store.getStories(['s9'])).toEqual([])
        const [s1] = await store.getStories(['s1'])
        expect(s1?.story.primary.id).toBe('s1')
        expect(s1?.story.duplicates.map((a) => a.id)).toEqual(['c-copy'])
        expect(Object.fromEntries(await store.findByKeys(['u:a.vn/1', 'u:c.vn/9']))).toEqual({
          'u:a.vn/1': 's1',
          'u:c.vn/9': 's1',
        })
        expect((await store.findByBuckets(['b9'], new Date(0))).get('b9')).toEqual(['s1'])
      }),
    )

    it(
      'looks up thousands of keys, buckets and stories in one call',
      withStore(async (store) => {
        const records = Array.from({ length: 2_000 }, (_, i) =>
          record(`s${i}`, T0 + i * 1000, [`k${i}`, `k${i}b`], [`b${i % 500}`]),
        )
        await write(store, records)
        const keys = await store.findByKeys([...records.map((_, i) => `k${i}`), 'nope'])
        expect(keys.size).toBe(2_000)
        expect(keys.get('k1999')).toBe('s1999')
        const buckets = await store.findByBuckets(
          Array.from({ length: 500 }, (_, i) => `b${i}`),
          new Date(0),
        )
        expect(buckets.size).toBe(500)
        expect(buckets.get('b7')?.sort()).toEqual(['s1007', 's1507', 's507', 's7'])
        const stories = await store.getStories([...records.map((r) => r.story.id), 'nope', 's1'])
        expect(stories.length).toBe(2_000)
        expect(new Set(stories.map((s) => s.story.id)).size).toBe(2_000)
      }),
    )

    it(
      "stops a bucket's list at the limit asked for, counting only stories in the window",
      withStore(async (store) => {
        // in the window: crowd 5 (and a 6th below), pair 2, lone 1; before it: 3 more with crowd and lone
        await write(store, [
          ...Array.from({ length: 5 }, (_, i) => record(`c${i}`, T0 + i, [`kc${i}`], ['crowd', i < 2 ? 'pair' : 'x'])),
          ...Array.from({ length: 3 }, (_, i) => record(`old${i}`, T0 - 10_000 - i, [`ko${i}`], ['crowd', 'lone'])),
          record('l1', T0, ['kl1'], ['lone']),
        ])
        // and one written by a later transaction
        await write(store, [record('c9', T0 + 9, ['kc9'], ['crowd'])])
        const since = new Date(T0)
        const limited = await store.findByBuckets(['crowd', 'pair', 'lone', 'none'], since, 3)
        expect(limited.get('crowd')).toHaveLength(3)
        for (const id of limited.get('crowd') ?? []) expect(id).toMatch(/^c\d$/)
        expect(limited.get('pair')?.sort()).toEqual(['c0', 'c1'])
        expect(limited.get('lone')).toEqual(['l1'])
        expect(limited.has('none')).toBe(false)
        expect((await store.findByBuckets(['crowd'], since)).get('crowd')).toHaveLength(6)
        expect((await store.findByBuckets(['crowd'], since, 6)).get('crowd')).toHaveLength(6)
      }),
    )

    it(
      'gives back fingerprints alone when it offers getFingerprints (optional)',
      withStore(async (store) => {
        if (!store.getFingerprints) return
        const bare = record('bare', T0, ['kb'])
        delete bare.fingerprint
        await write(store, [record('s1', T0, ['k1']), bare])
        const got = await store.getFingerprints(['s1', 'bare', 'missing', 's1'])
        expect([...got.keys()]).toEqual(['s1'])
        expect(got.get('s1')).toEqual({ v: 1, sig: [1, 2, 3], title: 'tieu de' })
        const tx = await store.begin()
        const changed = record('s1', T0, [])
        changed.fingerprint = { v: 1, sig: [9] }
        await tx.write({ stories: [changed] })
        expect((await store.getFingerprints(['s1'])).get('s1')).toEqual({ v: 1, sig: [9] })
        await tx.rollback()
        expect((await store.getFingerprints(['s1'])).get('s1')).toEqual({ v: 1, sig: [1, 2, 3], title: 'tieu de' })
      }),
    )

    it(
      'gives back Dates as Dates, with the fingerprint as written',
      withStore(async (store) => {
        const r = record('s1', T0, ['k1'])
        r.story.primary.updated = new Date(T0 + 7)
        r.story.duplicates.push(article('d1', new Date(T0 + 3)))
        await write(store, [r])
        const [got] = await store.getStories(['s1'])
        expect(got?.published).toBeInstanceOf(Date)
        expect(got?.firstSeen.getTime()).toBe(T0 + 1000)
        expect(got?.lastSeen.getTime()).toBe(T0 + 2000)
        expect(got?.story.primary.published).toBeInstanceOf(Date)
        expect(got?.story.primary.published.getTime()).toBe(T0)
        expect(got?.story.primary.updated?.getTime()).toBe(T0 + 7)
        expect(got?.story.duplicates[0]?.published.getTime()).toBe(T0 + 3)
        expect(got?.story.duplicates[0]?.updated).toBeUndefined()
        expect(got?.fingerprint).toEqual({ v: 1, sig: [1, 2, 3], title: 'tieu de' })
        for await (const story of store.listStories()) expect(story.primary.published).toBeInstanceOf(Date)
      }),
    )

    it(
      'lets reads see the open transaction’s writes before commit, and commit keeps them',
      withStore(async (store) => {
        const tx = await store.begin()
        await tx.write({ stories: [record('s1', T0, ['k1'], ['b1'])], sources: [{ key: 'src', etag: 'e' }] })
        expect((await store.findByKeys(['k1'])).get('k1')).toBe('s1')
        expect((await store.findByBuckets(['b1'], new Date(0))).get('b1')).toEqual(['s1'])
        expect((await store.getStories(['s1'])).length).toBe(1)
        expect((await store.getSourceStates(['src'])).get('src')?.etag).toBe('e')
        await tx.write({ stories: [record('s2', T0, ['k2'])] })
        await tx.commit()
        expect(await list(store)).toEqual(['s1', 's2'])
      }),
    )

    it(
      'rolls back to the previous state',
      withStore(async (store) => {
        await write(store, [record('s1', T0, ['k1'], ['b1'])])
        const tx = await store.begin()
        const changed = record('s1', T0 + DAY, ['k1', 'k1x'], ['b1x'])
        changed.story.duplicates.push(article('dup', new Date(T0)))
        await tx.write({
          stories: [changed, record('s2', T0, ['k2'], ['b1'])],
          sources: [{ key: 'src', etag: 'new' }],
        })
        await tx.rollback()
        expect(Object.fromEntries(await store.findByKeys(['k1', 'k1x', 'k2']))).toEqual({ k1: 's1' })
        expect((await store.findByBuckets(['b1', 'b1x'], new Date(0))).get('b1')).toEqual(['s1'])
        expect((await store.findByBuckets(['b1x'], new Date(0))).size).toBe(0)
        const [s1] = await store.getStories(['s1'])
        expect(s1?.story.duplicates).toEqual([])
        expect(s1?.published.getTime()).toBe(T0)
        expect((await store.getSourceStates(['src'])).size).toBe(0)
        expect(await list(store)).toEqual(['s1'])
        // the store is usable after a rollback
        await write(store, [record('s3', T0, ['k3'])])
        expect(await list(store)).toEqual(['s1', 's3'])
      }),
    )

    it(
      'lists stories newest first with a limit, a since bound and the id as tie-break',
      withStore(async (store) => {
        await write(store, [
          record('c', T0),
          record('a', T0),
          record('old', T0 - 5 * DAY),
          record('new', T0 + DAY),
          record('b', T0),
        ])
        expect(await list(store)).toEqual(['new', 'a', 'b', 'c', 'old'])
        expect(await list(store, { limit: 3 })).toEqual(['new', 'a', 'b'])
        expect(await list(store, { since: new Date(T0) })).toEqual(['new', 'a', 'b', 'c'])
        expect(await list(store, { since: new Date(T0 + 1) })).toEqual(['new'])
        expect(await list(store, { limit: 0 })).toEqual([])
      }),
    )

    it(
      'streams long lists in order (more than one page)',
      withStore(async (store) => {
        await write(
          store,
          Array.from({ length: 1_050 }, (_, i) => record(`s${String(i).padStart(4, '0')}`, T0 + Math.floor(i / 3))),
        )
        const ids = await list(store, { limit: 2_000 })
        expect(ids.length).toBe(1_050)
        // every story once, in order, across page boundaries that split stories published at the same time
        const expected = Array.from({ length: 1_050 }, (_, i) => i)
          .sort((x, y) => Math.floor(y / 3) - Math.floor(x / 3) || x - y)
          .map((i) => `s${String(i).padStart(4, '0')}`)
        expect(ids).toEqual(expected)
        expect(ids[0]).toBe('s1047')
        expect(ids.slice(0, 3)).toEqual(['s1047', 's1048', 's1049'])
        expect(ids.at(-1)).toBe('s0002')
        const stream = store.listStories({ limit: 2_000 })[Symbol.asyncIterator]()
        expect((await stream.next()).value?.id).toBe('s1047')
      }),
    )

    it(
      'prunes stories published before a date, with their keys and buckets',
      withStore(async (store) => {
        await write(store, [
          record('old1', T0 - 40 * DAY, ['k-old1'], ['b']),
          record('old2', T0 - 31 * DAY, ['k-old2'], ['b']),
          record('edge', T0 - 30 * DAY, ['k-edge'], ['b']),
          record('new', T0, ['k-new'], ['b']),
        ])
        expect(await store.prune(new Date(T0 - 30 * DAY))).toBe(2)
        expect(await list(store)).toEqual(['new', 'edge'])
        expect([...(await store.findByKeys(['k-old1', 'k-old2', 'k-edge', 'k-new'])).keys()].sort()).toEqual([
          'k-edge',
          'k-new',
        ])
        expect((await store.findByBuckets(['b'], new Date(0))).get('b')?.sort()).toEqual(['edge', 'new'])
        expect(await store.getStories(['old1'])).toEqual([])
        expect(await store.prune(new Date(T0 - 30 * DAY))).toBe(0)
      }),
    )

    it(
      'forgets page states not seen since a date, and nothing else',
      withStore(async (store) => {
        expect(store.prunePages).toBeTypeOf('function')
        const page = (seenAt: number | undefined, lastAttemptAt: number) => ({
          status: 'ok' as const,
          attempts: 1,
          lastAttemptAt,
          ...(seenAt === undefined ? {} : { seenAt }),
        })
        const tx = await store.begin()
        await tx.write({
          sources: [
            { key: 'page:https://a.vn/old', page: page(T0 - 40 * DAY, T0 - 40 * DAY) },
            { key: 'page:https://a.vn/seen', page: page(T0, T0 - 40 * DAY) },
            { key: 'page:https://a.vn/legacy-old', page: page(undefined, T0 - 31 * DAY) },
            { key: 'page:https://a.vn/legacy-new', page: page(undefined, T0 - DAY) },
            { key: 'src-old', lastStatus: 'ok', lastFetchedAt: new Date(T0 - 400 * DAY) },
            { key: 'host:a.vn', retryAfterUntil: new Date(T0 - 400 * DAY) },
          ],
        })
        await tx.commit()
        expect(await store.prunePages!(new Date(T0 - 30 * DAY))).toBe(2)
        const left = await store.getSourceStates([
          'page:https://a.vn/old',
          'page:https://a.vn/seen',
          'page:https://a.vn/legacy-old',
          'page:https://a.vn/legacy-new',
          'src-old',
          'host:a.vn',
        ])
        expect([...left.keys()].sort()).toEqual([
          'host:a.vn',
          'page:https://a.vn/legacy-new',
          'page:https://a.vn/seen',
          'src-old',
        ])
        expect(await store.prunePages!(new Date(T0 - 30 * DAY))).toBe(0)
      }),
    )

    it(
      'keeps an old story that was seen again recently (a feed still carries it)',
      withStore(async (store) => {
        const carried = { ...record('carried', T0 - 400 * DAY, ['k-carried']), lastSeen: new Date(T0) }
        await write(store, [carried, record('stale', T0 - 400 * DAY, ['k-stale'])])
        expect(await store.prune(new Date(T0 - 30 * DAY))).toBe(1)
        expect(await list(store)).toEqual(['carried'])
        expect([...(await store.findByKeys(['k-carried', 'k-stale'])).keys()]).toEqual(['k-carried'])
      }),
    )
  })
}
