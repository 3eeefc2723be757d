import { describe, expect, it } from 'vitest'
import type { RenderOptions } from '../../src/publish/index.js'
import { renderFeed } from '../../src/publish/index.js'
import { makeArticle, makeStory, SEED_CAPTION, seedArticle, seedStory } from './fixtures.js'
import { HOSTILE_KEPT, HOSTILE_TITLE_CLEAN, hostileStories } from './hostile.js'
import { child, findAll, hasJing, jingErrors, jsonFeedErrors, parseRss, parseXml } from './validate.js'

const base = {
  title: 'Tin tổng hợp Thái Bình & Nam Định',
  link: 'https://tonghop.example/',
  description: 'Tin tức <mới> từ các báo địa phương',
  language: 'vi',
} satisfies Omit<RenderOptions, 'format'>

const rss = (items: Parameters<typeof renderFeed>[0], extra: Partial<RenderOptions> = {}) =>
  renderFeed(items, { ...base, format: 'rss', feedUrl: 'https://tonghop.example/merged.xml', ...extra })
const atom = (items: Parameters<typeof renderFeed>[0], extra: Partial<RenderOptions> = {}) =>
  renderFeed(items, { ...base, format: 'atom', feedUrl: 'https://tonghop.example/merged.atom', ...extra })
const json = (items: Parameters<typeof renderFeed>[0], extra: Partial<RenderOptions> = {}) =>
  JSON.parse(renderFeed(items, { ...base, format: 'json', feedUrl: 'https://tonghop.example/merged.json', ...extra }))

