import { describe, expect, it } from 'vitest'
import { clonePlain } from '../../src/store/codec.js'
import { createMemoryStore } from '../../src/store/index.js'

describe('clonePlain (the memory store copies)', () => {
  it('copies plain data deeply and keeps Dates as Dates', () => {
    const original = {
      when: new Date('2025-07-01T00:00:00Z'),
      list: [{ a: 1, nested: ['x', { y: null }] }],
      missing: undefined,
    }
    const copy = clonePlain(original)
    expect(copy).toStrictEqual(original)
    expect(copy.when).toBeInstanceOf(Date)
    expect(copy.when).not.toBe(original.when)
    copy.list[0]!.a = 2
    ;(copy.list[0]!.nested[1] as { y: unknown }).y = 'changed'
    copy.when.setTime(0)
    expect(original.list[0]).toStrictEqual({ a: 1, nested: ['x', { y: null }] })
    expect(original.when.getTime()).toBe(Date.parse('2025-07-01T00:00:00Z'))
  })

  it('hands what is not plain data to structuredClone', () => {
    const map = new Map([['k', { v: 1 }]])
    const copy = clonePlain({ map })
    expect(copy.map).toBeInstanceOf(Map)
    expect(copy.map).not.toBe(map)
    expect(copy.map.get('k')).toStrictEqual({ v: 1 })
  })

  it('keeps a fingerprint read from the memory store apart from the one it holds', async () => {
    const store = createMemoryStore()
    const tx = await store.begin()
    const article = {
      id: 'https://a.vn/1',
      url: 'https://a.vn/1',
      title: 'T',
      published: new Date('2025-07-01T00:00:00Z'),
      contentHtml: '',
      text: ['x'],
      images: [],
      enclosures: [],
      categories: [],
      source: { id: 's', feedUrl: 'https://a.vn/rss' },
    }
    const now = new Date('2025-07-01T01:00:00Z')
    await tx.write({
      stories: [
        {
          story: { id: 's1', primary: article, duplicates: [] },
          keys: ['k1'],
          buckets: ['b1'],
          fingerprint: { v: 1, c: [{ a: 'x', n: ['12'] }] },
          published: article.published,
          firstSeen: now,
          lastSeen: now,
        },
      ],
    })
    await tx.commit()
    const first = (await store.getFingerprints!(['s1'])).get('s1') as { c: { n: string[] }[] }
    first.c[0]!.n.push('99')
    const again = (await store.getFingerprints!(['s1'])).get('s1') as { c: { n: string[] }[] }
    expect(again.c[0]!.n).toStrictEqual(['12'])
    const [story] = await store.getStories(['s1'])
    expect(story!.story.primary.published).toBeInstanceOf(Date)
    expect((await store.findByBuckets(['b1'], new Date(0), 10)).get('b1')).toStrictEqual(['s1'])
    expect((await store.findByBuckets(['b1'], new Date('2025-08-01T00:00:00Z'), 10)).has('b1')).toBe(false)
  })
})
