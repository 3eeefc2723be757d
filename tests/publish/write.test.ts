import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type RenderOptions, writeFeed } from '../../src/publish/index.js'
import type { Story } from '../../src/types.js'
import { tempDir } from '../helpers/tmp.js'
import { makeArticle, makeStory, seedStory } from './fixtures.js'
import { parseRss, parseXml } from './validate.js'

const options = (path: string, extra: Partial<RenderOptions> = {}) => ({
  path,
  format: 'rss' as const,
  title: 'Tổng hợp',
  link: 'https://tonghop.example/',
  ...extra,
})

const isRoot = process.getuid?.() === 0

describe('writeFeed', () => {
  it('writes the feed and reports items and bytes', async () => {
    const dir = tempDir()
    const path = join(dir, 'merged.xml')
    const result = await writeFeed([seedStory(), makeStory(makeArticle())], options(path))
    expect(result).toEqual({ path, written: true, items: 2, bytes: statSync(path).size })
    const feed = await parseRss(readFileSync(path, 'utf8'))
    expect(feed.items.map((i) => i.title)).toContain('Họp Ban Hội nhập kinh tế quốc tế tỉnh')
    expect(readdirSync(dir)).toEqual(['merged.xml'])
  })

  it('does not rewrite an unchanged output: the old file and its mtime are kept, no temp file left', async () => {
    const dir = tempDir()
    const path = join(dir, 'merged.json')
    const stories = [seedStory()]
    expect((await writeFeed(stories, options(path, { format: 'json' }))).written).toBe(true)
    const old = new Date('2020-01-01T00:00:00Z')
    utimesSync(path, old, old)
    const again = await writeFeed(stories, options(path, { format: 'json' }))
    expect(again.written).toBe(false)
    expect(again.items).toBe(1)
    expect(statSync(path).mtime.toISOString()).toBe(old.toISOString())
    expect(readdirSync(dir)).toEqual(['merged.json'])
    // a changed input is written
    const changed = await writeFeed([...stories, makeStory(makeArticle())], options(path, { format: 'json' }))
    expect(changed.written).toBe(true)
    expect(statSync(path).mtime.getTime()).toBeGreaterThan(old.getTime())
  })

  it("keeps the previous file's permissions when replacing it", async () => {
    const dir = tempDir()
    const path = join(dir, 'merged.xml')
    writeFileSync(path, 'old')
    chmodSync(path, 0o640)
    await writeFeed([seedStory()], options(path))
    expect(statSync(path).mode & 0o777).toBe(0o640)
  })

  it('fails with ERR_PUBLISH_WRITE in an unwritable directory and leaves the old file untouched', async (ctx) => {
    const dir = join(tempDir(), 'ro')
    mkdirSync(dir)
    const path = join(dir, 'merged.xml')
    writeFileSync(path, 'old content')
    // root ignores permission bits: make the directory immutable instead (needs chattr and a file system with it)
    const lock = () => (isRoot ? execFileSync('chattr', ['+i', dir], { stdio: 'ignore' }) : chmodSync(dir, 0o555))
    const unlock = () => (isRoot ? execFileSync('chattr', ['-i', dir], { stdio: 'ignore' }) : chmodSync(dir, 0o755))
    try {
      lock()
    } catch {
      ctx.skip('cannot make a directory unwritable here (running as root without chattr support)')
    }
    try {
      await expect(writeFeed([seedStory()], options(path))).rejects.toMatchObject({
        name: 'PublishError',
        code: 'ERR_PUBLISH_WRITE',
      })
      expect(readFileSync(path, 'utf8')).toBe('old content')
      expect(readdirSync(dir)).toEqual(['merged.xml'])
    } finally {
      unlock()
    }
  })

  it('fails with ERR_PUBLISH_WRITE when the directory does not exist (or is a file)', async () => {
    const dir = tempDir()
    const blocker = join(dir, 'not-a-dir')
    writeFileSync(blocker, 'x')
    await expect(writeFeed([seedStory()], options(join(blocker, 'merged.xml')))).rejects.toMatchObject({
      code: 'ERR_PUBLISH_WRITE',
    })
    await expect(writeFeed([seedStory()], options(join(dir, 'missing', 'merged.xml')))).rejects.toMatchObject({
      code: 'ERR_PUBLISH_WRITE',
    })
    expect(readdirSync(dir)).toEqual(['not-a-dir'])
  })

  it('cleans up the temp file when the final rename fails (the target is a directory)', async () => {
    const dir = tempDir()
    const path = join(dir, 'merged.xml')
    mkdirSync(path)
    writeFileSync(join(path, 'keep'), 'x')
    await expect(writeFeed([seedStory()], options(path))).rejects.toMatchObject({ code: 'ERR_PUBLISH_WRITE' })
    expect(readdirSync(dir)).toEqual(['merged.xml'])
    expect(readdirSync(path)).toEqual(['keep'])
  })

  it('leaves the old file untouched and removes the temp file when the input throws mid-stream', async () => {
    const dir = tempDir()
    const path = join(dir, 'merged.atom')
    writeFileSync(path, 'old feed')
    async function* failing(): AsyncGenerator<Story> {
      for (let i = 0; i < 3000; i++) {
        yield makeStory(makeArticle({ published: new Date(Date.UTC(2026, 0, 1) - i * 60_000) }))
      }
      throw new Error('store went away')
    }
    const error = await writeFeed(failing(), options(path, { format: 'atom', limit: 0, presorted: true })).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code: 'ERR_PUBLISH_WRITE' })
    expect((error as Error).cause).toMatchObject({ message: 'store went away' })
    expect(readFileSync(path, 'utf8')).toBe('old feed')
    expect(readdirSync(dir)).toEqual(['merged.atom'])
  })

  it('rejects presorted input that is not newest first, leaving the old file', async () => {
    const dir = tempDir()
    const path = join(dir, 'merged.xml')
    writeFileSync(path, 'old feed')
    const older = makeStory(makeArticle({ published: new Date('2026-01-01T00:00:00Z') }))
    const newer = makeStory(makeArticle({ published: new Date('2026-01-02T00:00:00Z') }))
    const error = await writeFeed([older, newer], options(path, { presorted: true })).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_PUBLISH_WRITE', cause: { code: 'ERR_PUBLISH_RENDER' } })
    expect(readFileSync(path, 'utf8')).toBe('old feed')
    expect(readdirSync(dir)).toEqual(['merged.xml'])
  })

  it('sorts and limits an unsorted async iterable', async () => {
    const path = join(tempDir(), 'merged.xml')
    async function* stories(): AsyncGenerator<Story> {
      for (let i = 0; i < 500; i++) {
        yield makeStory(
          makeArticle({ id: `https://a.vn/${i}`, published: new Date(Date.UTC(2026, 0, 1, 0, (i * 37) % 500)) }),
        )
      }
    }
    const result = await writeFeed(stories(), options(path, { limit: 5, format: 'json' }))
    expect(result.items).toBe(5)
    const feed = JSON.parse(readFileSync(path, 'utf8'))
    const dates = feed.items.map((i: { date_published: string }) => i.date_published)
    expect(dates).toEqual([...dates].sort().reverse())
    expect(dates[0]).toBe(new Date(Date.UTC(2026, 0, 1, 0, 499)).toISOString())
  })

  it("streams 100k stories whose output exceeds V8's maximum string length (no RangeError)", {
    timeout: 240_000,
  }, async () => {
    const dir = tempDir()
    const body = `<p>${'Nội dung bài viết dài. '.repeat(300)}</p>` // ~7 KB: 100k of these exceed V8's string limit
    function* stories(): Generator<Story> {
      for (let i = 0; i < 100_000; i++) {
        yield makeStory(
          makeArticle({
            id: `https://a.vn/${i}`,
            url: `https://a.vn/${i}`,
            title: `Tin ${i}`,
            contentHtml: body,
            text: [],
            published: new Date(Date.UTC(2026, 0, 1) - i * 1000),
          }),
        )
      }
    }
    const path = join(dir, 'big.xml')
    const result = await writeFeed(stories(), options(path, { limit: 0, presorted: true }))
    expect(result.items).toBe(100_000)
    expect(result.bytes).toBeGreaterThan(2 ** 29) // more than V8's maximum string length (~2^29 chars)
    expect(statSync(path).size).toBe(result.bytes)
    // the tail made it to disk: the document is closed
    const fd = readFileSync(path).subarray(-64).toString('utf8')
    expect(fd).toMatch(/<\/channel>\s*<\/rss>\s*$/)
  })

  it('writes a well-formed file for a small feed in every format', async () => {
    const dir = tempDir()
    for (const format of ['rss', 'atom', 'json', 'html'] as const) {
      const path = join(dir, `out.${format}`)
      const result = await writeFeed([seedStory()], options(path, { format }))
      const text = readFileSync(path, 'utf8')
      expect(Buffer.byteLength(text)).toBe(result.bytes)
      if (format === 'json') expect(JSON.parse(text).items).toHaveLength(1)
      else if (format !== 'html') parseXml(text)
      else expect(text).toContain('Theo Báo Thái Bình')
    }
  })
})
