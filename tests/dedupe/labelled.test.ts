import { describe, expect, it } from 'vitest'
import { createDeduper, DEDUPE_DEFAULTS, dedupeArticles } from '../../src/dedupe/index.js'
import { createMemoryStore } from '../../src/store/index.js'
import { loadLabelled, pairScores } from './labelled.js'

const set = loadLabelled()
const labels = set.articles.map((a) => a.story)

describe('labelled set (tests/fixtures/dedupe/labelled.json)', () => {
  it('has at least 60 Vietnamese articles with copies and hard negatives', () => {
    expect(set.articles.length).toBeGreaterThanOrEqual(60)
    expect(set.hardNegatives.length).toBeGreaterThanOrEqual(10)
    const multi = new Set(labels.filter((l, i) => labels.indexOf(l) !== i))
    expect(multi.size).toBeGreaterThanOrEqual(15)
  })

  it('groups copies with pairwise precision 1.0 and recall ≥ 0.95 through a store-backed deduper', async () => {
    const store = createMemoryStore()
    const tx = await store.begin()
    const deduper = createDeduper(store, { now: () => new Date('2025-07-01T00:00:00Z') })
    // one batch per source, as the aggregator calls it
    const bySource = new Map<string, number[]>()
    set.articles.forEach((a, i) => {
      bySource.set(a.source.id, [...(bySource.get(a.source.id) ?? []), i])
    })
    const predicted: string[] = new Array(set.articles.length)
    for (const indices of bySource.values()) {
      const { records, outcomes } = await deduper.add(indices.map((i) => set.articles[i]!))
      await tx.write({ stories: records })
      outcomes.forEach((o, k) => {
        predicted[indices[k]!] = o.storyId
      })
    }
    await tx.commit()
    const scores = pairScores(labels, predicted)
    console.info(
      `labelled set, per-source batches: precision ${scores.precision.toFixed(3)}, recall ${scores.recall.toFixed(3)}, F1 ${scores.f1.toFixed(3)} (tp ${scores.tp}, fp ${scores.fp}, fn ${scores.fn})`,
    )
    expect(scores.falseMerges).toEqual([])
    expect(scores.precision).toBe(1)
    expect(scores.recall).toBeGreaterThanOrEqual(0.95)
  })

  it('keeps every hard negative apart, in one batch and in memory', () => {
    const stories = dedupeArticles(set.articles)
    const storyOf = new Map<string, string>()
    for (const story of stories) for (const a of [story.primary, ...story.duplicates]) storyOf.set(a.id, story.id)
    const labelStory = new Map<string, Set<string>>()
    set.articles.forEach((a) => {
      const id = storyOf.get(a.id)
      if (id) labelStory.set(a.story, new Set([...(labelStory.get(a.story) ?? []), id]))
    })
    for (const [x, y, why] of set.hardNegatives) {
      const shared = [...(labelStory.get(x) ?? [])].filter((id) => labelStory.get(y)?.has(id))
      expect(shared, `${x} vs ${y}: ${why}`).toEqual([])
    }
    // the URL variant is the same article as the original (same guid): it is not listed as a copy of itself
    const listed = set.articles.filter((a) => storyOf.has(a.id))
    expect(set.articles.length - listed.length).toBe(1)
    const scores = pairScores(
      listed.map((a) => a.story),
      listed.map((a) => storyOf.get(a.id)!),
    )
    expect(scores.precision).toBe(1)
    expect(scores.recall).toBeGreaterThanOrEqual(0.95)
  })

  it('shows why the defaults are what they are: a lower threshold or no guards would merge hard negatives', () => {
    const loose = dedupeArticles(set.articles, { maxNumberMismatch: 1, maxEntityMismatch: 1 })
    expect(loose.length).toBeLessThan(dedupeArticles(set.articles).length)
    expect(DEDUPE_DEFAULTS.windowMs).toBe(7 * 86_400_000)
  })
})
