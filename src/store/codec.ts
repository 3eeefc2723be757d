import { copyKey } from '../internal/copy-key.js'
import type { Article, Story } from '../types.js'
import type { SourceState, StoryRecord } from './types.js'

/** Dates in a stored Article come back as ISO strings from JSON; make them Dates again. */
function reviveArticle(article: Article): Article {
  const raw = article as unknown as { published: string | Date; updated?: string | Date }
  const revived = { ...article, published: new Date(raw.published) }
  if (raw.updated !== undefined) revived.updated = new Date(raw.updated)
  return revived
}

/**
 * The same text as `JSON.stringify(story)`. `encoded` is the articles' JSON made ahead of the write, by article object
 * (`RunChanges.articleJson`: the feed worker encodes each article beside normalizing it, so the main thread, which
 * runs the store, only joins strings); an article it does not hold is stringified here.
 */
export function encodeStory(story: Story, encoded?: ReadonlyMap<Article, string>): string {
  let duplicates = ''
  for (let i = 0; i < story.duplicates.length; i++) {
    duplicates += `${i === 0 ? '' : ','}${articleJson(story.duplicates[i] as Article, encoded)}`
  }
  return `{"id":${JSON.stringify(story.id)},"primary":${articleJson(story.primary, encoded)},"duplicates":[${duplicates}]}`
}

function articleJson(article: Article, encoded: ReadonlyMap<Article, string> | undefined): string {
  return encoded?.get(article) ?? JSON.stringify(article)
}

export function decodeStory(json: string): Story {
  const story = JSON.parse(json) as Story
  return { id: story.id, primary: reviveArticle(story.primary), duplicates: story.duplicates.map(reviveArticle) }
}

export function encodeSourceState(state: SourceState): string {
  return JSON.stringify(state)
}

export function decodeSourceState(json: string): SourceState {
  const state = JSON.parse(json) as SourceState & { retryAfterUntil?: string; lastFetchedAt?: string }
  const out: SourceState = { ...state } as SourceState
  if (state.retryAfterUntil !== undefined) out.retryAfterUntil = new Date(state.retryAfterUntil)
  if (state.lastFetchedAt !== undefined) out.lastFetchedAt = new Date(state.lastFetchedAt)
  return out
}

/** Deep copy that keeps Dates (the memory store hands out copies so callers cannot change what it holds). */
export function cloneRecord(record: StoryRecord): StoryRecord {
  return structuredClone(record)
}

export function earlier(a: Date, b: Date): Date {
  return b.getTime() < a.getTime() ? b : a
}

export function later(a: Date, b: Date): Date {
  return b.getTime() > a.getTime() ? b : a
}

function copyKeys(story: Story): Set<string> {
  return new Set([story.primary, ...story.duplicates].map(copyKey))
}

/**
 * The merge a store applies when a NEW story's exact keys already belong to a different stored story (only possible
 * with concurrent writers): the incoming story's copies become duplicates of the existing story (articles already
 * there, by source and id, are skipped), its keys and buckets are added to it, and no story with the incoming id is created.
 * The existing story keeps its id, primary, published date and fingerprint.
 */
export function mergeRecords(existing: StoryRecord, incoming: StoryRecord): StoryRecord {
  const seen = copyKeys(existing.story)
  const added = [incoming.story.primary, ...incoming.story.duplicates].filter((a) => {
    const key = copyKey(a)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return {
    ...existing,
    story: { ...existing.story, duplicates: [...existing.story.duplicates, ...added] },
    keys: [...new Set([...existing.keys, ...incoming.keys])],
    buckets: [...new Set([...existing.buckets, ...incoming.buckets])],
    firstSeen: earlier(existing.firstSeen, incoming.firstSeen),
    lastSeen: later(existing.lastSeen, incoming.lastSeen),
  }
}

/** Split a list into chunks of `size` (batched lookups). */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
