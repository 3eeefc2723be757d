import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXTRACT_RULES, type ExtractResult, extractArticle } from '../../src/extract/index.js'
import { blocksOf, FIXTURES, fixtures } from '../helpers/extract-fixtures.js'

const hostile = (name: string) => readFileSync(join(FIXTURES, 'hostile', `${name}.html`), 'utf8')
const UNSAFE = /<script|<style|<iframe|<form|<object|<embed|<svg|\son\w+\s*=|javascript:|data:text/i

function failure(result: ExtractResult) {
  if (result.ok) throw new Error(`expected a failure, got ${result.method}: ${result.html.slice(0, 200)}`)
  return result
}

function success(result: ExtractResult) {
  if (!result.ok) throw new Error(`expected an article, got ${result.code}: ${result.message}`)
  return result
}

const PARAGRAPH =
  'Sáng 7/12, UBND tỉnh tổ chức lễ khởi công cầu Hưng Hà bắc qua sông Luộc, công trình có tổng mức đầu tư hơn 1.200 tỷ đồng và dài 1,2 km.'

function articlePage(body: string, head = ''): string {
  return `<!DOCTYPE html><html><head><title>Khởi công cầu Hưng Hà</title>${head}</head><body><nav><a href="/">Trang chủ</a></nav><article class="news">${body}</article><footer>Giấy phép số 123</footer></body></html>`
}

describe('extractArticle: rules', () => {
  it('tries config rules before the shipped ones', () => {
    const html = readFileSync(join(FIXTURES, 'vnexpress.html'), 'utf8')
    const url = 'https://vnexpress.net/mua-lon-4823456.html'
    const result = success(
      extractArticle(html, { url, rules: [{ host: 'vnexpress.net', body: '.sidebar-1', title: 'h1' }] }),
    )
    expect(result.method).toBe('rule')
    expect(result.html).toContain('Trận mưa kéo dài')
    // The config rule has no lead selector: the description is body text, not a lead.
    expect(result.lead).toBeUndefined()
    const shipped = success(extractArticle(html, { url }))
    expect(shipped.lead).toContain('Trận mưa kéo dài')
  })

  it('matches a rule on subdomains of its host', () => {
    const html = readFileSync(join(FIXTURES, 'vnexpress.html'), 'utf8')
    const result = success(extractArticle(html, { url: 'https://e.vnexpress.net/news/x-4823456.html' }))
    expect(result.rule).toBe('vnexpress.net')
    // not by host: notvnexpress.net is not a subdomain (its page is still recognised by its markup)
    const other = success(extractArticle(html, { url: 'https://notvnexpress.net/x-4823456.html' }))
    expect(other.rule).toBe('layout:vnexpress')
  })

  it('ignores a rule with a selector it cannot read, or a body that is not there', () => {
    const html = readFileSync(join(FIXTURES, 'dantri.html'), 'utf8')
    const url = 'https://dantri.com.vn/suc-khoe/x-20261207080000123.htm'
    const rules = [
      { host: 'dantri.com.vn', body: 'div[[[' },
      { host: 'dantri.com.vn', body: '.no-such-body' },
      null,
      { body: '.singular-content' },
    ] as never
    const result = success(extractArticle(html, { url, rules }))
    expect(result.rule).toBe('dantri.com.vn')
    expect(result.lead).toMatch(/^\(Dân trí\) - /)
  })

  it('ships rules for every CMS the fixtures cover', () => {
    const hosts = EXTRACT_RULES.map((r) => r.host)
    for (const f of fixtures().filter((x) => x.expected.rule !== undefined)) expect(hosts).toContain(f.expected.rule)
    expect(Object.isFrozen(EXTRACT_RULES)).toBe(true)
  })

  it('keeps the lead once when the body repeats it', () => {
    const lead = 'Vụ lúa thu đông năm nay đạt năng suất cao, giá bán tốt hơn cùng kỳ.'
    const html = `<html><body><h1 class="news-title">Lúa</h1><div class="news-sapo">${lead}</div><div class="news-content"><p>${lead}</p><p>${PARAGRAPH}</p></div></body></html>`
    const result = success(extractArticle(html, { url: 'https://baocantho.com.vn/lua-a1.html' }))
    expect(result.html.split(lead).length - 1).toBe(1)
    expect(blocksOf(result.html).paragraphs).toEqual([lead, PARAGRAPH])
  })
})

