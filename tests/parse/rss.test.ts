/** The RSS reader (src/parse/rss.ts): RSS 0.9x / 2.0 and RDF, through parseFeed. */
import { describe, expect, it } from 'vitest'
import { parseFeed } from '../../src/parse/index.js'
import { fixture } from '../helpers/parse-fixtures.js'

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

describe('RSS: fields found where feeds really put them', () => {
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
})

// The next three: classes of cases found by reading the public fixtures of feed-rs and gofeed (ids, links, media,
// fallbacks). The fixtures here are our own, written for each class.
describe('Media RSS nesting', () => {
  it('reads a poster thumbnail written inside a media:content that has no url (Vimeo), with its title and credit', async () => {
    const feed = await parseFeed(fixture('media-nesting.xml'))
    expect(feed.items[0]?.media).toEqual([
      {
        url: 'https://thaibinhtv.example.vn/poster/2231.jpg',
        medium: 'image',
        thumbnail: true,
        title: 'Khai hội đền Trần',
        credit: 'Đài PT-TH Thái Bình',
      },
    ])
  })

  it("gives the item's media:title and media:credit to the contents of its media:group", async () => {
    const feed = await parseFeed(fixture('media-nesting.xml'))
    const media = feed.items[1]?.media ?? []
    expect(media.map((m) => m.url)).toEqual([
      'https://media.thaibinhtv.example.vn/mua-gat-1080.mp4',
      'https://media.thaibinhtv.example.vn/mua-gat-480.mp4',
      'https://thaibinhtv.example.vn/poster/mua-gat.jpg',
    ])
    for (const m of media) {
      expect(m.title).toBe('Mùa gặt (video)')
      expect(m.credit).toBe('Thu Thủy')
    }
  })
})

describe('Atom elements inside RSS', () => {
  it('takes the channel link from atom:link rel="alternate" when there is no RSS link', async () => {
    const feed = await parseFeed(fixture('rss-atom-elements.xml'))
    expect(feed.link).toBe('https://baonamdinh.example.vn/')
    expect(feed.items[0]?.link).toBe('https://baonamdinh.example.vn/tin/hoi-cho-phu-day.html')
  })

  it('reads atom:content, atom:author, atom:published and atom:category of an RSS item', async () => {
    const feed = await parseFeed(fixture('rss-atom-elements.xml'))
    const [item, text] = feed.items
    expect(item?.contentHtml).toBe('<p>Hội chợ mở cửa <b>đến hết tháng Giêng</b>.</p>')
    expect(item?.author).toBe('Minh Hà')
    expect(item?.published?.toISOString()).toBe('2017-03-10T01:15:00.000Z')
    expect(item?.raw.published).toBe('2017-03-10T08:15:00+07:00')
    expect(item?.categories).toEqual(['Văn hóa', 'le-hoi'])
    // type="text" is text, written as escaped paragraphs
    expect(text?.contentHtml).toBe('<p>Dòng một &amp; dòng hai</p>')
  })
})

describe('Dublin Core and iTunes fallbacks', () => {
  it('reads dc:title and dc:description of a channel and dc:title of an item without their RSS fields', async () => {
    const feed = await parseFeed(fixture('rss-dc-itunes-fallbacks.xml'))
    expect(feed.title).toBe('Đài Phát thanh Hà Nam')
    expect(feed.description).toBe('Bản tin phát thanh của tỉnh')
    expect(feed.items[0]?.title).toBe('Bản tin sáng thứ Hai')
  })

  it('reads dc:author and the `Name (email)` form of an author', async () => {
    const feed = await parseFeed(fixture('rss-dc-itunes-fallbacks.xml'))
    expect(feed.items.map((i) => i.author)).toEqual(['Thu Thủy', 'Văn Nam'])
  })

  it('splits itunes:keywords into categories and reads itunes:image as an image once', async () => {
    const feed = await parseFeed(fixture('rss-dc-itunes-fallbacks.xml'))
    const [morning, evening] = feed.items
    expect(morning?.categories).toEqual(['thời sự', 'kinh tế', 'nông nghiệp'])
    expect(morning?.media).toEqual([
      { url: 'https://radio.hanam.example.vn/artwork/sang.jpg', medium: 'image', thumbnail: true },
    ])
    expect(evening?.media.map((m) => m.url)).toEqual(['https://radio.hanam.example.vn/artwork/chieu.jpg'])
  })
})

describe('RSS rights', () => {
  const rss = (inner: string, attrs = '') =>
    `<rss version="2.0"${attrs}><channel><title>T</title>${inner}<item><title>x</title></item></channel></rss>`

  it('reads RSS copyright (HTML in it dropped) and dc:rights', async () => {
    const copyright = await parseFeed(rss('<copyright>&#169; Báo Hưng Yên &lt;br&gt; 2017</copyright>'))
    expect(copyright.rights).toBe('© Báo Hưng Yên 2017')
    const dc = await parseFeed(
      rss('<dc:rights>Creative Commons BY 4.0</dc:rights>', ' xmlns:dc="http://purl.org/dc/elements/1.1/"'),
    )
    expect(dc.rights).toBe('Creative Commons BY 4.0')
    expect((await parseFeed(rss(''))).rights).toBeUndefined()
  })
})