describe('RSS 2.0', () => {
  it('credits the seed story visibly and in <source>, with no dc:creator without a byline (rss-parser)', async () => {
    const xml = rss([seedStory()])
    parseXml(xml)
    const feed = await parseRss(xml)
    expect(feed.items).toHaveLength(1)
    const item = feed.items[0]!
    expect(item.title).toBe('Họp Ban Hội nhập kinh tế quốc tế tỉnh')
    expect(item['content:encoded']).toContain('<em>Theo Báo Thái Bình</em>')
    expect(item['content:encoded']).toMatch(
      /Cũng đăng trên: <a href="https:\/\/thaibinhtv\.vn\/[^"]+">Đài Phát thanh và Truyền hình Thái Bình<\/a>/,
    )
    expect(item.source).toBe('Báo Thái Bình')
    const source = child(findAll(parseXml(xml), 'item')[0]!, 'source')!
    expect(source.attributes).toEqual({ url: 'https://thaibinh.gov.vn/rss/tin-tuc.rss' })
    expect(source.text).toBe('Báo Thái Bình')
    // The outlet is not an author: dc:creator carries only a byline.
    expect(item['dc:creator']).toBeUndefined()
    expect(child(findAll(parseXml(rss([makeArticle({ author: 'Thu Thủy' })])), 'item')[0]!, 'dc:creator')?.text).toBe(
      'Thu Thủy',
    )
    expect(item.guid).toBe('https://thaibinh.gov.vn/tin-tuc/hop-ban-hoi-nhap-kinh-te-quoc-te-tinh.html')
    expect(new Date(item.isoDate!).toISOString()).toBe('2017-03-10T00:00:00.000Z')
  })

  it('writes the image as an image/jpeg enclosure without a fake length, and media:content with the photo credit', async () => {
    const xml = rss([seedArticle()])
    const tree = parseXml(xml)
    const item = findAll(tree, 'item')[0]!
    const enclosure = child(item, 'enclosure')!
    expect(enclosure.attributes).toEqual({
      url: 'https://thaibinh.gov.vn/images/2017/03/hop-ban-hoi-nhap.jpg',
      type: 'image/jpeg',
    })
    const media = child(item, 'media:content')!
    expect(media.attributes.medium).toBe('image')
    expect(child(media, 'media:credit')?.text).toBe('Thu Thủy')
    expect(child(media, 'media:description')?.text).toBe(SEED_CAPTION)
    expect(xml).toContain('xmlns:media="http://search.yahoo.com/mrss/"')
  })

  it('keeps a real enclosure length and fixes image/jpg', () => {
    const xml = rss([
      makeArticle({ enclosures: [{ url: 'https://x.vn/a.mp3', type: 'audio/mpeg', length: 4_242_000 }] }),
      makeArticle({ enclosures: [{ url: 'https://x.vn/a.jpg', type: 'image/jpg', length: 0 }] }),
    ])
    const enclosures = findAll(parseXml(xml), 'enclosure').map((e) => e.attributes)
    expect(enclosures).toContainEqual({ url: 'https://x.vn/a.mp3', type: 'audio/mpeg', length: '4242000' })
    expect(enclosures).toContainEqual({ url: 'https://x.vn/a.jpg', type: 'image/jpeg' })
  })

  it('advertises itself with atom:link rel="self" and the WebSub hub', () => {
    const tree = parseXml(rss([seedArticle()], { hub: 'https://hub.example/' }))
    const links = findAll(tree, 'atom:link').map((l) => l.attributes)
    expect(links).toContainEqual({
      href: 'https://tonghop.example/merged.xml',
      rel: 'self',
      type: 'application/rss+xml',
    })
    expect(links).toContainEqual({ href: 'https://hub.example/', rel: 'hub' })
  })

  it('survives every hostile value: well-formed, CDATA split, no control characters, no live script', async () => {
    const xml = rss(hostileStories())
    parseXml(xml)
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/)
    const feed = await parseRss(xml)
    expect(feed.items).toHaveLength(HOSTILE_KEPT)
    const [first, second] = feed.items
    expect(first!.title).toBe(HOSTILE_TITLE_CLEAN)
    expect(first!['content:encoded']).not.toMatch(/<script|<iframe/i)
    expect(first!['content:encoded']).toContain('Theo Báo &lt;Nam&gt; Định &amp; Cộng sự')
    expect(first!.guid).toBe('urn:tonghop:12345')
    expect(first!.categories).toEqual(['Thời sự <Nóng> & "mới"', 'a<b'])
    expect(second!.link).toBe('https://baothaibinh.com.vn/tin-tuc/tuong-doi.html')
    expect(xml).not.toContain('data:text/html')
    expect(xml).not.toContain('javascript:')
  })

  it('produces a valid empty feed when there are no stories', async () => {
    const feed = await parseRss(rss([]))
    expect(feed.items).toEqual([])
    expect(feed.title).toBe(base.title)
  })
})

