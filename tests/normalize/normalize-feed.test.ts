import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { normalizeFeed } from '../../src/normalize/index.js'
import type { NormalizeOptions } from '../../src/normalize/types.js'
import { type ParsedFeed, type ParsedItem, parseFeed } from '../../src/parse/index.js'
import type { Source } from '../../src/types.js'

const FIXTURES = join(import.meta.dirname, '../fixtures/normalize/feeds')
const NOW = new Date('2026-11-26T00:00:00.000Z')
const SOURCE: Source = { id: 'tb', url: 'https://baothaibinh.com.vn/rss/thoi-su.rss' }

/** Overrides; an `undefined` value removes the field. */
type Overrides = { [K in keyof ParsedItem]?: ParsedItem[K] | undefined }

function item(overrides: Overrides = {}): ParsedItem {
  const value: Record<string, unknown> = {
    title: 'Họp Ban Hội nhập kinh tế quốc tế tỉnh',
    link: 'https://baothaibinh.com.vn/tin-tuc/1/hop-ban.html',
    categories: [],
    enclosures: [],
    media: [],
    raw: {},
    contentHtml: '<p>Chiều ngày 9/3, UBND tỉnh tổ chức họp tổng kết hoạt động năm 2016.</p>',
    ...overrides,
  }
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key]
  return value as unknown as ParsedItem
}

function feed(items: ParsedItem[], overrides: Partial<ParsedFeed> = {}): ParsedFeed {
  return {
    format: 'rss',
    link: 'https://baothaibinh.com.vn/',
    title: 'Báo Thái Bình',
    items,
    warnings: [],
    ...overrides,
  }
}

function run(items: ParsedItem[], options: Partial<NormalizeOptions> = {}, feedOverrides: Partial<ParsedFeed> = {}) {
  return normalizeFeed(feed(items, feedOverrides), { source: SOURCE, now: () => NOW, ...options })
}

function one(overrides: Overrides = {}, options: Partial<NormalizeOptions> = {}) {
  const result = run([item(overrides)], options)
  expect(result.skipped).toEqual([])
  const [article] = result.articles
  if (article === undefined) throw new Error('no article')
  return { article, result }
}

describe('normalizeFeed: whole-feed fixtures', () => {
  const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.xml'))
  it('has the seed in at least two forms', () => {
    expect(names.filter((name) => name.startsWith('seed-')).length).toBeGreaterThanOrEqual(2)
  })
  for (const name of names) {
    it(`normalizes ${name} to its expected Articles`, async () => {
      const expected = JSON.parse(readFileSync(join(FIXTURES, name.replace(/\.xml$/, '.expected.json')), 'utf8'))
      const parsed = await parseFeed(readFileSync(join(FIXTURES, name)), { url: expected.source.url })
      const result = normalizeFeed(parsed, { source: expected.source, now: () => new Date(expected.now) })
      const plain = JSON.parse(JSON.stringify(result))
      expect(plain).toMatchObject({ skipped: expected.skipped, warnings: expected.warnings })
      expect(plain.articles).toHaveLength(expected.articles.length)
      expected.articles.forEach((want: Record<string, unknown>, i: number) => {
        expect(plain.articles[i]).toMatchObject(want)
        // Exact where it matters: the body paragraphs, the images, the credit.
        for (const key of ['text', 'images', 'credit', 'published', 'title'] as const) {
          if (key in want) expect(plain.articles[i][key]).toEqual(want[key])
        }
      })
    })
  }
  it('reads the seed (RSS, CDATA, bare 10/03/2017) without captions or the credit line in the text', async () => {
    const parsed = await parseFeed(readFileSync(join(FIXTURES, 'seed-rss-cdata.xml')), {
      url: 'https://thaibinh.gov.vn/rss/tin-tuc-su-kien.rss',
    })
    const { articles } = normalizeFeed(parsed, {
      source: { id: 'p', url: 'https://thaibinh.gov.vn/rss' },
      now: () => NOW,
    })
    const article = articles[0]
    expect(article?.published.toISOString()).toBe('2017-03-09T17:00:00.000Z')
    expect(article?.text).toHaveLength(5)
    expect(article?.text.join('\n')).not.toMatch(/Ảnh:|Theo Baothaibinh|chủ trì cuộc họp/)
    expect(article?.contentHtml).not.toContain('Theo Baothaibinh')
    expect(article?.contentHtml.match(/<figcaption>/g)).toHaveLength(1)
    expect(article?.contentHtml).toContain('Thu Thủy')
    // dc:creator was a bare e-mail address: not a byline
    expect(article?.author).toBeUndefined()
  })
})

