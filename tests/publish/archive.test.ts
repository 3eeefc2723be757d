import { readdirSync, readFileSync, statSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFeed } from '../../src/publish/index.js'
import type { Story } from '../../src/types.js'
import { tempDir } from '../helpers/tmp.js'
import { makeArticle, makeStory } from './fixtures.js'
import { child, findAll, hasJing, jingErrors, jsonFeedErrors, parseXml } from './validate.js'

const FH = 'http://purl.org/syndication/history/1.0'

function stories(n: number): Story[] {
  return Array.from({ length: n }, (_, i) =>
    makeStory(
      makeArticle({
        id: `https://a.vn/${i}`,
        url: `https://a.vn/${i}`,
        title: `Tin ${i}`,
        contentHtml: `<p>Tin ${i}</p>`,
        published: new Date(Date.UTC(2026, 0, 1, 0, i)),
      }),
    ),
  )
}

const links = (node: ReturnType<typeof parseXml>, name = 'link') =>
  Object.fromEntries(node.children.filter((c) => c.name === name).map((l) => [l.attributes.rel, l.attributes.href]))

describe('RFC 5005 archives', () => {
  it('writes older stories to linked archive pages, page 1 the oldest', async () => {
    const dir = tempDir()
    const path = join(dir, 'merged.atom')
    const result = await writeFeed(stories(12), {
      path,
      format: 'atom',
      title: 'T',
      link: 'https://t.example/',
      feedUrl: 'https://t.example/feeds/merged.atom',
      limit: 5,
      archive: { pageSize: 3 },
    })
    expect(result.items).toBe(5)
    expect(result.archives?.map((a) => [a.path.split('/').pop(), a.items])).toEqual([
      ['merged-archive-1.atom', 3],
      ['merged-archive-2.atom', 3],
      ['merged-archive-3.atom', 1],
    ])
    expect(readdirSync(dir).sort()).toEqual([
      'merged-archive-1.atom',
      'merged-archive-2.atom',
      'merged-archive-3.atom',
      'merged.atom',
    ])

    const main = parseXml(readFileSync(path, 'utf8'))
    expect(links(main)['prev-archive']).toBe('https://t.example/feeds/merged-archive-3.atom')
    expect(findAll(main, 'entry').map((e) => child(e, 'title')!.text)).toEqual([
      'Tin 11',
      'Tin 10',
      'Tin 9',
      'Tin 8',
      'Tin 7',
    ])

    const page2 = parseXml(readFileSync(join(dir, 'merged-archive-2.atom'), 'utf8'))
    expect(links(page2)).toMatchObject({
      current: 'https://t.example/feeds/merged.atom',
      'prev-archive': 'https://t.example/feeds/merged-archive-1.atom',
      'next-archive': 'https://t.example/feeds/merged-archive-3.atom',
      self: 'https://t.example/feeds/merged-archive-2.atom',
    })
    const marker = page2.children.find((c) => c.name === 'fh:archive')
    expect(marker).toBeDefined()
    // pages fill from the oldest, so full pages never change as new stories arrive
    expect(findAll(page2, 'entry').map((e) => child(e, 'title')!.text)).toEqual(['Tin 5', 'Tin 4', 'Tin 3'])
    const page1 = parseXml(readFileSync(join(dir, 'merged-archive-1.atom'), 'utf8'))
    expect(links(page1)['prev-archive']).toBeUndefined()
    expect(findAll(page1, 'entry').map((e) => child(e, 'title')!.text)).toEqual(['Tin 2', 'Tin 1', 'Tin 0'])
    const page3 = parseXml(readFileSync(join(dir, 'merged-archive-3.atom'), 'utf8'))
    expect(findAll(page3, 'entry').map((e) => child(e, 'title')!.text)).toEqual(['Tin 6'])
    expect(links(page3)['next-archive']).toBeUndefined()
    if (hasJing) {
      expect(jingErrors(readFileSync(path, 'utf8'))).toEqual([])
      expect(jingErrors(readFileSync(join(dir, 'merged-archive-2.atom'), 'utf8'))).toEqual([])
    }
    expect(readFileSync(join(dir, 'merged-archive-2.atom'), 'utf8')).toContain(`<fh:archive xmlns:fh="${FH}"/>`)
  })

  it('keeps unchanged pages (mtime) and removes pages that no longer exist', async () => {
    const dir = tempDir()
    const path = join(dir, 'merged.xml')
    const opts = {
      path,
      format: 'rss' as const,
      title: 'T',
      link: 'https://t.example/',
      limit: 2,
      archive: { pageSize: 2 },
    }
    await writeFeed(stories(8), opts)
    expect(readdirSync(dir).sort()).toEqual([
      'merged-archive-1.xml',
      'merged-archive-2.xml',
      'merged-archive-3.xml',
      'merged.xml',
    ])
    const old = new Date('2020-01-01T00:00:00Z')
    utimesSync(join(dir, 'merged-archive-1.xml'), old, old)
    // two new stories: a new page 4 appears, full pages 1 and 2 do not change (page 3 gains a next-archive link)
    const more = await writeFeed(stories(10), opts)
    expect(more.archives?.map((a) => a.written)).toEqual([false, false, true, true])
    expect(statSync(join(dir, 'merged-archive-1.xml')).mtime.toISOString()).toBe(old.toISOString())
    const rss = parseXml(readFileSync(path, 'utf8'))
    expect(links(child(rss, 'channel')!, 'atom:link')['prev-archive']).toBe('merged-archive-4.xml')
    // pruned down to 3 stories: one page left, the rest removed
    await writeFeed(stories(3), opts)
    expect(readdirSync(dir).sort()).toEqual(['merged-archive-1.xml', 'merged.xml'])
  })

  it('links JSON Feed pages with next_url and stays schema-valid', async () => {
    const dir = tempDir()
    const path = join(dir, 'merged.json')
    const base = {
      path,
      format: 'json' as const,
      title: 'T',
      link: 'https://t.example/',
      limit: 2,
      archive: { pageSize: 2 },
    }
    // next_url must be a URL: without feedUrl there is none
    await writeFeed(stories(5), base)
    expect(JSON.parse(readFileSync(path, 'utf8')).next_url).toBeUndefined()
    await writeFeed(stories(5), { ...base, feedUrl: 'https://t.example/merged.json' })
    const main = JSON.parse(readFileSync(path, 'utf8'))
    expect(main.next_url).toBe('https://t.example/merged-archive-2.json')
    expect(jsonFeedErrors(main)).toEqual([])
    const page2 = JSON.parse(readFileSync(join(dir, 'merged-archive-2.json'), 'utf8'))
    expect(page2.next_url).toBe('https://t.example/merged-archive-1.json')
    expect(jsonFeedErrors(page2)).toEqual([])
  })

  it('links HTML river pages with <link> and a visible pager', async () => {
    const dir = tempDir()
    const path = join(dir, 'index.html')
    await writeFeed(stories(5), {
      path,
      format: 'html',
      title: 'T',
      link: 'https://t.example/',
      limit: 2,
      archive: { pageSize: 2 },
    })
    const main = readFileSync(path, 'utf8')
    expect(main).toContain('<link rel="prev-archive" href="index-archive-2.html">')
    expect(main).toContain('<a rel="prev-archive" href="index-archive-2.html">Tin cũ hơn →</a>')
    const page1 = readFileSync(join(dir, 'index-archive-1.html'), 'utf8')
    expect(page1).toContain('<a rel="next-archive" href="index-archive-2.html">← Tin mới hơn</a>')
    expect(page1).toContain('<a rel="current" href="index.html">Tin mới nhất</a>')
    expect(page1).not.toContain('rel="prev-archive"')
  })

  it('rejects archives without a finite limit or with a bad page size', async () => {
    const path = join(tempDir(), 'merged.xml')
    const base = { path, format: 'rss' as const, title: 'T', link: 'https://t.example/' }
    await expect(writeFeed(stories(3), { ...base, limit: 0, archive: { pageSize: 2 } })).rejects.toMatchObject({
      code: 'ERR_PUBLISH_RENDER',
    })
    await expect(writeFeed(stories(3), { ...base, archive: { pageSize: 0 } })).rejects.toMatchObject({
      code: 'ERR_PUBLISH_RENDER',
    })
  })
})