describe('Atom 1.0', () => {
  const checkMusts = (xml: string) => {
    // RFC 4287's Schematron rules (jing does not run them): author on every entry, else in its <source>, else on the
    // feed (§4.1.2), and an alternate link or content on every entry; plus what we promise: <source> naming the
    // publisher, a URI id.
    const tree = parseXml(xml)
    expect(tree.name).toBe('feed')
    const feedAuthor = child(tree, 'author')
    for (const entry of findAll(tree, 'entry')) {
      const author = child(entry, 'author') ?? child(child(entry, 'source')!, 'author') ?? feedAuthor
      expect(author).toBeDefined()
      expect(child(author!, 'name')?.text).toBeTruthy()
      const alternate = entry.children.some(
        (c) => c.name === 'link' && (!c.attributes.rel || c.attributes.rel === 'alternate'),
      )
      expect(alternate || child(entry, 'content') !== undefined).toBe(true)
      expect(child(entry, 'id')?.text).toMatch(/^(https?:\/\/|urn:|tag:)/)
      expect(child(child(entry, 'source')!, 'title')?.text).toBeTruthy()
    }
    return tree
  }

  it.skipIf(!hasJing)('is valid against the RFC 4287 RELAX NG schema (jing)', () => {
    expect(jingErrors(atom([seedStory(), makeStory(makeArticle())]))).toEqual([])
    expect(jingErrors(atom(hostileStories()))).toEqual([])
    expect(jingErrors(atom([]))).toEqual([])
  })

  it.skipIf(!hasJing)('the schema check can fail (an entry without id is rejected)', () => {
    const broken = atom([seedArticle()]).replace(/<id>https:\/\/thaibinh[^<]*<\/id>/, '')
    expect(jingErrors(broken).length).toBeGreaterThan(0)
  })

  it('names the original publisher in <source>, as the source author when the entry has no byline', () => {
    const tree = checkMusts(atom([seedStory()]))
    const entry = findAll(tree, 'entry')[0]!
    const source = child(entry, 'source')!
    expect(child(source, 'title')?.text).toBe('Báo Thái Bình')
    expect(source.children.filter((c) => c.name === 'link').map((l) => l.attributes)).toContainEqual({
      rel: 'alternate',
      href: 'https://baothaibinh.com.vn/',
    })
    // No byline: the entry has no <author> of its own; the outlet is the author of its <source>.
    expect(child(entry, 'author')).toBeUndefined()
    expect(child(child(source, 'author')!, 'name')?.text).toBe('Báo Thái Bình')
    expect(child(entry, 'content')?.text).toContain('Theo Báo Thái Bình')
    const enclosure = entry.children.find((c) => c.name === 'link' && c.attributes.rel === 'enclosure')
    expect(enclosure?.attributes.type).toBe('image/jpeg')
    expect(enclosure?.attributes.length).toBeUndefined()
  })

  it('gives non-URL ids a urn: form instead of throwing', () => {
    const tree = checkMusts(atom([makeArticle({ id: '98765' }), makeArticle({ id: 'bài viết/1?x=<y>' })]))
    const ids = findAll(tree, 'entry').map((e) => child(e, 'id')!.text)
    expect(ids).toContain('urn:tonghop:98765')
    expect(ids).toContain(`urn:tonghop:${encodeURIComponent('bài viết/1?x=<y>')}`)
  })

  it('escapes titles as text (type="html" carries escaped markup) and survives every hostile value', () => {
    const tree = checkMusts(atom(hostileStories()))
    const entries = findAll(tree, 'entry')
    expect(entries).toHaveLength(HOSTILE_KEPT)
    const first = entries[0]!
    // the title element holds HTML; decoding it once more yields the plain title
    const titleHtml = child(first, 'title')!.text
    expect(titleHtml).not.toContain('<script')
    expect(
      titleHtml
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&'),
    ).toBe(HOSTILE_TITLE_CLEAN)
    expect(first.children.filter((c) => c.name === 'category').map((c) => c.attributes.term)).toEqual([
      'Thời sự <Nóng> & "mới"',
      'a<b',
    ])
    expect(child(first, 'content')!.text).not.toMatch(/<script|<iframe/i)
    expect(child(child(first, 'author')!, 'name')!.text).toBe('Phóng viên <b>X</b>')
  })

  it('puts the language on the feed and the hub in a link', () => {
    const tree = parseXml(atom([seedArticle()], { hub: 'https://hub.example/' }))
    expect(tree.attributes['xml:lang']).toBe('vi')
    expect(tree.children.filter((c) => c.name === 'link').map((l) => l.attributes)).toContainEqual({
      rel: 'hub',
      href: 'https://hub.example/',
    })
  })
})

