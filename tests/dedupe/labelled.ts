import { readFileSync } from 'node:fs'
import type { Article } from '../../src/types.js'

export interface Labelled {
  hardNegatives: [string, string, string][]
  articles: (Article & { story: string; note?: string })[]
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
