/**
 * Classes of cases found by reading the public fixtures of feed-rs and gofeed (ids, links, media, fallbacks). The
 * fixtures here are our own, written for each class.
 */
import { describe, expect, it } from 'vitest'
import { parseFeed } from '../../src/parse/index.js'
import { fixture } from '../helpers/parse-fixtures.js'

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
