import { describe, expect, it } from 'vitest'
import { findAll, parsePage } from '../../src/extract/dom.js'
import { extractArticle } from '../../src/extract/index.js'
import { normalizeFeed } from '../../src/normalize/index.js'
import type { ParsedFeed, ParsedItem } from '../../src/parse/index.js'
import type { Article } from '../../src/types.js'
import { fixtures } from '../helpers/extract-fixtures.js'

const NOW = new Date('2026-12-08T00:00:00.000Z')

/** Runs an extraction through normalizeFeed the way the pipeline does: the page's article as the item's body. */
function normalized(html: string, url: string, title: string): Article {
  const result = extractArticle(html, { url })
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`)
  const item: ParsedItem = {
    title,
    link: url,
    categories: [],
    enclosures: [],
    media: [],
    raw: {},
    contentHtml: result.html,
    ...(result.published === undefined ? {} : { raw: { published: result.published } }),
  }
  const feed: ParsedFeed = { format: 'rss', link: new URL('/', url).href, title: 'Báo', items: [item], warnings: [] }
  const out = normalizeFeed(feed, { source: { id: 's', url: new URL('/rss', url).href }, now: () => NOW })
  const article = out.articles[0]
  if (article === undefined) throw new Error(`skipped: ${JSON.stringify(out.skipped)}`)
  return article
}

const SCRIPTY = /<script|<style|<iframe|<form|\son\w+\s*=|javascript:/i

/** Structural check: no element that runs or embeds anything, no event attribute, no script URL. */
function assertInert(html: string): void {
  for (const el of findAll(parsePage(html), () => true)) {
    expect(['script', 'style', 'iframe', 'form', 'svg', 'object', 'embed', 'math']).not.toContain(el.name)
    for (const [name, value] of Object.entries(el.attribs)) {
      expect(name).not.toMatch(/^on/i)
      if (name === 'href' || name === 'src') expect(value).toMatch(/^(?:https?:|mailto:)/i)
    }
  }
}

describe('extractArticle → normalizeFeed', () => {
  for (const f of fixtures()) {
    if (f.expected.captions.length === 0) continue
    it(`gives captions and photo credits for ${f.name} as for feed bodies`, () => {
      const article = normalized(f.html, f.expected.url, f.expected.title ?? 'x')
      const images = article.images.filter((i) => i.caption !== undefined)
      expect(images.length).toBe(f.expected.captions.length)
      for (const [k, caption] of f.expected.captions.entries()) {
        // "… Ảnh: Thu Thủy" → caption "…", credit "Thu Thủy".
        const credit = /Ảnh:\s*([^).]+)/u.exec(caption)?.[1]?.trim()
        expect(images[k]?.credit).toBe(credit)
        expect(images[k]?.url).toMatch(/^https:\/\//)
        expect(caption).toContain(images[k]?.caption?.replace(/[.]$/, '') ?? '∅')
      }
      expect(article.contentHtml).toContain('<figcaption>')
      expect(article.contentHtml).not.toMatch(SCRIPTY)
      // The body paragraphs came through, the captions are not counted as text.
      expect(article.text.join('\n')).toContain(f.expected.paragraphs[1]?.slice(0, 40))
      for (const caption of f.expected.captions) expect(article.text).not.toContain(caption)
    })
  }

  it('turns the dateline of the lead into the credit', () => {
    const cases: [string, string][] = [
      ['tuoitre', 'Báo Tuổi Trẻ'],
      ['dantri', 'Báo Dân trí'],
      ['baochinhphu', 'Báo Điện tử Chính phủ'],
      ['baothaibinh', 'Báo Thái Bình'],
    ]
    for (const [name, outlet] of cases) {
      const f = fixtures().find((x) => x.name === name)
      if (f === undefined) throw new Error(`no fixture ${name}`)
      const article = normalized(f.html, f.expected.url, f.expected.title ?? 'x')
      expect(article.credit?.name, name).toBe(outlet)
      expect(article.text[0], name).toMatch(/^\p{Lu}/u)
      expect(f.expected.lead?.endsWith(article.text[0] ?? '∅'), name).toBe(true)
    }
  })

  it('carries no script from XSS payloads in the page to the Article', () => {
    const para =
      'Sáng 7/12, UBND tỉnh tổ chức lễ khởi công cầu Hưng Hà bắc qua sông Luộc, công trình có tổng mức đầu tư hơn 1.200 tỷ đồng.'
    const payloads = [
      '<img src=x onerror=alert(1) alt="a">',
      '<a href="javascript:alert(1)">x</a>',
      '<p onclick="alert(1)">chữ</p>',
      '<svg onload=alert(1)><script>alert(1)</script></svg>',
      '<figure><img src="/a.jpg" alt="&lt;script&gt;alert(1)&lt;/script&gt;"><figcaption>&lt;img src=x onerror=alert(1)&gt; Ảnh: X</figcaption></figure>',
      '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    ]
    const html = `<html><body><h1 class="detail-title">Tiêu đề</h1><div class="detail-content-body"><p>${para}</p>${payloads.join(`<p>${para}</p>`)}</div></body></html>`
    for (const url of ['https://baothaibinh.com.vn/tin/1.html', 'https://baohungyen.vn/tin/1.html']) {
      const article = normalized(html, url, 'Tiêu đề')
      assertInert(article.contentHtml)
      expect(article.contentHtml).toContain('Sáng 7/12')
    }
  })
})
