/** A story as one batch sees it while matching (the engine's state per story), and the fingerprint kept in a record. */
import type { Article, Story } from '../types.js'
import { type Analysed, analyse, type CopyPrint, type Print } from './fingerprint.js'
import type { StoryRecord } from './record.js'

/** Fingerprints kept per story (the primary's and the first copies'): enough to recognise it, small to store. */
export const MAX_PRINTS = 8

/** What a record keeps of its story's copies to recognise it: their compact prints. */
export interface StoredFingerprint {
  v: 1
  c: CopyPrint[]
}

/** An article ready to match: analysed, with its identity keys (URL, guid) and content key. */
export interface Item {
  article: Article
  analysed: Analysed
  identity: string[]
  content?: string
}

/** Is `value` a fingerprint this version wrote? */
export function isFingerprint(value: unknown): value is StoredFingerprint {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as StoredFingerprint).v === 1 &&
    Array.isArray((value as StoredFingerprint).c)
  )
}

/** The articles of a story, primary first. */
export function articlesOf(story: Story): Article[] {
  return [story.primary, ...story.duplicates]
}

/** A story while a batch is matched: its prints always; its record once loaded (or created here). */
export interface Working {
  id: string
  record?: StoryRecord
  copies: CopyPrint[]
  /** `copies` decoded for compare(), each on first use. */
  prints: (Print | undefined)[]
  /** Articles that joined in this batch, in order. */
  added: Article[]
  /** Edited versions of known articles, by the known article's copyKey(). */
  replaced: Map<string, Article>
  keys: Set<string>
  buckets: Set<string>
  touched: boolean
}

/**
 * A stored story as the batch starts with it: its prints from `fingerprint`, or else analysed from the first
 * articles of `record`; undefined when there is neither.
 */
export function adopted(id: string, fingerprint: unknown, record?: StoryRecord): Working | undefined {
  let copies: CopyPrint[]
  if (isFingerprint(fingerprint)) copies = [...fingerprint.c]
  else if (record)
    copies = articlesOf(record.story)
      .slice(0, MAX_PRINTS)
      .map((a) => analyse(a).copy)
  else return undefined
  return {
    id,
    ...(record ? { record } : {}),
    copies,
    prints: new Array(copies.length),
    added: [],
    replaced: new Map(),
    keys: new Set(),
    buckets: new Set(),
    touched: false,
  }
}

/** A new story `id` of the one article `item`, first seen `now`. */
export function started(id: string, item: Item, now: Date): Working {
  const { article, analysed } = item
  const record: StoryRecord = {
    story: { id, primary: article, duplicates: [] },
    keys: [],
    buckets: [],
    published: article.published,
    firstSeen: now,
    lastSeen: now,
  }
  return {
    id,
    record,
    copies: [analysed.copy],
    prints: [analysed.print],
    added: [],
    replaced: new Map(),
    keys: new Set(),
    buckets: new Set(),
    touched: false,
  }
}

/** `base`, or else the first of `base#2`, `base#3`… not taken in `stories`. */
export function freeId(stories: Map<string, Working>, base: string): string {
  let id = base
  for (let n = 2; stories.has(id); n++) id = `${base}#${n}`
  return id
}

/** The indexes of `items` in the order they are matched: by published time, input order among equals. */
export function publishedOrder(items: Item[]): { i: number; t: number }[] {
  return items.map((item, i) => ({ i, t: item.analysed.print.published })).sort((a, b) => a.t - b.t || a.i - b.i)
}
