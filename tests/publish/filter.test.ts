import { describe, expect, it } from 'vitest'
import { filterStories } from '../../src/publish/index.js'
import type { Story } from '../../src/types.js'
import { makeArticle, makeStory, seedStory } from './fixtures.js'

async function ids(stories: AsyncIterable<Story>): Promise<string[]> {
  const out: string[] = []
  for await (const story of stories) out.push(story.primary.title)
  return out
}

const now = new Date('2026-02-01T00:00:00Z')
const stories = (): Story[] => [
  seedStory(),
  makeStory(
    makeArticle({
      title: 'Lũ quét ở Hoà Bình',
      categories: ['Thời sự', 'Thiên tai'],
      published: new Date('2026-01-31T12:00:00Z'),
      text: ['Mưa lớn gây lũ quét tại huyện Đà Bắc.'],
      source: { id: 'baohoabinh', feedUrl: 'https://baohoabinh.com.vn/rss' },
    }),
  ),
  makeStory(
    makeArticle({
      title: 'Giải bóng đá thiếu niên',
      categories: ['Thể thao'],
      published: new Date('2026-01-20T00:00:00Z'),
      source: { id: 'baonamdinh', feedUrl: 'https://baonamdinh.vn/rss' },
    }),
  ),
]

describe('filterStories', () => {
  it('keeps stories carried by one of the sources (primary or any copy)', async () => {
    expect(await ids(filterStories(stories(), { sources: ['baonamdinh'] }, now))).toEqual(['Giải bóng đá thiếu niên'])
    // thaibinhtv only carries a duplicate of the seed story
    expect(await ids(filterStories(stories(), { sources: ['thaibinhtv'] }, now))).toEqual([
      'Họp Ban Hội nhập kinh tế quốc tế tỉnh',
    ])
  })

  it('matches categories folded (case, tone marks)', async () => {
    expect(await ids(filterStories(stories(), { categories: ['THOI SU'] }, now))).toEqual(['Lũ quét ở Hoà Bình'])
    expect(await ids(filterStories(stories(), { categories: ['kinh tế', 'thể thao'] }, now))).toEqual([
      'Họp Ban Hội nhập kinh tế quốc tế tỉnh',
      'Giải bóng đá thiếu niên',
    ])
  })

  it('matches keywords as folded whole words in title, summary and text', async () => {
    expect(await ids(filterStories(stories(), { keywords: ['hòa bình'] }, now))).toEqual(['Lũ quét ở Hoà Bình'])
    expect(await ids(filterStories(stories(), { keywords: ['Đà Bắc'] }, now))).toEqual(['Lũ quét ở Hoà Bình'])
    // "bong" is a word of "bóng đá", "bon" is not
    expect(await ids(filterStories(stories(), { keywords: ['bon'] }, now))).toEqual([])
  })

  it('keeps stories since an ISO date or within a duration before now', async () => {
    expect(await ids(filterStories(stories(), { since: '2026-01-25T00:00:00Z' }, now))).toEqual(['Lũ quét ở Hoà Bình'])
    expect(await ids(filterStories(stories(), { since: 15 * 86_400_000 }, now))).toEqual([
      'Lũ quét ở Hoà Bình',
      'Giải bóng đá thiếu niên',
    ])
  })

  it('requires every given criterion (AND) and reads async iterables', async () => {
    async function* source() {
      yield* stories()
    }
    expect(await ids(filterStories(source(), { categories: ['thời sự'], sources: ['baonamdinh'] }, now))).toEqual([])
    expect(await ids(filterStories(source(), {}, now))).toHaveLength(3)
  })

  it('rejects an unreadable since with ERR_PUBLISH_RENDER', async () => {
    await expect(ids(filterStories(stories(), { since: 'hôm qua' }, now))).rejects.toMatchObject({
      code: 'ERR_PUBLISH_RENDER',
    })
  })
})