describe('extractArticle: structured data', () => {
  it('reads author arrays, @graph and publisher, and makes the image absolute', () => {
    const ld = JSON.stringify({
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebPage', name: 'x' },
        {
          '@type': ['NewsArticle'],
          headline: 'Khởi công cầu Hưng Hà',
          datePublished: '2026-12-07T08:00:00+07:00',
          author: [{ '@type': 'Person', name: 'Thu Thủy' }, 'Minh Hằng'],
          publisher: { '@type': 'Organization', name: 'Báo Thái Bình' },
          image: [{ '@type': 'ImageObject', url: '/anh/cau.jpg' }],
        },
      ],
    })
    const html = articlePage(
      `<h1>Khởi công cầu Hưng Hà</h1>${`<p>${PARAGRAPH}</p>`.repeat(4)}`,
      `<script type="application/ld+json">${ld}</script><link rel="canonical" href="/tin/cau-hung-ha.html">`,
    )
    const result = success(extractArticle(html, { url: 'https://baohungyen.vn/tin/cau-hung-ha.html?utm=x' }))
    expect(result.byline).toBe('Thu Thủy, Minh Hằng')
    expect(result.publisher).toBe('Báo Thái Bình')
    expect(result.published).toBe('2026-12-07T08:00:00+07:00')
    expect(result.image).toBe('https://baohungyen.vn/anh/cau.jpg')
    expect(result.canonical).toBe('https://baohungyen.vn/tin/cau-hung-ha.html')
  })

  it('survives broken JSON-LD and falls back to meta tags', () => {
    const html = articlePage(
      `${`<p>${PARAGRAPH}</p>`.repeat(4)}`,
      '<script type="application/ld+json">{"@type":"NewsArticle", "headline": </script>' +
        '<meta property="article:published_time" content="2026-12-07T01:00:00Z"><meta name="author" content="Thu Thủy">' +
        '<meta property="og:site_name" content="Báo Hưng Yên"><meta property="og:image" content="https://x.vn/a.jpg">',
    )
    const result = success(extractArticle(html, { url: 'https://baohungyen.vn/tin/1.html' }))
    expect(result.published).toBe('2026-12-07T01:00:00Z')
    expect(result.byline).toBe('Thu Thủy')
    expect(result.publisher).toBe('Báo Hưng Yên')
    expect(result.image).toBe('https://x.vn/a.jpg')
  })
})

describe('extractArticle: pages that are not an article', () => {
  it('refuses the site root', () => {
    const html = articlePage(`<p>${PARAGRAPH}</p>`.repeat(5))
    for (const url of ['https://baothaibinh.com.vn/', 'https://baothaibinh.com.vn']) {
      expect(failure(extractArticle(html, { url })).code).toBe('ERR_EXTRACT_HOME_PAGE')
    }
  })

  it('refuses a page whose canonical URL is the site root', () => {
    const html = articlePage(
      `<p>${PARAGRAPH}</p>`.repeat(5),
      '<link rel="canonical" href="https://baothaibinh.com.vn/">',
    )
    const result = extractArticle(html, { url: 'https://baothaibinh.com.vn/thoi-su' })
    expect(failure(result).code).toBe('ERR_EXTRACT_HOME_PAGE')
  })

  it('finds no article on a script-only page or a list of links', () => {
    const url = 'https://baothaibinh.com.vn/thoi-su/trang-2'
    expect(failure(extractArticle(hostile('script-only'), { url })).code).toBe('ERR_EXTRACT_NO_ARTICLE')
    expect(failure(extractArticle(hostile('no-article'), { url })).code).toBe('ERR_EXTRACT_NO_ARTICLE')
    expect(failure(extractArticle('', { url })).code).toBe('ERR_EXTRACT_NO_ARTICLE')
  })

  it('recognises login walls and password forms', () => {
    const url = 'https://baodautu.vn/phan-tich-thi-truong-bat-dong-san-d123.html'
    expect(failure(extractArticle(hostile('login-wall'), { url })).code).toBe('ERR_EXTRACT_LOGIN_WALL')
    expect(failure(extractArticle(hostile('password-wall'), { url })).code).toBe('ERR_EXTRACT_LOGIN_WALL')
  })

  it('recognises a consent wall, but not a cookie banner beside an article', () => {
    const url = 'https://baodautu.vn/phan-tich-d123.html'
    expect(failure(extractArticle(hostile('consent'), { url })).code).toBe('ERR_EXTRACT_CONSENT')
    const banner =
      '<div class="cookie-banner">Chúng tôi sử dụng cookie để cải thiện trải nghiệm. <button>Chấp nhận tất cả cookie</button></div>'
    const withBanner = readFileSync(join(FIXTURES, 'generic-longan.html'), 'utf8').replace('<body>', `<body>${banner}`)
    const result = success(extractArticle(withBanner, { url: 'https://baolongan.vn/gia-vang-a201234.html' }))
    expect(result.html).not.toContain('cookie')
  })

  it('fails too short when the page has less text than the teaser', () => {
    const html = articlePage(`<p>${PARAGRAPH}</p>`.repeat(3))
    const url = 'https://baohungyen.vn/tin/1.html'
    expect(success(extractArticle(html, { url })).textLength).toBeGreaterThan(PARAGRAPH.length * 2)
    const teaser = `${PARAGRAPH} `.repeat(5)
    expect(failure(extractArticle(html, { url, teaser })).code).toBe('ERR_EXTRACT_TOO_SHORT')
  })

  it('never throws for bad input', () => {
    const url = 'https://baohungyen.vn/tin/1.html'
    expect(failure(extractArticle(undefined as never, { url })).code).toBe('ERR_EXTRACT_NO_ARTICLE')
    expect(failure(extractArticle('<p>x</p>', { url: 'not a url' })).code).toBe('ERR_EXTRACT_NO_ARTICLE')
    expect(failure(extractArticle('<p>x</p>', undefined as never)).code).toBe('ERR_EXTRACT_NO_ARTICLE')
    expect(failure(extractArticle('<<<>>><\u0000\uffff</p></div></table>', { url })).code).toBe(
      'ERR_EXTRACT_NO_ARTICLE',
    )
  })
})