describe('normalizeFeed: dates', () => {
  it('re-reads the raw day-first date in the source zone', () => {
    const { article, result } = one({ raw: { published: '10/03/2017' } })
    expect(article.published.toISOString()).toBe('2017-03-09T17:00:00.000Z')
    expect(result.warnings).toEqual([])
  })
  it('prefers the raw string over a misread parsed date', () => {
    const misread = new Date('2017-10-03T00:00:00Z')
    const { article } = one({ raw: { published: '10/03/2017' }, published: misread })
    expect(article.published.toISOString()).toBe('2017-03-09T17:00:00.000Z')
  })
  it('honours source.timeZone, and options.timeZone over it', () => {
    const source = { ...SOURCE, timeZone: 'Asia/Tokyo' }
    expect(one({ raw: { published: '10/03/2017' } }, { source }).article.published.toISOString()).toBe(
      '2017-03-09T15:00:00.000Z',
    )
    expect(one({ raw: { published: '10/03/2017' } }, { source, timeZone: 'UTC' }).article.published.toISOString()).toBe(
      '2017-03-10T00:00:00.000Z',
    )
  })
  it('uses the parsed date when the raw string is unreadable', () => {
    const { article, result } = one({ raw: { published: 'hôm qua' }, published: new Date('2017-03-10T01:00:00Z') })
    expect(article.published.toISOString()).toBe('2017-03-10T01:00:00.000Z')
    expect(result.warnings.map((w) => w.code)).toEqual([])
  })
  it('falls back to the updated date and records where published came from', () => {
    const { article, result } = one({ raw: { published: 'không rõ', updated: '11/03/2017 08:00' } })
    expect(article.published.toISOString()).toBe('2017-03-11T01:00:00.000Z')
    expect(article.updated?.toISOString()).toBe('2017-03-11T01:00:00.000Z')
    expect(result.warnings.map((w) => w.code)).toEqual(['ERR_NORMALIZE_DATE_INVALID', 'ERR_NORMALIZE_DATE_FALLBACK'])
    expect(result.warnings[1]?.message).toMatch(/updated/)
  })
  it('falls back to the fetch time when there is no date', () => {
    const { article, result } = one()
    expect(article.published.toISOString()).toBe(NOW.toISOString())
    expect(result.warnings).toEqual([
      { index: 0, code: 'ERR_NORMALIZE_DATE_FALLBACK', message: expect.stringMatching(/fetch time/) },
    ])
  })
  it('flags a date far in the future and uses the fetch time', () => {
    const { article, result } = one({ raw: { published: '10/03/2099' } })
    expect(article.published.toISOString()).toBe(NOW.toISOString())
    expect(result.warnings.map((w) => w.code)).toEqual([
      'ERR_NORMALIZE_DATE_IMPLAUSIBLE',
      'ERR_NORMALIZE_DATE_FALLBACK',
    ])
  })
  it('accepts a date a few hours ahead (clock skew) but not two days ahead', () => {
    expect(one({ published: new Date(NOW.getTime() + 3 * 3_600_000) }).result.warnings).toEqual([])
    expect(one({ published: new Date(NOW.getTime() + 2 * 86_400_000) }).result.warnings[0]?.code).toBe(
      'ERR_NORMALIZE_DATE_IMPLAUSIBLE',
    )
  })
  it('flags a date before 1995', () => {
    const { article, result } = one({ raw: { published: '01/01/1970' }, updated: new Date('2017-03-10T00:00:00Z') })
    expect(article.published.toISOString()).toBe('2017-03-10T00:00:00.000Z')
    expect(result.warnings.map((w) => w.code)).toEqual([
      'ERR_NORMALIZE_DATE_IMPLAUSIBLE',
      'ERR_NORMALIZE_DATE_FALLBACK',
    ])
  })
  it('ignores an Invalid Date from the parser', () => {
    const { article } = one({ published: new Date('nope'), raw: { published: '10/03/2017' } })
    expect(article.published.toISOString()).toBe('2017-03-09T17:00:00.000Z')
  })
  it('reports an unknown time zone once (index -1) and reads in Asia/Ho_Chi_Minh', () => {
    const result = run([item({ raw: { published: '10/03/2017' } })], { timeZone: 'Mars/Olympus' })
    expect(result.articles[0]?.published.toISOString()).toBe('2017-03-09T17:00:00.000Z')
    expect(result.warnings).toEqual([{ index: -1, code: 'ERR_NORMALIZE_TIME_ZONE', message: expect.any(String) }])
  })
})

