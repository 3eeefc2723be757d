/** The JSON Feed reader (src/parse/json-feed.ts): JSON Feed 1.0 and 1.1, through parseFeed. */
import { describe, expect, it } from 'vitest'
import { parseFeed } from '../../src/parse/index.js'
import { fixture, fixtureText } from '../helpers/parse-fixtures.js'

describe('JSON Feed', () => {
  it('1.0: numeric ids, content_text as paragraphs, attachments, a relative url, the feed author', async () => {
    const feed = await parseFeed(fixture('json-feed-1.0.json'), { url: 'https://baoninhbinh.org.vn/feed/du-lich.json' })
    const [first, second] = feed.items
    expect(first?.id).toBe('20170310001')
    expect(first?.link).toBe('https://baoninhbinh.org.vn/du-lich/trang-an-don-khach.html')
    expect(first?.contentHtml).toBe(
      '<p>Khu du lịch Tràng An đón hơn 50.000 lượt khách.</p><p>Ban quản lý bố trí thêm 200 đò.</p>',
    )
    expect(first?.enclosures).toEqual([
      { url: 'https://baoninhbinh.org.vn/media/trang-an.mp3', type: 'audio/mpeg', length: 2048000 },
    ])
    expect(first?.author).toBe('Báo Ninh Bình')
    expect(second?.author).toBe('Trường Giang')
    // a day-first date is not guessed here
    expect(second?.published).toBeUndefined()
    expect(second?.raw.published).toBe('10/03/2017 07:00')
  })

  it('1.1: authors, tags (unique), image, summary, language', async () => {
    const feed = await parseFeed(fixture('json-feed-1.1.json'))
    expect(feed.language).toBe('vi')
    expect(feed.items[0]).toMatchObject({
      author: 'Thu Hằng, Mạnh Trường',
      categories: ['Thời sự', 'Du lịch'],
      summary: 'Cảng tàu khách quốc tế Hạ Long đón chuyến tàu đầu tiên.',
      media: [{ url: 'https://baoquangninh.vn/upload/2017/03/tau-khach.jpg', medium: 'image' }],
    })
    expect(feed.items[0]?.updated?.toISOString()).toBe('2017-03-10T02:00:00.000Z')
  })

  it('is recognised by content alone, whatever the Content-Type says', async () => {
    const feed = await parseFeed(fixtureText('json-feed-1.1.json'), { contentType: 'text/xml' })
    expect(feed.format).toBe('json')
  })
})

describe('JSON Feed versions', () => {
  const base = { items: [{ id: '1', url: 'https://example.vn/1', title: 'Tin' }] }
  for (const [version, expected] of [
    ['https://jsonfeed.org/version/1', '1.0'],
    ['https://jsonfeed.org/version/1.1', '1.1'],
    ['1', '1.0'],
    ['1.0', '1.0'],
    ['1.1', '1.1'],
    [1, '1.0'],
    [1.1, '1.1'],
  ] as const) {
    it(`accepts "version": ${JSON.stringify(version)}`, async () => {
      const feed = await parseFeed(JSON.stringify({ version, ...base }))
      expect(feed.format).toBe('json')
      expect(feed.version).toBe(expected)
      expect(feed.items).toHaveLength(1)
    })
  }

  it('reads a feed with a bare version, as gofeed’s fixtures write it', async () => {
    const feed = await parseFeed(fixtureText('json-feed-bare-version.json'))
    expect(feed.version).toBe('1.1')
    expect(feed.items[0]?.title).toBe('Tin 1')
  })

  it('refuses a document without `items`, or with a version JSON Feed never had', async () => {
    for (const doc of [
      { version: 'https://jsonfeed.org/version/1.1', title: 'x' },
      { version: '1.1', items: {} },
      { version: '2.0', items: [] },
      { items: [] },
    ]) {
      await expect(parseFeed(JSON.stringify(doc)), JSON.stringify(doc)).rejects.toMatchObject({
        code: 'ERR_PARSE_UNKNOWN_FORMAT',
      })
    }
  })
})
