import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RenderOptions, renderFeed } from '../../src/publish/index.js'
import type { Story } from '../../src/types.js'
import { CHROMIUM, chromium, hasChromium } from '../helpers/chromium.js'
import { startServer, type TestServer } from '../helpers/server.js'
import { tempDir } from '../helpers/tmp.js'
import { makeArticle, makeStory, SEED_CAPTION, seedStory } from './fixtures.js'
import { hostileStories } from './hostile.js'
import { makePng } from './png.js'

const options: RenderOptions = {
  format: 'html',
  title: 'Tin tổng hợp Thái Bình',
  link: 'https://tonghop.example/',
  description: 'Tin tức từ các báo và cổng thông tin địa phương, ghi rõ nguồn',
  language: 'vi',
  alternates: [
    { format: 'rss', href: 'merged.xml' },
    { format: 'atom', href: 'merged.atom' },
    { format: 'json', href: 'https://tonghop.example/merged.json' },
  ],
}

describe('HTML river page', () => {
  it('is static, script-free, with the CSP, alternates and the seed story credited', () => {
    const html = renderFeed([seedStory()], options)
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'">`,
    )
    expect(html).toContain('<link rel="alternate" type="application/rss+xml"')
    expect(html).toContain('href="merged.atom"')
    expect(html).toContain('type="application/feed+json"')
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('Họp Ban Hội nhập kinh tế quốc tế tỉnh')
    expect(html).toContain('<p class="credit">Theo Báo Thái Bình</p>')
    expect(html).toContain('<span class="photo-credit">Ảnh: Thu Thủy</span>')
    expect(html).toContain(SEED_CAPTION)
    expect(html).toMatch(
      /Cũng đăng trên: <a href="https:\/\/thaibinhtv\.vn\/[^"]+">Đài Phát thanh và Truyền hình Thái Bình<\/a>/,
    )
    // 2017-03-10T00:00Z is 07:00 in Vietnam
    expect(html).toContain('<time datetime="2017-03-10T00:00:00.000Z">10/03/2017 07:00</time>')
  })

  it('escapes every hostile value and creates no markup from text', () => {
    const html = renderFeed(hostileStories(), options)
    expect(html).not.toMatch(/<script|<iframe|javascript:|data:text/i)
    expect(html).toContain('Hai ]]&gt; lần ]]&gt;&lt;script&gt;alert(1)&lt;/script&gt; và NUL &lt;b&gt;đậm&lt;/b&gt;')
    expect(html).toContain('<li>a&lt;b</li>')
    expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/)
  })

  it('drops alternates that are not http(s) or plain relative paths', () => {
    const html = renderFeed([], { ...options, alternates: [{ format: 'rss', href: 'javascript:alert(1)' }] })
    expect(html).not.toContain('javascript:')
    expect(html).toContain('Chưa có tin nào.')
  })
})

describe.skipIf(!hasChromium)('HTML river page in headless Chromium', () => {
  let server: TestServer
  let dir: string
  let page: string
  beforeAll(async () => {
    const png = makePng(960, 540)
    server = await startServer({
      '/anh/hop-ban-hoi-nhap.png': (_req, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end(png),
    })
    dir = tempDir('tonghop-chromium-')
    const image = `${server.origin}/anh/hop-ban-hoi-nhap.png`
    const stories: Story[] = [
      seedStory(image),
      makeStory(
        makeArticle({
          title: 'Nông dân Vũ Thư thu hoạch lúa xuân sớm',
          summary: 'Những ngày này, bà con nông dân huyện Vũ Thư tranh thủ nắng ráo để thu hoạch lúa xuân.',
          published: new Date('2017-03-09T09:30:00Z'),
          categories: ['Nông nghiệp'],
          author: 'Minh Hà',
          credit: { text: 'Theo Báo Thái Bình', name: 'Báo Thái Bình' },
        }),
      ),
      makeStory(
        makeArticle({
          title: 'Khánh thành cầu Tân Đệ mới',
          summary: 'Cầu nối Thái Bình với Nam Định chính thức thông xe, rút ngắn thời gian đi lại.',
          published: new Date('2017-03-09T02:00:00Z'),
          images: [{ url: image, caption: 'Cầu Tân Đệ nhìn từ trên cao', credit: 'Quang Huy' }],
        }),
      ),
    ]
    page = join(dir, 'index.html')
    writeFileSync(page, renderFeed(stories, options))
  })
  afterAll(() => server?.close())

  // a fresh profile per call; scrollbars hidden so the screenshots show the page only
  const open = (args: string[]) =>
    chromium(page, join(dir, `profile-${Math.random().toString(36).slice(2)}`), ['--hide-scrollbars', ...args])

  it('shows the seed story, its caption and its credit in the rendered DOM, and saves screenshots', {
    timeout: 120_000,
  }, async () => {
    const dom = await open(['--dump-dom', '--virtual-time-budget=5000'])
    expect(dom).toContain('Họp Ban Hội nhập kinh tế quốc tế tỉnh')
    expect(dom).toContain(SEED_CAPTION)
    expect(dom).toContain('Ảnh: Thu Thủy')
    expect(dom).toContain('Theo Báo Thái Bình')
    expect(dom).toContain('Cũng đăng trên')
    expect(dom).not.toMatch(/<script/i)

    const shots = join(tmpdir(), 'tonghop-publish-screenshots')
    mkdirSync(shots, { recursive: true })
    for (const [name, size] of [
      ['desktop', '1200,1600'],
      ['phone', '390,1400'],
    ] as const) {
      const png = join(shots, `river-${name}.png`)
      await open([`--screenshot=${png}`, `--window-size=${size}`, '--virtual-time-budget=5000'])
      expect(existsSync(png)).toBe(true)
      console.info(`HTML river screenshot (${name}): ${png}`)
    }
    // the image was fetched from the page (CSP allows http: images)
    expect(server.requests.some((r) => r.url === '/anh/hop-ban-hoi-nhap.png')).toBe(true)
  })
})

it.runIf(!hasChromium)('HTML river page in headless Chromium: skipped, /usr/bin/chromium is not installed', () => {
  expect(spawnSync(CHROMIUM).error).toBeDefined()
})
