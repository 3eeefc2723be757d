import { describe, expect, it } from 'vitest'
import { parseFeed } from '../../src/parse/index.js'
import { asJson, fixture, fixtureText } from '../helpers/parse-fixtures.js'

const cases = [
  ['rss-2.0.xml', 'rss', '2.0'],
  ['rss-0.91.xml', 'rss', '0.91'],
  ['rss-0.92.xml', 'rss', '0.92'],
  ['rss-1.0.rdf', 'rdf', '1.0'],
  ['atom-1.0.xml', 'atom', '1.0'],
  ['atom-0.3.xml', 'atom', '0.3'],
  ['json-feed-1.0.json', 'json', '1.0'],
  ['json-feed-1.1.json', 'json', '1.1'],
] as const

describe('parseFeed: every format and version', () => {
  for (const [name, format, version] of cases) {
    it(`reads ${name} as ${format} ${version}, field by field`, async () => {
      const expected = JSON.parse(fixtureText(name.replace(/\.[a-z]+$/, '.expected.json'))) as {
        options: { url: string }
        feed: unknown
      }
      const feed = await parseFeed(fixture(name), expected.options)
      expect(feed.format).toBe(format)
      expect(feed.version).toBe(version)
      expect(asJson(feed)).toEqual(expected.feed)
    })
  }
})

describe('RSS 2.0 (Báo Thái Bình, the seed article)', () => {
  it('keeps content:encoded as the body and the HTML description as a plain-text summary', async () => {
    const feed = await parseFeed(fixture('rss-2.0.xml'), { url: 'https://baothaibinh.com.vn/rss/kinh-te.rss' })
    const [seed, second] = feed.items
    expect(seed?.contentHtml).toContain('<p>Theo Baothaibinh.com.vn</p>')
    expect(seed?.summary).toBe(
      'Chiều ngày 9/3, UBND tỉnh tổ chức họp tổng kết hoạt động năm 2016, triển khai nhiệm vụ năm 2017 của Ban Hội nhập kinh tế quốc tế tỉnh.',
    )
    expect(seed?.id).toBe('95123')
    expect(seed?.author).toBe('Thu Thủy')
    expect(seed?.published?.toISOString()).toBe('2017-03-10T01:15:00.000Z')
    expect(seed?.raw.published).toBe('Fri, 10 Mar 2017 08:15:00 +0700')
    expect(seed?.media).toEqual([
      {
        url: 'https://baothaibinh.com.vn/upload/95123/hop-ban.jpg',
        type: 'image/jpeg',
        medium: 'image',
        title: 'Đồng chí Nguyễn Hoàng Giang chủ trì cuộc họp',
        credit: 'Thu Thủy',
      },
    ])
    expect(seed?.baseUrl).toBe('https://baothaibinh.com.vn/rss/kinh-te.rss')
    // "mail (Name)" author form → the name; a plain description → summary, no body.
    expect(second?.author).toBe('Minh Hà')
    expect(second?.summary).toBe('Kim ngạch xuất khẩu 2 tháng đầu năm ước đạt 215 triệu USD.')
    expect(second?.contentHtml).toBeUndefined()
    expect(second?.published?.toISOString()).toBe('2017-03-09T16:40:00.000Z')
  })

  it('reads the channel: title, site link (not atom:link self), language, lastBuildDate', async () => {
    const feed = await parseFeed(fixture('rss-2.0.xml'))
    expect(feed).toMatchObject({
      title: 'Báo Thái Bình - Kinh tế',
      link: 'https://baothaibinh.com.vn/kinh-te/',
      description: 'Tin kinh tế tỉnh Thái Bình',
      language: 'vi-VN',
    })
    expect(feed.updated?.toISOString()).toBe('2017-03-10T03:00:00.000Z')
  })
})

