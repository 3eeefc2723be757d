import { describe, expect, it } from 'vitest'
import { normalizeFeed } from '../../src/normalize/index.js'
import { guessLanguage, languageOfUrl } from '../../src/normalize/language.js'
import {
  findOutlet,
  outletFromTitle,
  outletKey,
  resolveOutlet,
  resolveSiteOutlet,
} from '../../src/normalize/outlets.js'
import { type ParsedFeed, type ParsedItem, parseFeed } from '../../src/parse/index.js'
import type { Source } from '../../src/types.js'

describe('outletFromTitle: the outlet a site title names, without its sections', () => {
  it.each([
    ['Tin mới nhất - VnExpress RSS', 'VnExpress'],
    ['VnExpress RSS', 'VnExpress'],
    ['Thời sự | Báo Nhân Dân', 'Báo Nhân Dân'],
    ['Báo Thái Bình - Thời sự', 'Báo Thái Bình'],
    ['Báo Bà Rịa - Vũng Tàu', 'Báo Bà Rịa - Vũng Tàu'],
    ['Cổng TTĐT tỉnh Thái Bình - Kinh tế', 'Cổng TTĐT tỉnh Thái Bình'],
    ['Cổng thông tin điện tử huyện Kiến Xương - Tin tức', 'Cổng thông tin điện tử huyện Kiến Xương'],
    ['Kinh tế - Xã hội :: Huyện Vũ Thư', 'Huyện Vũ Thư'],
    ['Tin tức 24h', '24h'],
  ])('%s → %s', (title, name) => {
    expect(outletFromTitle(title, undefined)?.name).toBe(name)
  })

  it.each([
    'Tin địa phương',
    'Tin mới nhất',
    'Thời sự',
    'Kinh tế - Xã hội',
    'RSS',
    'Tin địa phương - Tổng hợp tin các tỉnh',
  ])('a title that is only sections names no outlet: %s', (title) => {
    expect(outletFromTitle(title, 'a.vn')).toBeUndefined()
  })
})

describe('resolveOutlet: credit, URL host, feed host, configured name, channel title, host', () => {
  const vne = { name: 'VnExpress', domain: 'vnexpress.net' }
  it('takes the credit first, through the registry', () => {
    expect(
      resolveOutlet({ credit: { text: 'Theo TTXVN', name: 'Thông tấn xã Việt Nam' }, url: 'https://vnexpress.net/a' }),
    ).toEqual({ name: 'Thông tấn xã Việt Nam' })
    expect(resolveOutlet({ credit: { text: 'Theo Báo XYZ' }, url: 'https://vnexpress.net/a' })).toEqual({
      name: 'Báo XYZ',
    })
  })
  it('then the registry entry of the article URL’s host (sub-domains belong to the site)', () => {
    expect(resolveOutlet({ url: 'https://e.vnexpress.net/news/a', name: 'Tin mới nhất' })).toEqual(vne)
    expect(resolveOutlet({ url: 'https://vnexpress.net/a', name: 'Tôi đặt tên khác' })).toEqual(vne)
  })
  it('then the feed’s host, then the configured name, then the channel title, then the host', () => {
    expect(resolveOutlet({ url: 'https://cdn.x.vn/a', feedUrl: 'https://vnexpress.net/rss/a.rss' })).toEqual(vne)
    expect(resolveOutlet({ url: 'https://a.vn/1', name: 'Huyện Kiến Xương', channelTitle: 'Tin tức' })).toEqual({
      name: 'Huyện Kiến Xương',
      domain: 'a.vn',
    })
    expect(resolveOutlet({ url: 'https://a.vn/1', name: 'Tin địa phương', channelTitle: 'Trang A - Tin tức' })).toEqual(
      { name: 'Trang A', domain: 'a.vn' },
    )
    expect(resolveOutlet({ url: 'https://www.a.vn/1', name: 'Tin địa phương', channelTitle: 'Thời sự' })).toEqual({
      name: 'a.vn',
      domain: 'a.vn',
    })
  })
  it('a district site under the province portal is not the portal (no domain guessed for gov.vn portals)', () => {
    expect(resolveSiteOutlet({ url: 'https://kienxuong.thaibinh.gov.vn/a', name: 'Huyện Kiến Xương' })?.name).toBe(
      'Huyện Kiến Xương',
    )
  })
})

describe('2025 merger groups', () => {
  it('Báo Thái Bình keeps its name and domain and is in the Hưng Yên group', () => {
    const old = findOutlet('baothaibinh.com.vn')
    expect(old?.name).toBe('Báo Thái Bình')
    expect(old?.group).toBe('baohungyen.vn')
    expect(findOutlet('Báo Hưng Yên')?.group).toBe('baohungyen.vn')
    expect(findOutlet('Báo và Phát thanh, Truyền hình Hưng Yên')?.group).toBe('baohungyen.vn')
    const credited = resolveOutlet({
      credit: { text: 'Theo Baothaibinh.com.vn', name: 'Báo Thái Bình', domain: 'baothaibinh.com.vn' },
    })
    const site = resolveSiteOutlet({ url: 'https://baohungyen.vn/a.html' })
    expect(credited).toEqual({ name: 'Báo Thái Bình', domain: 'baothaibinh.com.vn', group: 'baohungyen.vn' })
    expect(outletKey(credited!)).toBe(outletKey(site!))
  })
  it.each([
    ['Báo Hậu Giang', 'baocantho.com.vn'],
    ['Báo Sóc Trăng', 'baocantho.com.vn'],
    ['Báo Cần Thơ', 'baocantho.com.vn'],
    ['Báo Đồng Khởi', 'baovinhlong.com.vn'],
    ['Báo Trà Vinh', 'baovinhlong.com.vn'],
    ['Báo Bạc Liêu', 'baocamau.vn'],
    ['Báo Kiên Giang', 'baoangiang.com.vn'],
    ['Báo Ấp Bắc', 'baodongthap.vn'],
    ['Báo Bình Dương', 'sggp.org.vn'],
  ])('%s is in the %s group', (name, group) => {
    expect(findOutlet(name)?.group).toBe(group)
  })
  it('outlets of provinces that did not merge have no group; stations are not grouped', () => {
    expect(findOutlet('Báo Nghệ An')?.group).toBeUndefined()
    expect(findOutlet('VnExpress')?.group).toBeUndefined()
    expect(findOutlet('thaibinhtv.vn')?.group).toBeUndefined()
  })
})