describe('JSON Feed 1.1', () => {
  it('is valid against the JSON Feed 1.1 schema, with authors, attachments, language and the _tonghop credit', () => {
    const feed = json([seedStory()], { hub: 'https://hub.example/' })
    expect(jsonFeedErrors(feed)).toEqual([])
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(feed.language).toBe('vi')
    expect(feed.hubs).toEqual([{ type: 'WebSub', url: 'https://hub.example/' }])
    const item = feed.items[0]
    expect(item.author).toBeUndefined()
    // No byline, no authors: the publisher is in _tonghop.outlet and the credit, not an author.
    expect(item.authors).toBeUndefined()
    expect(item._tonghop.outlet).toEqual({
      name: 'Báo Thái Bình',
      domain: 'baothaibinh.com.vn',
      group: 'baohungyen.vn',
    })
    expect(item.language).toBe('vi')
    expect(item.attachments).toEqual([
      {
        url: 'https://thaibinh.gov.vn/images/2017/03/hop-ban-hoi-nhap.jpg',
        mime_type: 'image/jpeg',
        title: SEED_CAPTION,
      },
    ])
    expect(item.content_html).toContain('<em>Theo Báo Thái Bình</em>')
    expect(item._tonghop.credit).toEqual({
      text: 'Theo Baothaibinh.com.vn',
      name: 'Báo Thái Bình',
      domain: 'baothaibinh.com.vn',
    })
    expect(item._tonghop.source.feedUrl).toBe('https://thaibinh.gov.vn/rss/tin-tuc.rss')
    expect(item._tonghop.alsoPublishedBy).toEqual([
      {
        name: 'Đài Phát thanh và Truyền hình Thái Bình',
        domain: 'thaibinhtv.vn',
        sourceId: 'thaibinhtv',
        url: 'https://thaibinhtv.vn/tin/hop-ban-hoi-nhap',
      },
    ])
  })

  it('the schema check can fail (JSON Feed 1.0 is rejected)', () => {
    const feed = json([seedArticle()])
    expect(jsonFeedErrors({ ...feed, version: 'https://jsonfeed.org/version/1' }).length).toBeGreaterThan(0)
  })

  it('stays valid with every hostile value and an empty feed', () => {
    const feed = json(hostileStories())
    expect(jsonFeedErrors(feed)).toEqual([])
    expect(feed.items).toHaveLength(HOSTILE_KEPT)
    expect(feed.items[0].title).toBe(HOSTILE_TITLE_CLEAN)
    expect(feed.items[0].content_html).not.toMatch(/<script|<iframe/i)
    expect(feed.items[0].attachments).toContainEqual({
      url: 'https://baonamdinh.vn/media/bai.mp3',
      mime_type: 'audio/mpeg',
      size_in_bytes: 123456,
    })
    expect(jsonFeedErrors(json([]))).toEqual([])
  })
})