describe('RSS 0.92', () => {
  it('puts an escaped HTML description in contentHtml when there is no content:encoded', async () => {
    const feed = await parseFeed(fixture('rss-0.92.xml'))
    expect(feed.items[0]?.contentHtml).toBe(
      '<p>Trong bản tin: Nam Định chuẩn bị <strong>Lễ khai ấn Đền Trần</strong>; nông dân ra đồng chăm sóc lúa xuân.</p>',
    )
    expect(feed.items[0]?.summary).toBeUndefined()
  })
})

describe('RSS 1.0 (RDF)', () => {
  it('reads items beside the channel with dc:date, dc:creator, dc:subject and rdf:about', async () => {
    const feed = await parseFeed(fixture('rss-1.0.rdf'))
    expect(feed.items).toHaveLength(1)
    expect(feed.items[0]).toMatchObject({
      id: 'https://baohungyen.vn/xa-hoi/trao-qua-cho-ho-ngheo-201703.html',
      author: 'Ngọc Lan',
      categories: ['An sinh xã hội'],
      raw: { published: '2017-03-10T08:30:00+07:00' },
    })
    expect(feed.items[0]?.published?.toISOString()).toBe('2017-03-10T01:30:00.000Z')
    expect(feed.updated?.toISOString()).toBe('2017-03-10T02:00:00.000Z')
  })
})

describe('Atom 1.0', () => {
  it('decodes html titles, resolves links against xml:base, and keeps category labels (else terms)', async () => {
    const feed = await parseFeed(fixture('atom-1.0.xml'))
    const [first, second, third] = feed.items
    expect(feed.description).toBe('Tin văn hóa Nam Định')
    expect(first?.title).toBe('Khai ấn Đền Trần – nét đẹp văn hóa')
    expect(first?.link).toBe('https://baonamdinh.vn/van-hoa/khai-an-den-tran-2017.html')
    expect(first?.enclosures).toEqual([
      { url: 'https://baonamdinh.vn/uploads/2017/03/khai-an.jpg', type: 'image/jpeg', length: 120400 },
    ])
    expect(first?.categories).toEqual(['Văn hóa', 'le-hoi'])
    expect(first?.baseUrl).toBe('https://baonamdinh.vn/van-hoa/')
    // xhtml title and content: the wrapping div is not content
    expect(second?.title).toBe('Triển lãm ảnh “Nam Định xưa”')
    expect(second?.contentHtml).toBe(
      '<p>Triển lãm giới thiệu 120 bức ảnh tư liệu.</p><p><img src="/uploads/2017/03/trien-lam.jpg" alt="Triển lãm" /></p>',
    )
    expect(second?.source).toEqual({
      title: 'Sở Văn hóa, Thể thao và Du lịch Nam Định',
      url: 'https://svhttdl.namdinh.gov.vn/',
    })
    // the feed's author stands in for entries without one
    expect(second?.author).toBe('Báo Nam Định')
    // base64 content (a non-text media type in Atom 1.0)
    expect(third?.contentHtml).toBe('<p>Đoàn khách tham quan <em>Khu di tích Đền Trần</em> dịp khai ấn.</p>')
  })
})

describe('Atom 0.3', () => {
  it('reads issued/modified, base64 and escaped content modes, and leaves a zone-less date to normalize', async () => {
    const feed = await parseFeed(fixture('atom-0.3.xml'))
    const [first, second] = feed.items
    expect(first?.contentHtml).toBe('<p>Chiều 9/3, huyện Hải Hậu tổ chức hội nghị triển khai nhiệm vụ năm 2017.</p>')
    expect(first?.published?.toISOString()).toBe('2017-03-10T01:00:00.000Z')
    expect(second?.contentHtml).toBe('<p>Sáng 9/3, 35 xã, thị trấn đồng loạt ra quân.</p>')
    expect(second?.raw.published).toBe('2017-03-09T07:00:00')
    expect(second?.published).toBeUndefined()
    expect(second?.updated?.toISOString()).toBe('2017-03-09T07:00:00.000Z')
    expect(feed.description).toBe('Cổng thông tin huyện Hải Hậu')
  })
})

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