describe('normalizeFeed: title, summary, author', () => {
  it('decodes entities in the title, also double-escaped, and keeps a literal tag as text', () => {
    expect(one({ title: '&amp;quot;Xanh hoá&amp;quot;   <b>nông thôn</b>\u200b' }).article.title).toBe(
      '"Xanh hoá" <b>nông thôn</b>',
    )
  })
  it('repairs a mojibake title', () => {
    expect(one({ title: 'Khuyáº¿n nÃ´ng' }).article.title).toBe('Khuyến nông')
  })
  it('takes a missing title from the summary, with a warning', () => {
    const { article, result } = one({ title: '  ', summary: 'Sáng nay, tỉnh tổ chức lễ ra quân.' })
    expect(article.title).toBe('Sáng nay, tỉnh tổ chức lễ ra quân.')
    expect(result.warnings.map((w) => w.code)).toContain('ERR_NORMALIZE_NO_TITLE')
  })
  it('skips an item with no title and no text', () => {
    const result = run([item({ title: undefined, contentHtml: undefined }), item()])
    expect(result.skipped).toEqual([{ index: 0, code: 'ERR_NORMALIZE_NO_TITLE', message: expect.any(String) }])
    expect(result.articles).toHaveLength(1)
  })
  it('keeps the summary as plain text, and uses the lead when there is none', () => {
    expect(one({ summary: 'Tóm  tắt&amp;nbsp;bài' }).article.summary).toBe('Tóm tắt bài')
    expect(one().article.summary).toBe('Chiều ngày 9/3, UBND tỉnh tổ chức họp tổng kết hoạt động năm 2016.')
  })
  it('does not repeat the lead when the description equals the first paragraph', () => {
    const lead = 'Chiều ngày 9/3, UBND tỉnh tổ chức họp tổng kết hoạt động năm 2016.'
    const { article } = one({ summary: lead, contentHtml: `<p>${lead}</p><p>${lead}</p><p>Đoạn hai.</p>` })
    expect(article.text.filter((p) => p === lead)).toHaveLength(1)
    expect(article.summary).toBe(lead)
  })
  it('builds the body from the summary when the item has no content', () => {
    const { article } = one({ contentHtml: undefined, summary: 'Dòng một.\nDòng hai.' })
    expect(article.text).toEqual(['Dòng một.', 'Dòng hai.'])
    expect(article.contentHtml).toContain('Dòng hai.')
  })
  it('strips the e-mail from the feed author: x@y (Name), Name <x@y>, bare x@y', () => {
    expect(one({ author: 'toasoan@baothaibinh.com.vn (Thu Thủy)' }).article.author).toBe('Thu Thủy')
    expect(one({ author: 'Minh Hà <mh@baothaibinh.com.vn>' }).article.author).toBe('Minh Hà')
    expect(one({ author: 'toasoan@baothaibinh.com.vn' }).article.author).toBeUndefined()
  })
  it('prefers the byline found in the body over the feed author', () => {
    const html =
      '<p>Chiều ngày 9/3, UBND tỉnh tổ chức họp tổng kết hoạt động năm 2016.</p><p style="text-align:right"><strong>Minh Hà</strong></p>'
    expect(one({ author: 'admin', contentHtml: html }).article.author).toBe('Minh Hà')
  })
})

