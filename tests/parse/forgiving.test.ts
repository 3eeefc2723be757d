import { describe, expect, it } from 'vitest'
import { parseFeed } from '../../src/parse/index.js'
import { fixture } from '../helpers/parse-fixtures.js'

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
