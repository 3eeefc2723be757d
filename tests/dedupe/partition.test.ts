import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dedupeArticles } from '../../src/dedupe/index.js'
import type { Article, Story } from '../../src/types.js'
import { harvestRewrite, labelledArticle, loadLabelled } from '../helpers/labelled.js'

const set = loadLabelled()
const byNote = (story: string, note: string) => labelledArticle(set, story, note)
const H = 3_600_000

/** Where each given article ended up: the index of its story, once per story it appears in (by object). */
function placement(stories: Story[], articles: Article[]): number[][] {
  return articles.map((a) =>
    stories.flatMap((s, i) => [s.primary, ...s.duplicates].filter((x) => x === a).map(() => i)),
  )
}

function article(base: Article, patch: Partial<Article>): Article {
  return { ...structuredClone(base), ...patch }
}

describe('dedupeArticles partitions its input', () => {
  it('lists URL variants in one feed and a mobile copy from another feed as copies, dropping none', () => {
    const original = byNote('S3', 'singleton')
    const url = 'https://baobacgiang.vn/a.html'
    const { guid: _guid, ...unguided } = article(original, { id: url, url })
    const a: Article = unguided
    const slash = article(a, {}) // the same canonical URL as `http://…/a.html/` or `…/a.html#comments` gives
    const comments = article(a, {})
    const mobile = article(a, {
      id: 'https://m.baobacgiang.vn/a.html',
      url: 'https://m.baobacgiang.vn/a.html',
      source: { id: 'second-feed', feedUrl: 'https://m.baobacgiang.vn/rss/home.rss' },
    })
    const given = [a, slash, comments, mobile]
    const stories = dedupeArticles(given)
    expect(stories.length).toBe(1)
    expect(stories[0]!.duplicates.length).toBe(3)
    expect(placement(stories, given)).toEqual([[0], [0], [0], [0]])
  })

  it('joins a credited rewrite (own title, own lead, shorter) to the story of the outlet it credits', () => {
    const original = byNote('G', 'original')
    const rewrite = harvestRewrite(original)
    const stories = dedupeArticles([rewrite, original])
    expect(stories.length).toBe(1)
    expect(stories[0]!.primary).toBe(original)
    expect(stories[0]!.duplicates).toEqual([rewrite])
  })

  it('keeps the rewrite apart from another story of the outlet, from the story of another outlet and from a late one', () => {
    const original = byNote('G', 'original')
    const rewrite = harvestRewrite(original)
    // Báo Cần Thơ's other story of the day, naming the same place and crop, other figures
    const other = article(original, {
      id: 'https://baocantho.com.vn/tin-tuc/he-thu-1030.html',
      url: 'https://baocantho.com.vn/tin-tuc/he-thu-1030.html',
      title: 'Hòa Vang chuẩn bị xuống giống lúa Hè Thu',
      text: [
        'Nông dân huyện Hòa Vang đang làm đất, chuẩn bị xuống giống 2.600 ha lúa vụ Hè Thu từ ngày 20/6.',
        'Phòng Nông nghiệp huyện khuyến cáo gieo sạ tập trung, né rầy, dùng giống xác nhận; dự kiến 40% diện tích áp dụng cơ giới hóa.',
      ],
    })
    expect(dedupeArticles([other, rewrite]).length).toBe(2)
    // the same rewrite for another season: other figures, credited to the same outlet
    const nextSeason = {
      ...rewrite,
      text: rewrite.text.map((p) => p.replace('68 tạ/ha', '61 tạ/ha').replace('2.850 ha', '2.640 ha')),
    }
    expect(dedupeArticles([original, nextSeason]).length).toBe(2)
    // four days later is outside the rewrite window
    const late = { ...rewrite, published: new Date(original.published.getTime() + 96 * H) }
    expect(dedupeArticles([original, late]).length).toBe(2)
    expect(dedupeArticles([original, late], { rewriteWindowMs: 5 * 24 * H }).length).toBe(1)
    expect(dedupeArticles([original, rewrite], { rewriteWindowMs: 0 }).length).toBe(2)
  })

  it('joins an uncredited rewrite only on every uncommon figure of the original, the same names and a like title', () => {
    const original = byNote('G', 'original')
    const { credit: _credit, ...uncredited } = harvestRewrite(original)
    expect(dedupeArticles([original, uncredited]).length).toBe(1)
    const otherFigures = { ...uncredited, text: uncredited.text.map((p) => p.replace('7.500', '7.800')) }
    expect(dedupeArticles([original, otherFigures]).length).toBe(2)
    const otherTitle = { ...uncredited, title: 'Giá lúa tươi tăng, nông dân có lãi' }
    expect(dedupeArticles([original, otherTitle]).length).toBe(2)
  })

  it('places every article given exactly once, whatever mix of copies, variants and rewrites', () => {
    const pool = set.articles.map((a) => {
      const { story: _s, note: _n, ...rest } = a
      return rest as Article
    })
    pool.push(harvestRewrite(byNote('G', 'original')))
    const pick = fc.array(
      fc.record({
        i: fc.nat(pool.length - 1),
        // 0: as is; 1: the same article listed again; 2: the same URL carried by another feed
        form: fc.constantFrom(0, 1, 2),
      }),
      { minLength: 1, maxLength: 40 },
    )
    fc.assert(
      fc.property(pick, (picks) => {
        const given = picks.map(({ i, form }) => {
          const base = structuredClone(pool[i]!)
          return form === 2 ? { ...base, source: { ...base.source, id: `${base.source.id}-mirror` } } : base
        })
        const stories = dedupeArticles(given)
        for (const places of placement(stories, given)) expect(places.length).toBe(1)
        expect(stories.reduce((n, s) => n + 1 + s.duplicates.length, 0)).toBe(given.length)
      }),
      { numRuns: 60 },
    )
  })
})
