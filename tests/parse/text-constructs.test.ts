import { describe, expect, it } from 'vitest'
import { parseFeed } from '../../src/parse/index.js'
import { fixture, fixtureText } from '../helpers/parse-fixtures.js'

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

describe('rights', () => {
  const atom = (rights: string, ns = 'http://www.w3.org/2005/Atom') =>
    `<feed xmlns="${ns}"><title>T</title>${rights}<entry><title>x</title><id>1</id></entry></feed>`
  const rss = (inner: string, attrs = '') =>
    `<rss version="2.0"${attrs}><channel><title>T</title>${inner}<item><title>x</title></item></channel></rss>`

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
