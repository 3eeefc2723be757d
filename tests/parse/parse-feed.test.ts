/** parseFeed (src/parse/parse-feed.ts): format detection, the document's base, recovery, bytes, refusals, limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ParseError } from '../../src/errors.js'
import { fetchFeed } from '../../src/fetch/index.js'
import { parseFeed } from '../../src/parse/index.js'
import { asJson, fixture, fixtureText } from '../helpers/parse-fixtures.js'
import { serve, startServer, type TestServer } from '../helpers/server.js'

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

const codes = (feed: { warnings: { code: string }[] }) => feed.warnings.map((w) => w.code)

describe('parseFeed on broken documents: every complete item kept, with a warning', () => {
  it('reads a VnExpress document that lost its opening <rss><channel> (25 items)', async () => {
    const feed = await parseFeed(fixture('vnexpress-no-root.xml'), {
      url: 'https://vnexpress.net/rss/tin-moi-nhat.rss',
    })
    expect(feed.format).toBe('rss')
    expect(feed.items).toHaveLength(25)
    expect(feed.title).toBe('Tin mới nhất - VnExpress RSS')
    expect(feed.description).toBe('VnExpress RSS - Tin mới nhất')
    expect(feed.items[0]?.title).toBe('Tin 1: Hà Nội đón đợt không khí lạnh mới')
    expect(feed.items[24]?.link).toBe('https://vnexpress.net/tin-25-4000025.html')
    expect(feed.items[2]?.published?.toISOString()).toBe('2026-12-06T20:15:00.000Z')
    expect(feed.items[0]?.contentHtml).toContain('anh-1.jpg')
    expect(codes(feed)).toEqual(['ERR_PARSE_RECOVERED'])
    expect(feed.warnings[0]?.message).toContain('25 complete <item>')
  })

  it('reads Atom entries without their <feed>, dropping the one cut short', async () => {
    const feed = await parseFeed(fixture('orphan-entries.xml'), { url: 'https://atom.example.vn/feed' })
    expect(feed.format).toBe('atom')
    expect(feed.items.map((i) => i.title)).toEqual(['Bài 1', 'Bài 2'])
    expect(feed.items[1]?.link).toBe('https://atom.example.vn/bai-2')
    expect(codes(feed)).toEqual(['ERR_PARSE_RECOVERED', 'ERR_PARSE_TRUNCATED'])
  })

  it('reads the items of every root when two documents were pasted together', async () => {
    const feed = await parseFeed(fixture('several-roots.xml'))
    expect(feed.title).toBe('Báo A')
    expect(feed.items.map((i) => i.link)).toEqual([
      'https://a.example.vn/a1',
      'https://a.example.vn/a2',
      'https://a.example.vn/a3',
    ])
    expect(codes(feed)).toEqual(['ERR_PARSE_RECOVERED'])
  })

  it('skips junk before the root (a PHP warning before the XML declaration)', async () => {
    const feed = await parseFeed(fixture('junk-before-root.xml'))
    expect(feed.title).toBe('Báo Hà Nam')
    expect(feed.items).toHaveLength(1)
    expect(codes(feed)).toEqual(['ERR_PARSE_RECOVERED'])
  })

  it('finds a feed wrapped in an HTML page (a browser’s view saved to disk)', async () => {
    const feed = await parseFeed(fixture('html-wrapper.html'))
    expect(feed.format).toBe('rss')
    expect(feed.title).toBe('Báo Nam Định - Thời sự')
    expect(feed.items.map((i) => i.title)).toEqual(['Tin thời sự 1', 'Tin thời sự 2'])
    expect(codes(feed)).toEqual(['ERR_PARSE_RECOVERED'])
  })

  it('still refuses an HTML page with no item or entry in it', async () => {
    await expect(parseFeed(fixture('not-a-feed.html'))).rejects.toMatchObject({ code: 'ERR_PARSE_INVALID_FEED' })
    await expect(parseFeed('<html><body><p>Không có tin</p><item></item></body></html>')).rejects.toMatchObject({
      code: 'ERR_PARSE_INVALID_FEED',
    })
  })

  it('gives a well-formed feed no recovery warning', async () => {
    const feed = await parseFeed(fixture('rss-2.0.xml'))
    expect(feed.warnings).toEqual([])
  })
})

const URL_ = 'https://baothaibinh.example.vn/rss.php?cat=home'

describe('parseFeed: Content-Location as the base of relative links', () => {
  it('resolves relative links against an absolute Content-Location instead of the request URL', async () => {
    const feed = await parseFeed(fixture('content-location.xml'), {
      url: URL_,
      contentLocation: 'https://baothaibinh.example.vn/rss/trang-chu.xml',
    })
    expect(feed.link).toBe('https://baothaibinh.example.vn/')
    const [first, second] = feed.items
    expect(first?.link).toBe('https://baothaibinh.example.vn/rss/van-hoa/le-hoi-den-tran.html')
    expect(first?.enclosures[0]?.url).toBe('https://baothaibinh.example.vn/rss/anh/den-tran.jpg')
    expect(first?.baseUrl).toBe('https://baothaibinh.example.vn/rss/trang-chu.xml')
    // xml:base inside the document still applies over it
    expect(second?.link).toBe('https://cdn.baothaibinh.example.vn/que-lua.html')
  })

  it('reads a relative Content-Location relative to the request URL (RFC 7231 §3.1.4.2)', async () => {
    const feed = await parseFeed(fixture('content-location.xml'), { url: URL_, contentLocation: 'tin/moi/rss.xml' })
    expect(feed.items[0]?.link).toBe('https://baothaibinh.example.vn/tin/moi/van-hoa/le-hoi-den-tran.html')
  })

  it('keeps the request URL when the Content-Location is not an http(s) URL or cannot be resolved', async () => {
    const expected = 'https://baothaibinh.example.vn/van-hoa/le-hoi-den-tran.html'
    for (const contentLocation of ['file:///srv/rss.xml', 'http://[bad', '']) {
      const feed = await parseFeed(fixture('content-location.xml'), { url: URL_, contentLocation })
      expect(feed.items[0]?.link).toBe(expected)
    }
    // relative, with no request URL to resolve it against: ignored, the feed's own link decides
    const alone = await parseFeed(fixtureText('content-location.xml').replace('<link>../</link>', ''), {
      contentLocation: 'rss/',
    })
    expect(alone.items[0]?.link).toBe('van-hoa/le-hoi-den-tran.html')
  })

  it('is the base of a JSON Feed’s relative links too', async () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Báo Thái Bình',
      items: [{ id: '1', url: 'tin/1.html', content_text: 'x' }],
    })
    const feed = await parseFeed(json, { url: URL_, contentLocation: '/json/' })
    expect(feed.items[0]?.link).toBe('https://baothaibinh.example.vn/json/tin/1.html')
  })
})

describe('fetchFeed → parseFeed', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it('returns the Content-Location header for parseFeed', async () => {
    server.route(
      '/rss.php',
      serve(fixtureText('content-location.xml'), {
        'content-type': 'application/rss+xml',
        'content-location': '/rss/trang-chu.xml',
      }),
    )
    const result = await fetchFeed(`${server.origin}/rss.php`, { allowHosts: [server.host], retries: 0 })
    expect(result.contentLocation).toBe('/rss/trang-chu.xml')
    const feed = await parseFeed(result.bytes!, {
      url: result.url,
      ...(result.contentLocation === undefined ? {} : { contentLocation: result.contentLocation }),
    })
    expect(feed.items[0]?.link).toBe(`${server.origin}/rss/van-hoa/le-hoi-den-tran.html`)
  })
})

describe('parseFeed on real-world RSS', () => {
  it('reads <rss> without a version', async () => {
    const feed = await parseFeed(fixture('rss-no-version.xml'))
    expect(feed.format).toBe('rss')
    expect(feed.version).toBeUndefined()
    expect(feed.items.map((i) => i.title)).toEqual(['Vũ Thư tổ chức Ngày hội hiến máu tình nguyện'])
    expect(feed.items[0]?.published?.toISOString()).toBe('2017-03-10T00:30:00.000Z')
  })

  it('keeps a bare & as a character in titles, links and descriptions', async () => {
    const feed = await parseFeed(fixture('bare-ampersand.xml'))
    expect(feed.title).toBe('Sở Tài nguyên & Môi trường Thái Bình')
    expect(feed.link).toBe('https://stnmt.thaibinh.gov.vn/?lang=vi&cat=1')
    expect(feed.items[0]).toMatchObject({
      title: 'Tài nguyên & Môi trường: Kiểm tra khai thác cát trái phép',
      link: 'https://stnmt.thaibinh.gov.vn/index.php?option=com_content&view=article&id=1024',
      summary: 'Đoàn kiểm tra Sở TN&MT làm việc tại xã Vũ Lăng & xã Vũ Tiến.',
    })
  })

  it('decodes HTML named entities that XML never declared, and titles escaped twice', async () => {
    const feed = await parseFeed(fixture('html-entities.xml'))
    expect(feed.title).toBe('Báo Hà Nam')
    expect(feed.items[0]?.title).toBe('Hà Nam:\u00a0“Ngày hội” trồng cây – 2017')
    expect(feed.items[0]?.summary).toBe('Tỉnh Hà Nam phát động Tết trồng cây…')
    expect(feed.items[1]?.title).toBe('Hà Nam đón bằng khen "Đơn vị xuất sắc"')
  })

  it('drops control characters from plain-text fields', async () => {
    const bytes = fixture('control-characters.xml')
    expect(bytes.includes(0x0b)).toBe(true)
    const feed = await parseFeed(bytes)
    expect(feed.items[0]).toMatchObject({
      title: 'Hải Dương: giải ngân vốn đầu tư công',
      summary: 'Tỷ lệ giải ngân đạt 15%.',
      author: 'Thanh Hà',
    })
  })

  it('keeps the words of a title with unescaped markup, and unescaped HTML descriptions as HTML', async () => {
    const feed = await parseFeed(fixture('markup-in-title.xml'))
    expect(feed.items[0]?.title).toBe('Vải thiều Lục Ngạn được mùa, giá cao')
    expect(feed.items[0]?.contentHtml).toBe(
      '<p>Năm nay vải thiều <strong>Lục Ngạn</strong> được mùa.<br>Giá bán cao hơn năm trước.</p><p><img src="/anh/vai.jpg" alt="Vải thiều"></p>',
    )
    // an escaped "<b>" is a literal part of the text (DESIGN: a literal <b> in a title is text)
    expect(feed.items[1]?.title).toBe('Ký hiệu <b> trong tiêu đề vẫn là chữ')
  })

  it('keeps the complete items of a truncated document and reports the rest', async () => {
    const feed = await parseFeed(fixture('truncated.xml'))
    expect(feed.items.map((i) => i.title)).toEqual(['Thanh Hóa thu hút 12 dự án FDI', 'Nghi Sơn đón tàu 30.000 tấn'])
    expect(feed.warnings).toEqual([
      {
        code: 'ERR_PARSE_TRUNCATED',
        message: 'Feed document ends early: 2 complete items kept, 1 incomplete item dropped',
      },
    ])
  })

  it('warns about a document cut after its last item', async () => {
    const text = fixtureText('rss-0.91.xml')
    const feed = await parseFeed(text.slice(0, text.indexOf('</channel>')))
    expect(feed.items).toHaveLength(2)
    expect(feed.warnings.map((w) => w.code)).toEqual(['ERR_PARSE_TRUNCATED'])
  })

  it('keeps the complete items of a truncated JSON Feed', async () => {
    const text = fixtureText('json-feed-1.0.json')
    const feed = await parseFeed(text.slice(0, text.indexOf('"Chùa Bái Đính"')))
    expect(feed.items.map((i) => i.id)).toEqual(['20170310001'])
    expect(feed.warnings[0]?.code).toBe('ERR_PARSE_TRUNCATED')
  })

  it('reads CDATA verbatim, including a CDATA section split around "]]>"', async () => {
    const feed = await parseFeed(fixture('cdata.xml'))
    expect(feed.title).toBe('Báo Nghệ An')
    expect(feed.items[0]).toMatchObject({
      title: 'Nghệ An: Lễ hội Đền Cờn & "Rước kiệu"',
      link: 'https://baonghean.vn/le-hoi-den-con.html?id=5&p=1',
      summary: 'Lễ hội Đền Cờn năm 2017 & những điều mới.',
      contentHtml: '<p>Lễ hội diễn ra từ 19-22 tháng Giêng. Mã nguồn: <code>a[1]]></code></p>',
    })
  })

  it('resolves links against nested xml:base, and gives the body its own base', async () => {
    const feed = await parseFeed(fixture('xml-base.xml'), { url: 'https://rss.baolaocai.vn/atom' })
    expect(feed.link).toBe('https://baolaocai.vn/')
    const [first, second] = feed.items
    expect(first?.link).toBe('https://baolaocai.vn/du-lich/sa-pa-hoa-do-quyen.html')
    expect(first?.enclosures).toEqual([{ url: 'https://baolaocai.vn/media/do-quyen.jpg', type: 'image/jpeg' }])
    expect(first?.baseUrl).toBe('https://cdn.baolaocai.vn/2017/03/')
    expect(second?.link).toBe('https://baolaocai.vn/van-hoa/bac-ha-cho-phien.html')
  })

  it('applies a relative xml:base once, in RSS too', async () => {
    const feed = await parseFeed(
      `<rss version="2.0" xml:base="tin-tuc/"><channel xml:base="2017/"><title>Báo Phú Thọ</title>
        <item><title>Giỗ Tổ Hùng Vương</title><link>gio-to.html</link><enclosure url="anh/den-hung.jpg" type="image/jpeg" /></item>
      </channel></rss>`,
      { url: 'https://baophutho.vn/rss/' },
    )
    expect(feed.items[0]?.link).toBe('https://baophutho.vn/rss/tin-tuc/2017/gio-to.html')
    expect(feed.items[0]?.enclosures[0]?.url).toBe('https://baophutho.vn/rss/tin-tuc/2017/anh/den-hung.jpg')
    expect(feed.items[0]?.baseUrl).toBe('https://baophutho.vn/rss/tin-tuc/2017/')
  })

  it('resolves relative links against the document URL, else the feed’s own link', async () => {
    const feed = await parseFeed(fixture('relative-links.xml'), { url: 'https://baoyenbai.com.vn/rss/du-lich.xml' })
    expect(feed.link).toBe('https://baoyenbai.com.vn/')
    expect(feed.items.map((i) => i.link)).toEqual([
      'https://baoyenbai.com.vn/du-lich/mu-cang-chai-mua-nuoc-do.html',
      'https://baoyenbai.com.vn/rss/van-hoa/den-dong-cuong.html',
    ])
    // length="0" means unknown: omitted
    expect(feed.items[0]?.enclosures).toEqual([
      { url: 'https://baoyenbai.com.vn/media/ruong-bac-thang.jpg', type: 'image/jpeg' },
    ])

    const withoutUrl = await parseFeed(
      fixtureText('relative-links.xml').replace('<link>/</link>', '<link>https://baoyenbai.com.vn/</link>'),
    )
    expect(withoutUrl.items[1]?.link).toBe('https://baoyenbai.com.vn/van-hoa/den-dong-cuong.html')
  })

  it('resolves relative links of a local file against the feed’s own site link, not file:', async () => {
    const feed = await parseFeed(
      fixtureText('relative-links.xml').replace('<link>/</link>', '<link>https://baoyenbai.com.vn/</link>'),
      { url: 'file:///srv/feeds/baoyenbai.xml' },
    )
    expect(feed.items[0]?.link).toBe('https://baoyenbai.com.vn/du-lich/mu-cang-chai-mua-nuoc-do.html')
  })

  it('resolves namespace prefixes by scope, whatever prefix the feed chose', async () => {
    const feed =
      await parseFeed(`<rss version="2.0" xmlns:c="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel>
        <item><title>Một</title><c:encoded>&lt;p&gt;thân bài&lt;/p&gt;</c:encoded><dc:creator>Lan Anh</dc:creator></item>
        <item xmlns:c="urn:khac"><title>Hai</title><c:encoded>không phải nội dung</c:encoded></item>
        <item><title>Ba</title><c:encoded>&lt;p&gt;lại là thân bài&lt;/p&gt;</c:encoded></item>
        <item><title>Bốn</title><content:encoded>&lt;p&gt;tiền tố không khai báo&lt;/p&gt;</content:encoded></item>
      </channel></rss>`)
    expect(feed.items.map((i) => i.contentHtml)).toEqual([
      '<p>thân bài</p>',
      undefined,
      '<p>lại là thân bài</p>',
      '<p>tiền tố không khai báo</p>',
    ])
    expect(feed.items[0]?.author).toBe('Lan Anh')
  })

  it('keeps every enclosure of an item (length as a number, or omitted), without repeats', async () => {
    const feed = await parseFeed(fixture('multiple-enclosures.xml'))
    expect(feed.items[0]?.enclosures).toEqual([
      { url: 'https://thaibinhtv.vn/media/ban-tin-10-3-2017.mp4', type: 'video/mp4', length: 73400320 },
      { url: 'https://thaibinhtv.vn/media/ban-tin-10-3-2017.mp3', type: 'audio/mpeg', length: 8388608 },
      { url: 'https://thaibinhtv.vn/media/ban-tin-10-3-2017.jpg', type: 'image/jpeg' },
    ])
  })

  it('reads media:content, media:thumbnail, media:group, media:title and media:credit under any prefix', async () => {
    const feed = await parseFeed(fixture('media-rss.xml'))
    expect(feed.items[0]?.media).toEqual([
      { url: 'https://baoquangninh.vn/upload/2017/03/ha-long-thumb.jpg', medium: 'image', thumbnail: true },
      {
        url: 'https://baoquangninh.vn/upload/2017/03/ha-long-1.jpg',
        type: 'image/jpeg',
        medium: 'image',
        title: 'Du thuyền trên vịnh Hạ Long',
        credit: 'Đỗ Phương',
      },
      {
        url: 'https://baoquangninh.vn/upload/2017/03/sung-sot-lon.jpg',
        medium: 'image',
        title: 'Hang Sửng Sốt',
        credit: 'TTXVN',
      },
      {
        url: 'https://baoquangninh.vn/upload/2017/03/sung-sot-nho.jpg',
        medium: 'image',
        title: 'Hang Sửng Sốt',
        credit: 'TTXVN',
      },
      { url: 'https://baoquangninh.vn/upload/2017/03/video.mp4', type: 'video/mp4', medium: 'video' },
    ])
  })

  it('reads dc:creator (several) and dc:date; day-first and Vietnamese dates stay raw for normalize', async () => {
    const feed = await parseFeed(fixture('dc-creator-date.xml'))
    const [first, second, third] = feed.items
    expect(first?.author).toBe('Đinh Thắng, Bùi Minh')
    expect(first?.published?.toISOString()).toBe('2017-03-10T01:15:00.000Z')
    expect(second?.published).toBeUndefined()
    expect(second?.raw).toEqual({ published: '10/03/2017 08:15' })
    expect(third?.published).toBeUndefined()
    expect(third?.raw).toEqual({ published: 'Thứ Sáu, 10/03/2017 - 08:15' })
  })

  it('reads RSS <source url>', async () => {
    const feed = await parseFeed(fixture('rss-source.xml'))
    expect(feed.items[0]?.source).toEqual({
      title: 'Báo Thái Bình',
      url: 'https://baothaibinh.com.vn/rss/kinh-te.rss',
    })
  })

  it('never expands entities declared in a DOCTYPE (no billion laughs, no external entities)', async () => {
    const feed = await parseFeed(`<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>Tin</title><item><title>&c; &x;</title></item></channel></rss>`)
    expect(feed.items[0]?.title).toBe('&c; &x;')
  })

  it('skips junk before the document element (a PHP notice)', async () => {
    const text = `<br />\n<b>Notice</b>: Undefined index: id in <b>/var/www/rss.php</b> on line <b>12</b><br />\n${fixtureText('rss-0.91.xml')}`
    const feed = await parseFeed(text)
    expect(feed.items).toHaveLength(2)
  })
})

describe('parseFeed on bytes', () => {
  it('decodes windows-1258 bytes by the XML declaration', async () => {
    const bytes = fixture('windows-1258.xml')
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow()
    const feed = await parseFeed(bytes)
    expect(feed.items[0]?.title?.normalize('NFC')).toBe('Khuyến nông Thái Bình')
  })

  it('decodes UTF-16 with a BOM and UTF-8 with a BOM', async () => {
    const text = fixtureText('rss-no-version.xml')
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])
    for (const bytes of [utf16, utf8]) {
      expect((await parseFeed(bytes)).items[0]?.title).toBe('Vũ Thư tổ chức Ngày hội hiến máu tình nguyện')
    }
    expect((await parseFeed(`\ufeff${text}`)).items).toHaveLength(1)
  })

  it('uses the Content-Type charset', async () => {
    const latin1 = Buffer.from('<rss version="2.0"><channel><title>Caf\xe9</title></channel></rss>', 'latin1')
    const feed = await parseFeed(latin1, { contentType: 'application/rss+xml; charset=iso-8859-1' })
    expect(feed.title).toBe('Café')
  })
})

describe('parseFeed refuses what is not a feed', () => {
  const url = 'https://baothaibinh.com.vn/rss/kinh-te.rss'
  const rejects = async (input: string | Uint8Array, code: string, options = {}) => {
    const error = await parseFeed(input, { url, ...options }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ParseError)
    expect(error).toMatchObject({ code, url })
    return error as ParseError
  }

  it('an HTML page → ERR_PARSE_INVALID_FEED', async () => {
    const error = await rejects(fixture('not-a-feed.html'), 'ERR_PARSE_INVALID_FEED')
    expect(error.message).toContain(url)
  })

  it('an HTML fragment without <html> → ERR_PARSE_INVALID_FEED', async () => {
    await rejects('<div class="error">Không tìm thấy trang</div>', 'ERR_PARSE_INVALID_FEED')
  })

  it('empty input, whitespace, garbage → ERR_PARSE_INVALID_FEED', async () => {
    await rejects('', 'ERR_PARSE_INVALID_FEED')
    await rejects(new Uint8Array(0), 'ERR_PARSE_INVALID_FEED')
    await rejects(' \n\t ', 'ERR_PARSE_INVALID_FEED')
    await rejects('Lỗi máy chủ, vui lòng thử lại sau', 'ERR_PARSE_INVALID_FEED')
    await rejects('{"version": "https://jsonfeed.org/version/1.1", "items": [', 'ERR_PARSE_INVALID_FEED')
    await rejects('{ not json', 'ERR_PARSE_INVALID_FEED')
  })

  it('well-formed XML or JSON of another kind → ERR_PARSE_UNKNOWN_FORMAT', async () => {
    await rejects(fixture('opml.xml'), 'ERR_PARSE_UNKNOWN_FORMAT')
    await rejects('{"tin": []}', 'ERR_PARSE_UNKNOWN_FORMAT')
    await rejects('[1, 2]', 'ERR_PARSE_UNKNOWN_FORMAT')
    await rejects('{"version": "2.0", "items": []}', 'ERR_PARSE_UNKNOWN_FORMAT')
  })

  it('input over the size limit → ERR_PARSE_TOO_LARGE, for strings and bytes', async () => {
    const text = fixtureText('rss-2.0.xml')
    await rejects(text, 'ERR_PARSE_TOO_LARGE', { maxSize: 1000 })
    await rejects(Buffer.from(text), 'ERR_PARSE_TOO_LARGE', { maxSize: 1000 })
    expect((await parseFeed(text, { maxSize: text.length })).items).toHaveLength(2)
  })

  it('rejects more than 15 MiB by default', async () => {
    await rejects(new Uint8Array(15 * 1024 * 1024 + 1), 'ERR_PARSE_TOO_LARGE')
  })
})

describe('parseFeed against hostile nesting', () => {
  it('stops at the depth limit, keeps complete items and warns', async () => {
    const bomb = `<rss version="2.0"><channel><title>Bom</title><item><title>Tin 1</title></item><item><title>Tin 2</title><description>${'<div>'.repeat(200_000)}x`
    const feed = await parseFeed(bomb)
    expect(feed.items.map((i) => i.title)).toEqual(['Tin 1'])
    expect(feed.warnings.map((w) => w.code)).toEqual(['ERR_PARSE_TOO_DEEP'])
  })

  it('stops a deeply nested JSON Feed at the depth limit, keeping the items complete before it', async () => {
    const bomb = `{"version":"https://jsonfeed.org/version/1.1","title":"Bom","items":[{"id":"1","title":"Tin 1"},{"id":"2","tags":${'['.repeat(300_000)}`
    const feed = await parseFeed(bomb)
    expect(feed.items.map((i) => i.id)).toEqual(['1'])
    expect(feed.warnings.map((w) => w.code)).toEqual(['ERR_PARSE_TOO_DEEP'])
    await expect(parseFeed('['.repeat(300_000) + ']'.repeat(300_000))).rejects.toMatchObject({
      code: 'ERR_PARSE_INVALID_FEED',
    })
  })

  it('honours maxDepth', async () => {
    const text = fixtureText('rss-2.0.xml')
    expect((await parseFeed(text, { maxDepth: 3 })).warnings.map((w) => w.code)).toEqual(['ERR_PARSE_TOO_DEEP'])
    expect((await parseFeed(text, { maxDepth: 5 })).warnings).toEqual([])
  })

  it('reads many unclosed HTML void elements inside an item without nesting them', async () => {
    const body = `<p>${'dòng<br>'.repeat(1000)}<img src="a.jpg"></p>`
    const feed = await parseFeed(
      `<rss version="2.0"><channel><item><title>Thơ</title><description>${body}</description></item></channel></rss>`,
    )
    expect(feed.warnings).toEqual([])
    expect(feed.items[0]?.contentHtml).toBe(body)
  })
})
