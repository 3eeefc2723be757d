import { describe, expect, it } from 'vitest'
import { createDeduper, DEDUPE_DEFAULTS, dedupeArticles } from '../../src/dedupe/index.js'
import { createMemoryStore } from '../../src/store/index.js'
import { kindRecall, type LabelledKind, loadLabelled, pairScores } from '../helpers/labelled.js'

const set = loadLabelled()
const labels = set.articles.map((a) => a.story)
const KINDS: LabelledKind[] = ['copy', 'excerpt', 'rewrite', 'summary']

/** The story each article of the set lands in, in memory (one batch, by date). */
function inMemory(options = {}): string[] {
  const storyOf = new Map<object, string>()
  for (const story of dedupeArticles(set.articles, options)) {
    for (const a of [story.primary, ...story.duplicates]) storyOf.set(a, story.id)
  }
  return set.articles.map((a) => storyOf.get(a) as string)
}

describe('labelled set (tests/fixtures/dedupe/labelled.json, written by make-labelled.mjs)', () => {
  it('has 100+ Vietnamese articles: copies, excerpts, 15+ credited rewrites and summaries, 60+ hard negatives', () => {
    expect(set.articles.length).toBeGreaterThanOrEqual(100)
    expect(set.hardNegatives.length).toBeGreaterThanOrEqual(60)
    const credited = set.articles.filter((a) => (a.kind === 'rewrite' || a.kind === 'summary') && a.credit)
    expect(credited.length).toBeGreaterThanOrEqual(15)
    const stories = new Set(labels)
    for (const [x, y] of set.hardNegatives) expect(stories.has(x) && stories.has(y), `${x} ${y}`).toBe(true)
  })

  it('groups copies, excerpts and credited rewrites in memory: no false merge, pairwise F1 ≥ 0.97', () => {
    const predicted = inMemory()
    const scores = pairScores(labels, predicted)
    const byKind = KINDS.map((k) => {
      const r = kindRecall(set, predicted, k)
      return `${k} ${r.recall.toFixed(3)} (${r.pairs} pairs)`
    })
    console.info(
      `labelled set, in memory: precision ${scores.precision.toFixed(3)}, recall ${scores.recall.toFixed(3)}, F1 ${scores.f1.toFixed(3)} (tp ${scores.tp}, fp ${scores.fp}, fn ${scores.fn}); recall by kind: ${byKind.join(', ')}`,
    )
    expect(scores.falseMerges).toEqual([])
    expect(scores.f1).toBeGreaterThanOrEqual(0.97)
    expect(kindRecall(set, predicted, 'rewrite').recall).toBeGreaterThanOrEqual(0.9)
    // without credited-rewrite matching, the rewrites and summaries stay apart
    const without = inMemory({ rewriteWindowMs: 0 })
    expect(kindRecall(set, without, 'rewrite').recall).toBeLessThan(kindRecall(set, predicted, 'rewrite').recall)
  })

  it('groups them through a store-backed deduper, one batch per source in any order: no false merge, recall ≥ 0.95', async () => {
    const store = createMemoryStore()
    const tx = await store.begin()
    const deduper = createDeduper(store, { now: () => new Date('2025-07-05T00:00:00Z') })
    // one batch per source, as the aggregator calls it (sources in the order they first appear, not by date)
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

  it('keeps every hard negative apart, and every article in a story', () => {
    const predicted = inMemory()
    expect(predicted.every((id) => typeof id === 'string')).toBe(true)
    const labelStory = new Map<string, Set<string>>()
    set.articles.forEach((a, i) => {
      labelStory.set(a.story, new Set([...(labelStory.get(a.story) ?? []), predicted[i]!]))
    })
    for (const [x, y, why] of set.hardNegatives) {
      const shared = [...(labelStory.get(x) ?? [])].filter((id) => labelStory.get(y)?.has(id))
      expect(shared, `${x} vs ${y}: ${why}`).toEqual([])
    }
  })

  it('shows why the defaults are what they are: no guards would merge hard negatives', () => {
    const loose = dedupeArticles(set.articles, { maxNumberMismatch: 1, maxEntityMismatch: 1 })
    expect(loose.length).toBeLessThan(dedupeArticles(set.articles).length)
    expect(DEDUPE_DEFAULTS.windowMs).toBe(7 * 86_400_000)
  })
})