describe('language per item', () => {
  it('reads English editions from the URL', () => {
    expect(languageOfUrl('https://e.vnexpress.net/news/a.html')).toBe('en')
    expect(languageOfUrl('https://en.vietnamplus.vn/a.html')).toBe('en')
    expect(languageOfUrl('https://vietnamnet.vn/en/a.html')).toBe('en')
    expect(languageOfUrl('https://vnexpress.net/a.html')).toBeUndefined()
  })
  it('tells Vietnamese from English text, and says nothing when unsure', () => {
    expect(guessLanguage('Chiều ngày 9/3, UBND tỉnh tổ chức họp tổng kết hoạt động năm 2016')).toBe('vi')
    expect(guessLanguage("Vietnam's coastal provinces brace for the storm as it nears the coast")).toBe('en')
    // Vietnamese names in English text
    expect(guessLanguage('Tourists flock to Phú Quốc as the island opens its new cable car to the public')).toBe('en')
    expect(guessLanguage('Hop ban hoi nhap kinh te quoc te tinh Thai Binh')).toBeUndefined()
    expect(guessLanguage('Thái Bình')).toBeUndefined()
  })
})

const SOURCE: Source = { id: 'vne', url: 'https://vnexpress.net/rss/tin-moi-nhat.rss' }
const NOW = () => new Date('2026-12-05T00:00:00Z')
function item(overrides: Partial<ParsedItem>): ParsedItem {
  return {
    title: 'Hà Nội mở thêm ba tuyến buýt điện từ tháng tới',
    link: 'https://vnexpress.net/a-1.html',
    contentHtml: '<p>Ba tuyến buýt điện mới sẽ nối trung tâm thành phố với các khu đô thị phía tây.</p>',
    categories: [],
    enclosures: [],
    media: [],
    raw: {},
    ...overrides,
  }
}
function normalize(items: ParsedItem[], feed: Partial<ParsedFeed> = {}, source: Source = SOURCE) {
  return normalizeFeed(
    { format: 'rss', title: 'Tin mới nhất - VnExpress RSS', items, warnings: [], ...feed },
    { source, now: NOW },
  ).articles
}

describe('normalizeFeed: outlet, byline and language', () => {
  it('never keeps the outlet, the feed or a section as the byline', () => {
    const [a, b, c, d] = normalize([
      item({ author: 'VnExpress' }),
      item({ link: 'https://vnexpress.net/a-2.html', author: 'Tin mới nhất - VnExpress RSS' }),
      item({ link: 'https://vnexpress.net/a-3.html', author: 'Thu Thủy' }),
      item({ link: 'https://vnexpress.net/a-4.html', author: 'TTXVN' }),
    ])
    expect(a?.author).toBeUndefined()
    expect(b?.author).toBeUndefined()
    expect(c?.author).toBe('Thu Thủy')
    expect(d?.author).toBeUndefined()
  })
  it('the outlet follows the credit; the site stays the carrier', () => {
    const [a] = normalize([
      item({ contentHtml: '<p>Ba tuyến buýt điện mới sẽ nối trung tâm thành phố.</p><p>Theo TTXVN</p>' }),
    ])
    expect(a?.outlet).toEqual({ name: 'Thông tấn xã Việt Nam', domain: 'vnanet.vn' })
    expect(a?.site).toEqual({ name: 'VnExpress', domain: 'vnexpress.net' })
  })
  it('an item’s own xml:lang/dc:language wins, then its URL, then its text against the feed’s', () => {
    const english = "Vietnam's coastal provinces brace for the typhoon as it nears the central coast"
    const list = normalize(
      [
        item({ language: 'en-US' }),
        item({ link: 'https://e.vnexpress.net/news/a-2.html' }),
        item({ link: 'https://vnexpress.net/a-3.html', title: english, contentHtml: `<p>${english}</p>` }),
        item({ link: 'https://vnexpress.net/a-4.html' }),
      ],
      { language: 'vi-VN' },
    )
    expect(list.map((a) => a.language)).toEqual(['en-US', 'en', 'en', 'vi-VN'])
    const [vi] = normalize([item({})], { language: 'en' })
    expect(vi?.language).toBe('vi')
  })
  it('parse reads an item’s own xml:lang (Atom) and dc:language (RSS)', async () => {
    const atom = await parseFeed(
      '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi"><title>t</title><entry xml:lang="en"><title>a</title><id>urn:a</id></entry><entry><title>b</title><id>urn:b</id></entry></feed>',
    )
    expect(atom.items.map((i) => i.language)).toEqual(['en', undefined])
    const rss = await parseFeed(
      '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><item><title>a</title><dc:language>en</dc:language></item></channel></rss>',
    )
    expect(rss.items[0]?.language).toBe('en')
  })
})