describe('extractArticle: hostile pages', () => {
  it('refuses a page over 5 MiB before parsing', () => {
    const html = articlePage(`<p>${PARAGRAPH}</p>`.repeat(40_000))
    expect(html.length).toBeGreaterThan(5 * 1024 * 1024)
    expect(failure(extractArticle(html, { url: 'https://baohungyen.vn/tin/1.html' })).code).toBe(
      'ERR_EXTRACT_TOO_LARGE',
    )
    // Multi-byte text counts in bytes: 2 million "đ" are 4 MB of UTF-8.
    const wide = articlePage(`<p>${'đ'.repeat(3_000_000)}</p>`)
    expect(wide.length).toBeLessThan(5 * 1024 * 1024)
    expect(failure(extractArticle(wide, { url: 'https://baohungyen.vn/tin/1.html' })).code).toBe(
      'ERR_EXTRACT_TOO_LARGE',
    )
  })

  it('extracts the article from a 4 MB page of boilerplate', () => {
    const f = fixtures().find((x) => x.name === 'baothaibinh')
    if (f === undefined) throw new Error('fixture missing')
    const junk = `<div class="box-news"><ul>${'<li><a href="/tin.html">Tin khác cùng chuyên mục của báo tỉnh nhà</a></li>'.repeat(50)}</ul></div>`
    let html = f.html
    while (html.length < 4_000_000) html = html.replace('<body>', `<body>${junk.repeat(20)}`)
    const result = success(extractArticle(html, { url: f.expected.url }))
    expect(result.method).toBe('rule')
    expect(result.html).toContain(f.expected.paragraphs[1])
    // No rule: the readability fallback on the same page.
    const fallback = extractArticle(html.replace(/detail-content-body/g, 'noi-dung'), {
      url: 'https://baohungyen.vn/tin/1.html',
    })
    expect(fallback.ok && fallback.html).toContain(f.expected.paragraphs[1])
  })

  for (const tag of ['table', 'div']) {
    it(`survives 2,000-deep nested ${tag}s`, () => {
      const open = tag === 'table' ? '<table><tr><td>' : '<div>'
      const close = tag === 'table' ? '</td></tr></table>' : '</div>'
      const deep = `${open.repeat(2000)}<p>${PARAGRAPH}</p><p>${PARAGRAPH} Thêm.</p>${close.repeat(2000)}`
      const result = extractArticle(articlePage(deep), { url: 'https://baohungyen.vn/tin/1.html' })
      if (result.ok) expect(result.html).toContain(PARAGRAPH)
      else expect(result.code).toBe('ERR_EXTRACT_NO_ARTICLE')
      // Unclosed, too: 50,000 opening tags and nothing else.
      const unclosed = extractArticle(open.repeat(50_000), { url: 'https://baohungyen.vn/tin/1.html' })
      expect(unclosed.ok).toBe(false)
    })
  }

  it('writes no script, event attribute or javascript: URL', () => {
    const payloads = [
      '<script>alert(1)</script>',
      '<img src="x" onerror="alert(1)">',
      '<img src="javascript:alert(1)" alt="x">',
      '<a href="javascript:alert(1)">bấm</a>',
      '<a href=" JaVaScRiPt:alert(1)">bấm</a>',
      '<a href="data:text/html,<script>alert(1)</script>">bấm</a>',
      '<svg><script>alert(1)</script></svg>',
      '<iframe src="https://evil.example"></iframe>',
      '<form action="https://evil.example"><input name="x"></form>',
      '<p style="background:url(javascript:alert(1))" onclick="alert(1)">chữ</p>',
      '<math><mtext><style><img src=x onerror=alert(1)></style></mtext></math>',
      '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
      '<object data="x.swf"></object><embed src="x.swf">',
      '<div onmouseover="alert(1)">chữ</div>',
    ]
    const body = `<div class="detail-content-body"><p>${PARAGRAPH}</p>${payloads.join(`<p>${PARAGRAPH}</p>`)}</div>`
    const html = `<html><body><h1 class="detail-title">Tiêu đề</h1><div class="detail-sapo">Sapo <script>alert(1)</script>bài</div>${body}</body></html>`
    for (const url of ['https://baothaibinh.com.vn/tin/1.html', 'https://baohungyen.vn/tin/1.html']) {
      const result = success(extractArticle(html, { url }))
      expect(result.html).not.toMatch(UNSAFE)
      expect(result.html).toContain(PARAGRAPH)
    }
  })
})