describe('credit line', () => {
  it('follows creditTemplate, and the also-published line can be renamed or disabled', () => {
    const custom = json([seedStory()], {
      creditTemplate: 'Nguồn: {name}',
      alsoPublishedByTemplate: 'Also published by {names}',
    })
    expect(custom.items[0].content_html).toContain('<em>Nguồn: Báo Thái Bình</em>')
    expect(custom.items[0].content_html).toContain('Also published by <a')
    const off = json([seedStory()], { alsoPublishedByTemplate: false })
    expect(off.items[0].content_html).not.toContain('Cũng đăng trên')
  })

  it('falls back to the credit text, then the carrying feed title, for the outlet', () => {
    const fromText = makeArticle({ credit: { text: 'Theo Baothaibinh.com.vn' } })
    const fromSource = makeArticle({
      url: 'https://a.vn/1',
      source: { id: 's', feedUrl: 'https://a.vn/rss', title: 'Báo Hưng Yên' },
    })
    const feed = json([fromText, fromSource])
    const lines = feed.items.map((i: { _tonghop: { creditLine: string } }) => i._tonghop.creditLine)
    expect(lines).toContain('Theo Baothaibinh.com.vn')
    expect(lines).toContain('Theo Báo Hưng Yên')
  })

  it('escapes outlet names in the also-published line (no markup, no replacement patterns)', () => {
    const primary = seedArticle()
    const copy = {
      ...primary,
      id: 'https://x.vn/1',
      url: 'https://x.vn/1',
      source: { id: 'x', feedUrl: 'https://x.vn/rss', title: "Báo <b>$&$'</b>" },
    }
    const feed = json([makeStory(primary, [copy])], { creditTemplate: 'Theo {name}\u0000' })
    const html: string = feed.items[0].content_html
    expect(html).toContain(`Cũng đăng trên: <a href="https://x.vn/1">Báo &lt;b&gt;$&amp;$&#39;&lt;/b&gt;</a></p>`)
    expect(html).toContain('<em>Theo Báo Thái Bình</em>')
    const page = renderFeed([makeStory(primary, [copy])], { ...base, format: 'html' })
    expect(page).toContain(`Cũng đăng trên: <a href="https://x.vn/1">Báo &lt;b&gt;$&amp;$&#39;&lt;/b&gt;</a></p>`)
  })

  it('lists each copy under the site that carried it, not the publisher its credit names', () => {
    const primary = {
      ...seedArticle(),
      url: 'https://baothaibinh.com.vn/tin-tuc/4/104512',
      source: { id: 'btb', feedUrl: 'https://baothaibinh.com.vn/rss/thoi-su.rss', title: 'Báo Thái Bình - Thời sự' },
    }
    const portal = {
      ...primary,
      id: 'https://thaibinh.gov.vn/1',
      url: 'https://thaibinh.gov.vn/1',
      credit: { text: 'Theo Baothaibinh.com.vn', name: 'Báo Thái Bình', domain: 'baothaibinh.com.vn' },
      source: { id: 'portal', feedUrl: 'https://thaibinh.gov.vn/rss', title: 'Cổng TTĐT tỉnh Thái Bình' },
    }
    const html: string = json([makeStory(primary, [portal])]).items[0].content_html
    expect(html).toContain('Cũng đăng trên: <a href="https://thaibinh.gov.vn/1">Cổng TTĐT tỉnh Thái Bình</a>')
  })

  it('omits the also-published line when there are no copies', () => {
    expect(json([seedArticle()]).items[0].content_html).not.toContain('Cũng đăng trên')
  })
})

describe('order and limit', () => {
  const at = (iso: string, id: string) => makeArticle({ id: `https://a.vn/${id}`, published: new Date(iso) })

  it('sorts newest first with ties broken by id, then keeps `limit` (default 100)', () => {
    const items = [at('2026-01-01T00:00:00Z', 'b'), at('2026-01-02T00:00:00Z', 'c'), at('2026-01-01T00:00:00Z', 'a')]
    const ids = (feed: { items: { id: string }[] }) => feed.items.map((i) => i.id.replace('https://a.vn/', ''))
    expect(ids(json(items))).toEqual(['c', 'a', 'b'])
    expect(ids(json([...items].reverse()))).toEqual(['c', 'a', 'b'])
    expect(ids(json(items, { limit: 2 }))).toEqual(['c', 'a'])
    const many = Array.from({ length: 150 }, (_, i) => at(new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), `m${i}`))
    expect(json(many).items).toHaveLength(100)
    expect(json(many, { limit: 0 }).items).toHaveLength(150)
    expect(json(many, { limit: Number.POSITIVE_INFINITY }).items).toHaveLength(150)
  })

  it('rejects bad options with ERR_PUBLISH_RENDER', () => {
    expect(() => json([], { limit: -1 })).toThrow(expect.objectContaining({ code: 'ERR_PUBLISH_RENDER' }))
    expect(() => renderFeed([], { format: 'rss', title: 't', link: '/relative' })).toThrow(
      expect.objectContaining({ code: 'ERR_PUBLISH_RENDER' }),
    )
    expect(() => renderFeed([], { format: 'xml' as 'rss', title: 't', link: 'https://a.vn/' })).toThrow(
      expect.objectContaining({ code: 'ERR_PUBLISH_RENDER' }),
    )
  })

  it('renders identical bytes for identical input (feed dates come from the stories, not the clock)', () => {
    expect(rss([seedStory()])).toBe(rss([seedStory()]))
    expect(atom([seedStory()])).toBe(atom([seedStory()]))
  })
})