describe('normalizeFeed: links and ids', () => {
  it('canonicalizes the link and uses it as the id', () => {
    const { article } = one({
      link: 'HTTPS://BaoThaiBinh.com.vn:443/tin-tuc/1/hop-ban.html?utm_source=rss&zarsrc=30#x',
    })
    expect(article.url).toBe('https://baothaibinh.com.vn/tin-tuc/1/hop-ban.html')
    expect(article.id).toBe(article.url)
  })
  it('resolves a relative link against the feed link', () => {
    expect(one({ link: '/tin-tuc/2/a.html' }).article.url).toBe('https://baothaibinh.com.vn/tin-tuc/2/a.html')
  })
  it('uses a permalink guid when there is no link, and keeps the guid', () => {
    const { article } = one({ link: undefined, id: 'https://baothaibinh.com.vn/tin-tuc/3/b.html' })
    expect(article.url).toBe('https://baothaibinh.com.vn/tin-tuc/3/b.html')
    expect(article.guid).toBe('https://baothaibinh.com.vn/tin-tuc/3/b.html')
  })
  it('skips an item without an http(s) link; the other items go on, in order', () => {
    const result = run([
      item({ title: 'A' }),
      item({ link: 'javascript:void(0)', id: '42' }),
      item({ title: 'C', link: '/c' }),
    ])
    expect(result.skipped).toEqual([{ index: 1, code: 'ERR_NORMALIZE_NO_LINK', message: expect.any(String) }])
    expect(result.articles.map((a) => a.title)).toEqual(['A', 'C'])
  })
  it('makes URN ids from the guid when items share one link (e.g. all point at the home page)', () => {
    const result = run([
      item({ title: 'A', id: '101', link: 'https://baothaibinh.com.vn/' }),
      item({ title: 'B', id: '102', link: 'https://baothaibinh.com.vn/tin' }),
      item({ title: 'C', id: '103', link: 'https://baothaibinh.com.vn/tin' }),
    ])
    const ids = result.articles.map((a) => a.id)
    expect(ids.every((id) => id.startsWith('urn:tonghop:tb:'))).toBe(true)
    expect(new Set(ids).size).toBe(3)
    expect(result.warnings.filter((w) => w.code === 'ERR_NORMALIZE_SHARED_LINK').map((w) => w.index)).toEqual([0, 1, 2])
    // stable across runs
    expect(run([item({ title: 'A', id: '101', link: 'https://baothaibinh.com.vn/' })]).articles[0]?.id).toBe(ids[0])
  })
})

describe('normalizeFeed: credit', () => {
  it('maps the body credit line through the outlet registry', () => {
    const html = '<p>Nội dung bài viết về hội nghị tổng kết năm của tỉnh.</p><p>Theo Baothaibinh.com.vn</p>'
    expect(one({ contentHtml: html }).article.credit).toEqual({
      text: 'Theo Baothaibinh.com.vn',
      name: 'Báo Thái Bình',
      domain: 'baothaibinh.com.vn',
    })
  })
  it('uses the configured source.credit when the body credits nobody', () => {
    const { article } = one({}, { source: { ...SOURCE, credit: 'Báo Thái Bình' } })
    expect(article.credit).toMatchObject({ name: 'Báo Thái Bình', domain: 'baothaibinh.com.vn' })
  })
  it('uses rules.credit as the last fallback', () => {
    const { article } = one({}, { source: { ...SOURCE, rules: { credit: 'Một tờ báo lạ' } } })
    expect(article.credit).toMatchObject({ text: 'Một tờ báo lạ' })
  })
  it('prefers source.credit over rules.credit', () => {
    const source = { ...SOURCE, credit: 'Báo Thái Bình', rules: { credit: 'Một tờ báo lạ' } }
    expect(one({}, { source }).article.credit?.name).toBe('Báo Thái Bình')
  })
  it('ignores an RSS <source> that is the feed’s own site', () => {
    const { article } = one({ source: { title: 'Báo Thái Bình', url: 'https://www.baothaibinh.com.vn/rss' } })
    expect(article.credit).toBeUndefined()
  })
  it('credits the site named by RSS <source> when it is another site', () => {
    const { article } = one({ source: { title: 'TTXVN', url: 'https://vnanet.vn/rss' } })
    expect(article.credit?.text).toBe('TTXVN')
  })
  it('prefers the body credit over the configured one', () => {
    const html = '<p>Nội dung bài viết về hội nghị tổng kết năm của tỉnh.</p><p>Theo Baothaibinh.com.vn</p>'
    const { article } = one({ contentHtml: html }, { source: { ...SOURCE, credit: 'Cổng TTĐT' } })
    expect(article.credit?.domain).toBe('baothaibinh.com.vn')
  })
})

