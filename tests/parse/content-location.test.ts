import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchFeed } from '../../src/fetch/index.js'
import { parseFeed } from '../../src/parse/index.js'
import { fixture, fixtureText } from '../helpers/parse-fixtures.js'
import { serve, startServer, type TestServer } from '../helpers/server.js'

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
