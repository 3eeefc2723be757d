import { describe, expect, it } from 'vitest'
import { createDeduper, prepareArticles } from '../../src/dedupe/index.js'
import { createMemoryStore } from '../../src/store/index.js'
import type { Article } from '../../src/types.js'
import { loadLabelled } from '../helpers/labelled.js'

const set = loadLabelled()
const now = new Date('2025-07-01T00:00:00Z')

/** The labelled set through one deduper, batch by batch, each batch prepared by `prepare` (or not at all). */
async function dedupe(prepare?: (batch: Article[]) => unknown) {
  const store = createMemoryStore()
  const tx = await store.begin()
  const deduper = createDeduper(store, { now: () => now })
  const outcomes = []
  const articles = structuredClone(set.articles) as Article[]
  for (let i = 0; i < articles.length; i += 7) {
    const batch = articles.slice(i, i + 7)
    const result = await deduper.add(batch, prepare?.(batch) as never)
    await tx.write({ stories: result.records })
    outcomes.push(...result.outcomes.map((o) => o.kind))
  }
  await tx.commit()
  const stories = []
  for await (const s of store.listStories({ limit: 1000 })) {
    stories.push([s.primary.id, ...s.duplicates.map((d) => d.id)].sort().join(' '))
  }
  return { outcomes, stories: stories.sort() }
}

describe('prepareArticles', () => {
  it('gives add() the same stories when done ahead and sent through structuredClone (as to a worker)', async () => {
    const plain = await dedupe()
    const cloned = await dedupe((batch) => structuredClone({ batch, prepared: prepareArticles(batch) }).prepared)
    expect(plain.stories.length).toBeGreaterThan(10)
    expect(plain.stories.some((s) => s.includes(' '))).toBe(true)
    expect(cloned).toEqual(plain)
  })

  it('is ignored when it was made for other articles', async () => {
    const plain = await dedupe()
    const others = prepareArticles(structuredClone(set.articles.slice(0, 7)) as Article[])
    expect(await dedupe(() => others)).toEqual(plain)
  })
})
