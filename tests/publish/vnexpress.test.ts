/**
 * A real VnExpress-shaped feed through parse → normalize → publish: the channel title is a section title
 * ("Tin mới nhất - VnExpress RSS"), items carry no byline, teasers hold a thumbnail, the enclosure's `length` is the
 * image width, and English e.vnexpress.net items sit in the Vietnamese feed.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { normalizeFeed } from '../../src/normalize/index.js'
import { parseFeed } from '../../src/parse/index.js'
import { renderFeed } from '../../src/publish/index.js'
import type { Article } from '../../src/types.js'
import { child, findAll, jsonFeedErrors, parseRss, parseXml } from './validate.js'

const FEED_URL = 'https://vnexpress.net/rss/tin-moi-nhat.rss'
const xml = readFileSync(join(import.meta.dirname, '../fixtures/publish/vnexpress-tin-moi-nhat.rss.xml'), 'utf8')
const options = { title: 'Tổng hợp', link: 'https://tonghop.example/', language: 'vi' }

async function articles(name?: string): Promise<Article[]> {
  const feed = await parseFeed(xml, { url: FEED_URL })
  const source = { id: 'vnexpress', url: FEED_URL, ...(name === undefined ? {} : { name }) }
  const result = normalizeFeed(feed, { source, now: () => new Date('2026-12-05T04:00:00Z') })
  expect(result.skipped).toEqual([])
  return result.articles
}

const english = (a: { url?: string; link?: string }) => (a.url ?? a.link ?? '').startsWith('https://e.vnexpress.net/')

describe('a VnExpress-shaped feed', () => {
  it('resolves every item to the outlet VnExpress, with no author, a language per item and no fake byte size', async () => {
    const list = await articles()
    expect(list).toHaveLength(4)
    for (const article of list) {
      expect(article.outlet).toEqual({ name: 'VnExpress', domain: 'vnexpress.net' })
      expect(article.site).toEqual({ name: 'VnExpress', domain: 'vnexpress.net' })
      expect(article.author).toBeUndefined()
      expect(article.language).toBe(english(article) ? 'en' : 'vi')
      expect(article.enclosures).toHaveLength(1)
      expect(article.enclosures[0]?.type).toBe('image/jpeg')
      expect(article.enclosures[0]?.length).toBeUndefined()
    }
    expect(list.filter(english)).toHaveLength(2)
  })

  it('names the outlet, not the section, whatever the source is called', async () => {
    for (const name of ['Tin mới nhất - VnExpress RSS', 'VnExpress - Thời sự', 'Thời sự']) {
      for (const article of await articles(name)) expect(article.outlet?.name).toBe('VnExpress')
    }
  })

  it('RSS: "Theo VnExpress", <source> VnExpress, no dc:creator, no length 1200 (rss-parser)', async () => {
    const out = renderFeed(await articles(), { ...options, format: 'rss' })
    const feed = await parseRss(out)
    expect(feed.items).toHaveLength(4)
    for (const item of feed.items) {
      expect(item['content:encoded']).toContain('<em>Theo VnExpress</em>')
      expect(item.source).toBe('VnExpress')
      expect(item['dc:creator']).toBeUndefined()
      expect(item.creator).toBeUndefined()
      expect(item.enclosure?.length).toBeUndefined()
    }
    expect(out).not.toContain('Tin mới nhất')
    expect(out).not.toMatch(/length="(?:1200|680)"/)
  })

  it('Atom: no entry author, the outlet as the source author, xml:lang="en" on the English entries', async () => {
    const tree = parseXml(renderFeed(await articles(), { ...options, format: 'atom' }))
    expect(tree.attributes['xml:lang']).toBe('vi')
    const entries = findAll(tree, 'entry')
    expect(entries).toHaveLength(4)
    for (const entry of entries) {
      const link = child(entry, 'link')?.attributes.href ?? ''
      expect(child(entry, 'author')).toBeUndefined()
      const source = child(entry, 'source')!
      expect(child(source, 'title')?.text).toBe('VnExpress')
      expect(child(child(source, 'author')!, 'name')?.text).toBe('VnExpress')
      expect(entry.attributes['xml:lang']).toBe(english({ link }) ? 'en' : undefined)
      expect(child(entry, 'content')?.text).toContain('Theo VnExpress')
      for (const l of entry.children.filter((c) => c.name === 'link' && c.attributes.rel === 'enclosure'))
        expect(l.attributes.length).toBeUndefined()
    }
  })

  it('JSON Feed: valid, no authors, `language` per item, no size_in_bytes', async () => {
    const feed = JSON.parse(renderFeed(await articles(), { ...options, format: 'json' }))
    expect(jsonFeedErrors(feed)).toEqual([])
    for (const item of feed.items) {
      expect(item.authors).toBeUndefined()
      expect(item.author).toBeUndefined()
      expect(item.language).toBe(english(item) ? 'en' : 'vi')
      expect(item._tonghop.creditLine).toBe('Theo VnExpress')
      expect(item._tonghop.outlet).toEqual({ name: 'VnExpress', domain: 'vnexpress.net' })
      for (const attachment of item.attachments ?? []) expect(attachment.size_in_bytes).toBeUndefined()
    }
  })

  it('HTML: the outlet in the meta line and the credit, never the section title', async () => {
    const page = renderFeed(await articles(), { ...options, format: 'html' })
    expect(page.match(/<span class="outlet">VnExpress<\/span>/g)).toHaveLength(4)
    expect(page.match(/<p class="credit">Theo VnExpress<\/p>/g)).toHaveLength(4)
    expect(page).not.toContain('Tin mới nhất')
  })

  it('a story stored by an older version (no outlet, the channel title as source title) publishes the same', async () => {
    const old = (await articles()).map(({ outlet: _o, site: _s, ...rest }) => ({
      ...rest,
      source: { ...rest.source, title: 'Tin mới nhất - VnExpress RSS' },
      enclosures: rest.enclosures.map((e) => ({ ...e, length: 1200 })),
    }))
    const feed = JSON.parse(renderFeed(old, { ...options, format: 'json' }))
    for (const item of feed.items) {
      expect(item._tonghop.creditLine).toBe('Theo VnExpress')
      expect(item.authors).toBeUndefined()
      for (const attachment of item.attachments ?? []) expect(attachment.size_in_bytes).toBeUndefined()
    }
  })
})
