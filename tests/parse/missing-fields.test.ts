import { describe, expect, it } from 'vitest'
import { parseFeed } from '../../src/parse/index.js'
import { fixture } from '../helpers/parse-fixtures.js'

describe('parseFeed: fields found where feeds really put them', () => {
  it('falls back to iTunes summary, subtitle, author and categories when the RSS field is missing', async () => {
    const feed = await parseFeed(fixture('itunes-fallbacks.xml'))
    expect(feed.description).toBe('Bản tin phát thanh hằng ngày của tỉnh.')
    const [morning, evening] = feed.items
    expect(morning?.summary).toBe('Tin tức kinh tế, xã hội buổi sáng.')
    expect(morning?.author).toBe('Đài Phát thanh Thái Bình')
    expect(morning?.categories).toEqual(['thoi-su', 'News', 'Daily News'])
    // the item's own RSS fields win over the iTunes ones
    expect(evening?.summary).toBe('Mô tả riêng của bản tin chiều.')
    expect(evening?.author).toBe('Biên tập viên')
  })

  it('uses itunes:subtitle when there is neither description nor itunes:summary', async () => {
    const xml = `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>P</title>
      <item><title>E</title><itunes:subtitle>Phụ đề</itunes:subtitle></item></channel></rss>`
    const feed = await parseFeed(xml)
    expect(feed.items[0]?.summary).toBe('Phụ đề')
  })

  it('reads upper-case and mixed-case core elements', async () => {
    const feed = await parseFeed(fixture('upper-case.xml'))
    expect(feed.format).toBe('rss')
    expect(feed.title).toBe('Báo Hưng Yên')
    expect(feed.link).toBe('https://baohungyen.example.vn/')
    expect(feed.description).toBe('Tin tức Hưng Yên')
    expect(feed.language).toBe('vi')
    expect(feed.items).toHaveLength(1)
    const [item] = feed.items
    expect(item?.title).toBe('Khánh thành cầu mới')
    expect(item?.link).toBe('https://baohungyen.example.vn/tin/cau-moi.html')
    expect(item?.id).toBe('cau-moi')
    expect(item?.summary).toBe('Cầu nối hai huyện đã thông xe.')
    expect(item?.published?.toISOString()).toBe('2017-03-10T01:15:00.000Z')
    expect(item?.categories).toEqual(['Giao thông'])
    expect(item?.author).toBe('Văn Nam')
  })

  it('reads Microsoft CDF: HREF as the link, ABSTRACT as the summary, LASTMOD as the update date', async () => {
    const feed = await parseFeed(fixture('cdf.cdf'))
    expect(feed.format).toBe('rss')
    expect(feed.title).toBe('Kênh tin CDF')
    expect(feed.link).toBe('https://cdf.example.vn/')
    expect(feed.description).toBe('Kênh tin thử nghiệm theo định dạng CDF.')
    const [first, second] = feed.items
    expect(first?.title).toBe('Tin thứ nhất')
    expect(first?.link).toBe('https://cdf.example.vn/tin-1.html')
    expect(first?.summary).toBe('Tóm tắt tin thứ nhất.')
    // zone-less: kept raw for normalize/ to read in the source zone
    expect(first?.raw.updated).toBe('2003-12-31T09:00')
    expect(first?.updated).toBeUndefined()
    expect(second?.link).toBe('https://cdf.example.vn/tin-2.html')
  })

  it('joins several Atom authors, reads category term without a label, and inherits the feed author', async () => {
    const feed = await parseFeed(fixture('atom-authors.xml'))
    const [both, editorial] = feed.items
    expect(both?.author).toBe('Thu Thủy, Minh Hà')
    expect(both?.categories).toEqual(['kinh-te', 'Xã hội'])
    expect(editorial?.author).toBe('Ban biên tập')
  })
})
