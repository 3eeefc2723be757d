/** The Atom reader (src/parse/atom.ts): Atom 1.0 and 0.3, through parseFeed. */
import { describe, expect, it } from 'vitest'
import { parseFeed } from '../../src/parse/index.js'
import { fixture } from '../helpers/parse-fixtures.js'

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

describe('Atom text constructs (RFC 4287 §3.1)', () => {
  it('reads html and xhtml titles and subtitles as the text the publisher meant', async () => {
    const feed = await parseFeed(fixture('atom-text-constructs.xml'))
    expect(feed.title).toBe('History of the <blink> tag')
    expect(feed.description).toBe('A lot of effort went into making this.')
    const [text, xhtml, attr, literal, twice] = feed.items
    // RFC 4287 §3.1.1.2's own example
    expect(text?.title).toBe('Less: <')
    expect(xhtml?.title).toBe('History of the <blink> tag')
    expect(attr?.title).toBe('Link in title')
    // html: escaped markup is markup (a real <blink> tag is dropped), doubly escaped markup is text
    expect(feed.title).toBe('History of the <blink> tag')
    expect(literal?.title).toBe('Literal &amp; kept once')
    // no type: a feed that escaped twice is decoded twice (the Vietnamese CMS habit)
    expect(twice?.title).toBe('Hai làn escaped')
  })

  it('reads html and xhtml summaries beside a body as plain text', async () => {
    const feed = await parseFeed(fixture('atom-text-constructs.xml'))
    const [text, , , , twice] = feed.items
    expect(text?.summary).toBe('Escaped <b> shown as text, bold dropped.')
    expect(text?.contentHtml).toBe('<p>Body</p>')
    // XHTML text is decoded once, by XML: `&amp;amp;` is the literal `&amp;`
    expect(twice?.summary).toBe('Đoạn một. Đoạn hai &amp; ba.')
  })
})

describe('Atom: authors and categories', () => {
  it('joins several Atom authors, reads category term without a label, and inherits the feed author', async () => {
    const feed = await parseFeed(fixture('atom-authors.xml'))
    const [both, editorial] = feed.items
    expect(both?.author).toBe('Thu Thủy, Minh Hà')
    expect(both?.categories).toEqual(['kinh-te', 'Xã hội'])
    expect(editorial?.author).toBe('Ban biên tập')
  })
})

describe('Atom rights', () => {
  const atom = (rights: string, ns = 'http://www.w3.org/2005/Atom') =>
    `<feed xmlns="${ns}"><title>T</title>${rights}<entry><title>x</title><id>1</id></entry></feed>`

  it('reads Atom xhtml rights as the text inside the div (escaped markup is text)', async () => {
    const feed = await parseFeed(fixture('atom-rights.xml'))
    expect(feed.rights).toBe('© 2017 Báo Thái Bình. Ghi rõ nguồn <baothaibinh.com.vn> khi phát hành lại.')
  })

  it('reads Atom html and text rights per RFC 4287 §3.1', async () => {
    const html = await parseFeed(
      atom('<rights type="html">&amp;copy; 2017 &lt;a href="/"&gt;Báo Nam Định&lt;/a&gt;</rights>'),
    )
    expect(html.rights).toBe('© 2017 Báo Nam Định')
    const text = await parseFeed(atom('<rights type="text">Bản quyền &lt;Báo Nam Định&gt;</rights>'))
    expect(text.rights).toBe('Bản quyền <Báo Nam Định>')
    const legacy = await parseFeed(atom('<copyright>Copyright 2004 Báo Hà Nam</copyright>', 'http://purl.org/atom/ns#'))
    expect(legacy.rights).toBe('Copyright 2004 Báo Hà Nam')
  })
})