describe('normalizeFeed: other fields', () => {
  it('cleans and de-duplicates categories (folded), dropping empty ones', () => {
    expect(
      one({ categories: ['Thời sự', ' thời  sự ', '', 'Kinh&amp;nbsp;tế', 'THỜI SỰ'] }).article.categories,
    ).toEqual(['Thời sự', 'Kinh tế'])
  })
  it('keeps http(s) enclosures, absolute and de-duplicated, with a clean type and length', () => {
    const enclosures = [
      { url: '/audio/a.mp3', type: 'Audio/MPEG; charset=x', length: 1_234_567 },
      { url: 'https://baothaibinh.com.vn/audio/a.mp3' },
      { url: 'javascript:alert(1)' },
      { url: 'https://cdn.vn/v.mp4', length: Number.NaN },
    ]
    expect(one({ enclosures }).article.enclosures).toEqual([
      { url: 'https://baothaibinh.com.vn/audio/a.mp3', type: 'audio/mpeg', length: 1_234_567 },
      { url: 'https://cdn.vn/v.mp4' },
    ])
  })
  it('keeps an enclosure length only when it is plausibly a byte size for its type', () => {
    const enclosures = [
      // VnExpress puts the image width where the byte size goes.
      { url: 'https://i1-vnexpress.vnecdn.net/a.jpg', type: 'image/jpeg', length: 1200 },
      { url: 'https://cdn.vn/b.jpg', length: 680 },
      { url: 'https://cdn.vn/c.mp3', type: 'audio/mpeg', length: 215 },
      { url: 'https://cdn.vn/d.jpg', type: 'image/jpeg', length: 184_320 },
      { url: 'https://cdn.vn/e.pdf', type: 'application/pdf', length: 4_000 },
    ]
    expect(one({ enclosures }).article.enclosures).toEqual([
      { url: 'https://i1-vnexpress.vnecdn.net/a.jpg', type: 'image/jpeg' },
      { url: 'https://cdn.vn/b.jpg' },
      { url: 'https://cdn.vn/c.mp3', type: 'audio/mpeg' },
      { url: 'https://cdn.vn/d.jpg', type: 'image/jpeg', length: 184_320 },
      { url: 'https://cdn.vn/e.pdf', type: 'application/pdf', length: 4_000 },
    ])
  })
  it('sets the source from the config and the feed', () => {
    expect(one().article.source).toEqual({
      id: 'tb',
      feedUrl: SOURCE.url,
      title: 'Báo Thái Bình',
      siteUrl: 'https://baothaibinh.com.vn/',
    })
    expect(one({}, { source: { ...SOURCE, name: 'Báo TB – Thời sự' } }).article.source.title).toBe('Báo TB – Thời sự')
  })
  it('canonicalizes the feed language, and detects Vietnamese when the feed gives none', () => {
    expect(run([item()], {}, { language: 'vi_vn' }).articles[0]?.language).toBe('vi-VN')
    expect(run([item()], {}, { language: 'Vietnamese' }).articles[0]?.language).toBe('vi')
    expect(run([item()]).articles[0]?.language).toBe('vi')
    expect(run([item({ title: 'Hello', contentHtml: '<p>World</p>' })]).articles[0]?.language).toBeUndefined()
  })
  it('passes the source rules to the body (remove selectors)', () => {
    const html = '<p>Chiều ngày 9/3, UBND tỉnh tổ chức họp.</p><div class="quang-cao"><p>Mua ngay!</p></div>'
    const { article } = one({ contentHtml: html }, { source: { ...SOURCE, rules: { remove: ['.quang-cao'] } } })
    expect(article.text.join(' ')).not.toContain('Mua ngay')
  })
})

describe('normalizeFeed: bad input', () => {
  it('skips non-object items with ERR_NORMALIZE_ITEM and keeps the rest', () => {
    const items = [null, 'x', item({ title: 'B' })] as unknown as ParsedItem[]
    const result = run(items)
    expect(result.skipped.map((s) => [s.index, s.code])).toEqual([
      [0, 'ERR_NORMALIZE_ITEM'],
      [1, 'ERR_NORMALIZE_ITEM'],
    ])
    expect(result.articles.map((a) => a.title)).toEqual(['B'])
  })
  it('survives fields of the wrong type', () => {
    const weird = {
      title: 42,
      link: 'https://baothaibinh.com.vn/x',
      categories: 'nope',
      enclosures: [null, 5],
      media: null,
      raw: null,
      published: 'yesterday',
      author: {},
      contentHtml: ['<p>x</p>'],
    } as unknown as ParsedItem
    const result = run([weird])
    expect(result.articles.length + result.skipped.length).toBe(1)
  })
  it('returns an empty result for a feed without items', () => {
    expect(normalizeFeed({} as ParsedFeed, { source: SOURCE })).toEqual({ articles: [], skipped: [], warnings: [] })
  })
})
