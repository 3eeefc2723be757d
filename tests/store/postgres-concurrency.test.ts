import { afterAll, describe, expect, it } from 'vitest'
import { createPostgresStore } from '../../src/entries/stores-postgres.js'
import type { StateStore, StoryRecord } from '../../src/store/types.js'
import { article, record } from '../contract/store-contract.js'
import { PG_URL, schemaFactory } from '../helpers/postgres.js'
import { listIds } from '../helpers/stores.js'

const newSchema = schemaFactory()
const opened: StateStore[] = []
// closed before the schemas are dropped (hooks run last-registered first): a failed test's open transaction is
// rolled back instead of blocking DROP SCHEMA
afterAll(() => Promise.all(opened.map((s) => s.close())))
const T0 = Date.UTC(2025, 5, 1)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** `n` stores on one fresh schema, each with its own pool (as separate workers would be). */
async function workers(n: number): Promise<StateStore[]> {
  const schema = newSchema()
  const stores = Array.from({ length: n }, () => createPostgresStore({ connectionString: PG_URL, schema, max: 4 }))
  opened.push(...stores)
  await Promise.all(stores.map((s) => s.init()))
  return stores
}

/**
 * What the deduper does for one batch in a shared store: lock the batch's keys, look them up, then add the copy to
 * the story found or start a new one.
 */
async function dedupeOne(store: StateStore, copy: StoryRecord, events: string[], name: string): Promise<void> {
  const tx = await store.begin()
  await store.lockKeys!([...copy.keys, ...copy.buckets])
  const found = [...(await store.findByKeys(copy.keys)).values()][0]
  events.push(`${name}:${found === undefined ? 'new' : 'found'}`)
  if (found === undefined) {
    await tx.write({ stories: [copy] })
  } else {
    const [existing] = await store.getStories([found])
    existing!.story.duplicates.push(copy.story.primary)
    existing!.keys = [...copy.keys]
    existing!.buckets = [...copy.buckets]
    await tx.write({ stories: [existing!] })
  }
  await sleep(30) // hold the locks a little, as a real batch does
  await tx.commit()
}

