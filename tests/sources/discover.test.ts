import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FetchError } from '../../src/errors.js'
import { discoverFeeds } from '../../src/sources/index.js'
import { serve, startServer, type TestServer } from '../helpers/server.js'

const portal = readFileSync(join(import.meta.dirname, '../fixtures/sources/portal.html'), 'utf8')
const RSS =
  '<?xml version="1.0"?><!-- generated --><rss version="2.0"><channel><title><![CDATA[Tin mới]]></title></channel></rss>'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const html = (body: string) => serve(body, { 'content-type': 'text/html; charset=utf-8' })
const opts = () => ({ allowHosts: [server.host], timeout: 2_000 })

describe('discoverFeeds', () => {
  it('finds <link rel="alternate"> feeds and .rss anchors on a page, resolved against <base>', async () => {
    server.route('/vi/trang-chu', html(portal))
    const before = server.requests.length
    const feeds = await discoverFeeds(`${server.origin}/vi/trang-chu`, opts())
    expect(feeds).toEqual([
      { url: `${server.origin}/vi/rss/thoi-su.rss`, type: 'application/rss+xml', title: 'Thời sự', via: 'link' },
      { url: 'https://baothaibinh.test/atom.xml', type: 'application/atom+xml', title: 'Tin mới & nóng', via: 'link' },
      { url: `${server.origin}/feed.json`, type: 'application/feed+json', title: 'JSON', via: 'link' },
      { url: `${server.origin}/rss/kinh-te.rss`, type: 'application/rss+xml', title: 'Kinh tế', via: 'link' },
    ])
    expect(server.requests.length - before).toBe(1) // links found: no probing
    expect(server.requests.at(-1)!.headers.accept).toMatch(/^text\/html/)
  })

  it('probes common paths when the page names no feed', async () => {
    server.route('/bare', html('<html><head><title>Sở Văn hóa</title></head><body>Xin chào</body></html>'))
    server.route('/rss/home.rss', serve(RSS))
    server.route('/feed', html('<html>not a feed</html>'))
    const feeds = await discoverFeeds(`${server.origin}/bare`, opts())
    expect(feeds).toEqual([
      { url: `${server.origin}/rss/home.rss`, type: 'application/rss+xml', title: 'Tin mới', via: 'probe' },
    ])
  })

  it('reports a URL that is itself a feed', async () => {
    server.route('/already.rss', serve(RSS))
    expect(await discoverFeeds(`${server.origin}/already.rss`, opts())).toEqual([
      { url: `${server.origin}/already.rss`, type: 'application/rss+xml', title: 'Tin mới', via: 'self' },
    ])
  })

  it('probes through the SSRF guard and throws the page error', async () => {
    const error = await discoverFeeds(`${server.origin}/vi/trang-chu`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FetchError)
    expect((error as FetchError).code).toBe('ERR_FETCH_BLOCKED_ADDRESS')
    const missing = await discoverFeeds(`${server.origin}/no-such-page`, opts()).catch((e: unknown) => e)
    expect((missing as FetchError).code).toBe('ERR_FETCH_HTTP_STATUS')
  })

  it('finds nothing on a page without feeds when probing is off', async () => {
    server.route('/plain', html('<p>Không có RSS</p>'))
    expect(await discoverFeeds(`${server.origin}/plain`, { ...opts(), probe: 'never' })).toEqual([])
  })
})
