import { readFileSync } from 'node:fs'
import type { Article } from '../../src/types.js'

const H = 3_600_000

/** How an article relates to its story's original (see make-labelled.mjs). */
export type LabelledKind = 'original' | 'copy' | 'excerpt' | 'rewrite' | 'summary'

export interface Labelled {
  hardNegatives: [string, string, string][]
  articles: (Article & { story: string; note?: string; kind: LabelledKind })[]
}

/** One article of the set by its story label and note, as a plain Article (a copy). */
export function labelledArticle(set: Labelled, story: string, note: string): Article {
  const a = set.articles.find((x) => x.story === story && x.note === note)
  if (!a) throw new Error(`no ${story} ${note} in the labelled set`)
  const { story: _s, note: _n, kind: _k, ...article } = structuredClone(a)
  return article
}

/** The labelled set, with Dates revived. */
export function loadLabelled(): Labelled {
  const raw = JSON.parse(readFileSync(new URL('../fixtures/dedupe/labelled.json', import.meta.url), 'utf8')) as Labelled
  for (const a of raw.articles) {
    a.published = new Date(a.published as unknown as string)
    if (a.updated) a.updated = new Date(a.updated as unknown as string)
  }
  return raw
}

export interface PairScores {
  precision: number
  recall: number
  f1: number
  tp: number
  fp: number
  fn: number
  /** Pairs of labels merged although they are different stories: "A|A-2018". */
  falseMerges: string[]
}

/**
 * Recall of the pairs that join an article of `kind` to the other articles of its story (each pair counted once),
 * and how many of them there are.
 */
export function kindRecall(set: Labelled, predicted: string[], kind: LabelledKind): { pairs: number; recall: number } {
  const a = set.articles
  let found = 0
  let pairs = 0
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.kind !== kind) continue
    for (let j = 0; j < a.length; j++) {
      if (i === j || a[j]!.story !== a[i]!.story || (a[j]!.kind === kind && j < i)) continue
      pairs++
      if (predicted[i] === predicted[j]) found++
    }
  }
  return { pairs, recall: pairs === 0 ? 1 : found / pairs }
}

/** Pairwise precision/recall over all article pairs: same label vs same predicted cluster. */
export function pairScores(labels: string[], predicted: string[]): PairScores {
  let tp = 0
  let fp = 0
  let fn = 0
  const falseMerges = new Set<string>()
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const same = labels[i] === labels[j]
      const merged = predicted[i] === predicted[j]
      if (same && merged) tp++
      else if (merged) {
        fp++
        falseMerges.add([labels[i], labels[j]].sort().join('|'))
      } else if (same) fn++
    }
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp)
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn)
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1, tp, fp, fn, falseMerges: [...falseMerges].sort() }
}

/** A district portal's rewrite of Báo Cần Thơ's harvest story: own title, own lead, shorter, credited. */
export function harvestRewrite(original: Article): Article {
  const text = [
    'Vụ Đông Xuân năm nay, nông dân Hòa Vang thu về năng suất bình quân 68 tạ/ha, cao hơn vụ trước khoảng 3 tạ/ha.',
    'Toàn huyện xuống giống 2.850 ha, hơn 70% là lúa chất lượng cao; giá lúa tươi từ 7.200 đến 7.500 đồng/kg nên bà con có lãi.',
    'Theo Báo Cần Thơ',
  ]
  return {
    ...structuredClone(original),
    id: 'https://phongdien.cantho.gov.vn/tin-tuc/hoa-vang-trung-mua-lua.html',
    url: 'https://phongdien.cantho.gov.vn/tin-tuc/hoa-vang-trung-mua-lua.html',
    guid: 'pd-881',
    title: 'Nông dân Hòa Vang trúng mùa lúa Đông Xuân',
    published: new Date(original.published.getTime() + 20 * H),
    text: text.slice(0, 2),
    contentHtml: text
      .slice(0, 2)
      .map((p) => `<p>${p}</p>`)
      .join(''),
    credit: { text: 'Theo Báo Cần Thơ', name: 'Báo Cần Thơ' },
    source: {
      id: 'phongdien-portal',
      feedUrl: 'https://phongdien.cantho.gov.vn/rss/tin-tuc.rss',
      title: 'Tin tức - sự kiện',
      siteUrl: 'https://phongdien.cantho.gov.vn',
    },
  }
}