describe('postgres store: several workers on one database', () => {
  it('never leases one source to two owners, however the claims interleave', async () => {
    const stores = await workers(3)
    const keys = Array.from({ length: 200 }, (_, i) => `feed-${i}`)
    for (let round = 0; round < 5; round++) {
      // each worker asks for every source, in its own order
      const got = await Promise.all(
        stores.map((s, w) => s.claimSources!(`w${w}`, w % 2 ? [...keys].reverse() : keys, 60_000)),
      )
      const all = got.flat()
      expect(new Set(all).size).toBe(all.length)
      expect(all.sort()).toEqual([...keys].sort())
      await Promise.all(stores.map((s, w) => s.releaseSources!(`w${w}`, got[w]!)))
    }
  })

  it('takes over an expired lease, keeps a live one, and renews for the same owner', async () => {
    const [a, b] = await workers(2)
    expect(await a!.claimSources!('a', ['s1', 's2'], 60_000)).toEqual(['s1', 's2'])
    expect(await b!.claimSources!('b', ['s1', 's2', 's3'], 60_000)).toEqual(['s3'])
    expect(await a!.claimSources!('a', ['s1'], 1)).toEqual(['s1']) // renewal (here: shortened) by the owner
    await sleep(20)
    expect(await b!.claimSources!('b', ['s1', 's2'], 60_000)).toEqual(['s1']) // a's s1 expired, s2 is live
    await a!.releaseSources!('b', ['s2']) // only the owner can release
    expect(await b!.claimSources!('b', ['s2'], 60_000)).toEqual([])
    await a!.releaseSources!('a', ['s2'])
    expect(await b!.claimSources!('b', ['s2'], 60_000)).toEqual(['s2'])
    expect(await a!.claimSources!('a', [], 60_000)).toEqual([])
  })

  it('gives the publish lock of a round to exactly one of three workers', async () => {
    const stores = await workers(3)
    for (let round = 0; round < 5; round++) {
      const got = await Promise.all(stores.map((s, w) => s.acquireLock(`publish:${round}`, `w${w}`, 60_000)))
      expect(got.filter(Boolean).length).toBe(1)
    }
  })

  it('ends with one story when two transactions write copies with overlapping keys at the same moment', async () => {
    const [a, b] = await workers(2)
    const txA = await a!.begin()
    const txB = await b!.begin()
    const copyA = record('story-a', T0, ['u:bao.vn/1', 'h:body1'], ['b1'])
    const copyB = record('story-b', T0 + 60_000, ['u:portal.vn/9', 'h:body1'], ['b1', 'b2'])
    copyB.story.primary = article('portal-copy', new Date(T0 + 60_000))
    await txA.write({ stories: [copyA] })
    // B's insert of h:body1 waits for A's transaction to end …
    let bWrote = false
    const writeB = txB.write({ stories: [copyB] }).then(() => {
      bWrote = true
    })
    await sleep(100)
    expect(bWrote).toBe(false)
    await txA.commit()
    // … then finds the key taken and joins A's story
    await writeB
    await txB.commit()
    expect((await listIds(a!)).sort()).toEqual(['story-a'])
    const [story] = await b!.getStories(['story-a'])
    expect(story?.story.duplicates.map((x) => x.id)).toEqual(['portal-copy'])
    expect(Object.fromEntries(await a!.findByKeys(['u:bao.vn/1', 'u:portal.vn/9', 'h:body1']))).toEqual({
      'u:bao.vn/1': 'story-a',
      'u:portal.vn/9': 'story-a',
      'h:body1': 'story-a',
    })
  })

  it('keeps the second writer’s story when the first one rolls back', async () => {
    const [a, b] = await workers(2)
    const txA = await a!.begin()
    const txB = await b!.begin()
    await txA.write({ stories: [record('story-a', T0, ['k'])] })
    const writeB = txB.write({ stories: [record('story-b', T0, ['k'])] })
    await sleep(50)
    await txA.rollback()
    await writeB
    await txB.commit()
    expect((await listIds(a!)).sort()).toEqual(['story-b'])
  })

  it('serialises dedupe with lockKeys: the second worker sees the first one’s story and adds its copy', async () => {
    const [a, b, c] = await workers(3)
    const events: string[] = []
    const copy = (id: string, n: number) => {
      const r = record(id, T0 + n, ['h:same-body', `u:${id}`], ['band0:x', `band1:${id}`])
      return r
    }
    await Promise.all([
      dedupeOne(a!, copy('from-a', 1), events, 'a'),
      dedupeOne(b!, copy('from-b', 2), events, 'b'),
      dedupeOne(c!, copy('from-c', 3), events, 'c'),
    ])
    // one batch at a time: only the first worker to get the locks found nothing; the others found its story
    expect(events.filter((e) => e.endsWith(':new')).length).toBe(1)
    expect(events.filter((e) => e.endsWith(':found')).length).toBe(2)
    const stored = (await listIds(a!)).sort()
    expect(stored.length).toBe(1)
    const [story] = await a!.getStories(stored)
    expect([story!.story.primary.id, ...story!.story.duplicates.map((d) => d.id)].sort()).toEqual([
      'from-a',
      'from-b',
      'from-c',
    ])
  })

  it('does not deadlock when two batches lock the same keys in opposite orders', async () => {
    const [a, b] = await workers(2)
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}`)
    const run = async (store: StateStore, order: string[], id: string) => {
      const tx = await store.begin()
      await store.lockKeys!(order)
      await tx.write({ stories: [record(id, T0, [`own:${id}`])] })
      await sleep(20)
      await tx.commit()
    }
    await Promise.all([run(a!, keys, 's-a'), run(b!, [...keys].reverse(), 's-b')])
    expect((await listIds(a!)).sort()).toEqual(['s-a', 's-b'])
  })

  it('checkpoint() makes a batch visible to other workers, releases its key locks, and survives a rollback', async () => {
    const [a, b] = await workers(2)
    const tx = await a!.begin()
    await a!.lockKeys!(['k1'])
    await tx.write({ stories: [record('s1', T0, ['k1'])], sources: [{ key: 'feed-1', etag: 'W/"1"' }] })
    expect((await b!.findByKeys(['k1'])).size).toBe(0)

    const txB = await b!.begin()
    let bLocked = false
    const lockB = b!.lockKeys!(['k1']).then(() => {
      bLocked = true
    })
    await sleep(100)
    expect(bLocked).toBe(false)
    await tx.checkpoint!()
    await lockB
    expect(bLocked).toBe(true)
    // B now sees A's batch, validators included
    expect((await b!.findByKeys(['k1'])).get('k1')).toBe('s1')
    expect((await b!.getSourceStates(['feed-1'])).get('feed-1')?.etag).toBe('W/"1"')
    await txB.commit()

    await tx.write({ stories: [record('s2', T0, ['k2'])] })
    await tx.rollback()
    expect((await listIds(b!)).sort()).toEqual(['s1'])
  })

  it('shares HTTP validators, back-offs and permanent redirects between workers', async () => {
    const [a, b] = await workers(2)
    const tx = await a!.begin()
    await tx.write({
      sources: [
        {
          key: 'feed-1',
          url: 'https://bao.vn/rss/moved',
          etag: 'W/"x"',
          lastModified: 'Tue, 10 Jun 2025 03:00:00 GMT',
        },
        { key: 'host:bao.vn', retryAfterUntil: new Date(T0 + 3_600_000) },
      ],
    })
    await tx.commit()
    const states = await b!.getSourceStates(['feed-1', 'host:bao.vn'])
    expect(states.get('feed-1')).toMatchObject({ url: 'https://bao.vn/rss/moved', etag: 'W/"x"' })
    expect(states.get('host:bao.vn')?.retryAfterUntil?.getTime()).toBe(T0 + 3_600_000)
  })
})
