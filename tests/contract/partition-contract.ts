import { expect, it } from 'vitest'
import { createDeduper } from '../../src/dedupe/index.js'
import type { StateStore } from '../../src/store/index.js'
import type { Article, Story } from '../../src/types.js'
import { harvestRewrite, labelledArticle, loadLabelled } from '../helpers/labelled.js'

const set = loadLabelled()
const copyOf = (a: Article) => `${a.source.id}\u0000${a.id}`

async function allStories(store: StateStore): Promise<Story[]> {
  const out: Story[] = []
  for await (const story of store.listStories({ limit: 10_000 })) out.push(story)
  return out
}

/** One run of a deduper over the store: one transaction, the batches in order; the outcomes per batch. */
async function run(store: StateStore, batches: Article[][], now: Date) {
  const tx = await store.begin()
  const deduper = createDeduper(store, { now: () => now })
  const outcomes = []
  for (const batch of batches) {
    const { records, outcomes: o } = await deduper.add(batch)
    await tx.write({ stories: records })
    await tx.checkpoint?.()
    outcomes.push(...o)
  }
  await tx.commit()
  return outcomes
}

/** Every article given is a copy in exactly one stored story, the one its outcome names. */
async function expectPartition(store: StateStore, given: Article[], storyIds: string[]) {
  const stories = await allStories(store)
  given.forEach((a, i) => {
    const holding = stories.filter((s) => [s.primary, ...s.duplicates].some((x) => copyOf(x) === copyOf(a)))
    expect(
      holding.map((s) => s.id),
      `${a.source.id} ${a.url}`,
    ).toEqual([storyIds[i]])
  })
}

/**
 * Dedupe over a store partitions what it is given: every article is the primary or a duplicate of exactly one stored
 * story — exact copies (same URL listed again, the same URL in another feed), near copies and credited rewrites;
 * within one batch, across batches and across runs. Called by describeStoreContract for every store.
 */
export function describePartitionContract(make: () => Promise<StateStore>) {
  it('keeps every article given in exactly one story: exact, near and credited copies, batches and runs', async () => {
    const store = await make()
    try {
      const original = labelledArticle(set, 'A', 'original')
      const listedAgain = structuredClone(original)
      const mirror = { ...structuredClone(original), source: { ...original.source, id: 'baothaibinh-thoi-su' } }
      const nfd = labelledArticle(set, 'A', 'NFD copy')
      const harvest = labelledArticle(set, 'G', 'original')
      const rewrite = harvestRewrite(harvest)
      const single = labelledArticle(set, 'S2', 'singleton')

      // run 1: a copy listed twice and carried by two feeds in one batch, a near copy and another story in the next
      const run1 = [
        [original, listedAgain, mirror],
        [nfd, harvest],
      ]
      const o1 = await run(store, run1, new Date('2025-06-12T00:00:00Z'))
      const given1 = run1.flat()
      expect(o1.map((o) => o.kind)).toEqual(['new', 'duplicate', 'duplicate', 'duplicate', 'new'])
      await expectPartition(
        store,
        given1,
        o1.map((o) => o.storyId),
      )
      const a = (await store.getStories([o1[0]!.storyId]))[0]!.story
      expect(1 + a.duplicates.length).toBe(4)

      // run 2: the same copies again, a credited rewrite of run 1's story, and a new story
      const run2 = [
        [structuredClone(original), structuredClone(mirror)],
        [rewrite, single],
      ]
      const o2 = await run(store, run2, new Date('2025-06-13T00:00:00Z'))
      expect(o2.map((o) => o.kind)).toEqual(['unchanged', 'unchanged', 'duplicate', 'new'])
      expect(o2[2]!.storyId).toBe(o1[4]!.storyId)
      await expectPartition(
        store,
        [...given1, ...run2.flat()],
        [...o1, ...o2].map((o) => o.storyId),
      )
      // seen again, nothing grows
      expect((await store.getStories([o1[0]!.storyId]))[0]!.story.duplicates.length).toBe(3)

      // run 3: the rewrite once more is the same copy seen again
      const o3 = await run(store, [[structuredClone(rewrite)]], new Date('2025-06-14T00:00:00Z'))
      expect(o3.map((o) => o.kind)).toEqual(['unchanged'])
      expect((await allStories(store)).length).toBe(3)
    } finally {
      await store.close()
    }
  })
}
