import { PublishError } from '../errors.js'
import type { Article, Story } from '../types.js'
import { cleanText, cleanUrl } from './clean.js'
import { PUBLISH_DEFAULTS } from './defaults.js'
import { asStory, compareStories, type Entry, storyDate, toEntry } from './entry.js'
import {
  atomEntries,
  atomHead,
  atomTail,
  jsonHead,
  jsonItems,
  jsonTail,
  rssHead,
  rssItems,
  rssTail,
} from './feed-adapter.js'
import { createHtmlWriter } from './html.js'
import type { RenderOptions } from './types.js'

export interface FormatWriter {
  head(updated: Date): string
  /** A batch of entries (rendering through `feed` is cheaper per batch than per item). */
  items(entries: Entry[]): string
  tail(): string
}

/** Entries per batch handed to the writer: bounds memory per chunk while amortising `feed`'s per-call cost. */
const BATCH = 64

/** Validated render options: plain-text fields cleaned, URLs absolute http(s). Throws ERR_PUBLISH_RENDER. */
export function resolveRenderOptions(options: RenderOptions): RenderOptions & { limit: number } {
  if (!options || typeof options !== 'object') throw new PublishError('ERR_PUBLISH_RENDER', 'Expected render options')
  const { format } = options
  if (format !== 'rss' && format !== 'atom' && format !== 'json' && format !== 'html') {
    throw new PublishError(
      'ERR_PUBLISH_RENDER',
      `Expected \`format\` to be 'rss', 'atom', 'json' or 'html', got \`${String(format)}\``,
    )
  }
  const link = cleanUrl(options.link)
  if (!link) {
    throw new PublishError(
      'ERR_PUBLISH_RENDER',
      `Expected \`link\` to be an absolute http(s) URL, got \`${String(options.link)}\``,
    )
  }
  const limit = options.limit ?? PUBLISH_DEFAULTS.limit
  if (!(limit === Number.POSITIVE_INFINITY || (Number.isSafeInteger(limit) && limit >= 0))) {
    throw new PublishError(
      'ERR_PUBLISH_RENDER',
      `Expected \`limit\` to be an integer ≥ 0 or Infinity, got \`${String(limit)}\``,
    )
  }
  const check = (name: 'feedUrl' | 'hub'): string | undefined => {
    const value = options[name]
    if (value === undefined) return undefined
    const url = cleanUrl(value)
    if (!url)
      throw new PublishError(
        'ERR_PUBLISH_RENDER',
        `Expected \`${name}\` to be an absolute http(s) URL, got \`${value}\``,
      )
    return url
  }
  const feedUrl = check('feedUrl')
  const hub = check('hub')
  const description = cleanText(options.description)
  const language = cleanText(options.language)
  if (language && !/^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/.test(language)) {
    throw new PublishError(
      'ERR_PUBLISH_RENDER',
      `Expected \`language\` to be a language tag like 'vi', got \`${language}\``,
    )
  }
  return {
    ...options,
    title: cleanText(options.title) || link,
    link,
    limit: limit === 0 ? Number.POSITIVE_INFINITY : limit,
    ...(feedUrl ? { feedUrl } : {}),
    ...(hub ? { hub } : {}),
    ...(description ? { description } : { description: undefined }),
    ...(language ? { language } : { language: undefined }),
  } as RenderOptions & { limit: number }
}

export function createWriter(options: RenderOptions): FormatWriter {
  switch (options.format) {
    case 'rss':
      return { head: (u) => rssHead(options, u), items: rssItems, tail: rssTail }
    case 'atom':
      return { head: (u) => atomHead(options, u), items: (e) => atomEntries(e, options.language), tail: atomTail }
    case 'json': {
      let first = true
      return {
        head: (u) => jsonHead(options, u),
        items: (entries) => {
          const out = jsonItems(entries, first)
          if (entries.length) first = false
          return out
        },
        tail: jsonTail,
      }
    }
    case 'html': {
      const html = createHtmlWriter(options)
      return { head: html.head, items: (entries) => entries.map(html.item).join(''), tail: html.tail }
    }
  }
}

/** Sorted stories → entries, skipping the unpublishable ones, up to `limit`. */
function* entriesOf(stories: Iterable<Story>, options: RenderOptions & { limit: number }): Generator<Entry> {
  let n = 0
  for (const story of stories) {
    if (n >= options.limit) return
    const entry = toEntry(story, options)
    if (!entry) continue
    n++
    yield entry
  }
}

function* renderEntries(entries: Iterator<Entry>, options: RenderOptions): Generator<string> {
  const writer = createWriter(options)
  const first = entries.next()
  yield writer.head(options.updated ?? (first.done ? new Date(0) : first.value.modified))
  if (!first.done) {
    let batch: Entry[] = [first.value]
    for (let next = entries.next(); !next.done; next = entries.next()) {
      batch.push(next.value)
      if (batch.length >= BATCH) {
        yield writer.items(batch)
        batch = []
      }
    }
    if (batch.length) yield writer.items(batch)
  }
  yield writer.tail()
}

/** Newest first (stable tie-break by id); stories without a usable date dropped. */
export function sortStories(items: Iterable<Story | Article>): Story[] {
  const stories: Story[] = []
  for (const item of items) {
    if (!item) continue
    const story = asStory(item)
    if (Number.isFinite(storyDate(story))) stories.push(story)
  }
  return stories.sort(compareStories)
}

/**
 * Render stories (or bare Articles) to one string: RSS 2.0, Atom 1.0, JSON Feed 1.1 or the HTML river page.
 * Newest first by `primary.published` (ties by id), then `limit` (default 100; `0` or `Infinity` = all).
 * Stories without a valid date or an absolute http(s) link are left out. Throws PublishError('ERR_PUBLISH_RENDER')
 * only for bad options. For big outputs use `writeFeed`, which streams.
 */
export function renderFeed(items: Story[] | Article[], options: RenderOptions): string {
  const resolved = resolveRenderOptions(options)
  const stories = sortStories(items as (Story | Article)[])
  const parts: string[] = []
  for (const part of renderEntries(entriesOf(stories, resolved), resolved)) parts.push(part)
  return parts.join('')
}

export async function* ordered(
  items: Iterable<Story | Article> | AsyncIterable<Story | Article>,
  options: RenderOptions & { limit: number },
): AsyncGenerator<Story> {
  if (options.presorted) {
    let previous: Story | undefined
    for await (const item of items) {
      if (!item) continue
      const story = asStory(item)
      if (!Number.isFinite(storyDate(story))) continue
      // Only the dates are checked: among equal dates the caller's (the store's) order is kept.
      if (previous && storyDate(story) > storyDate(previous)) {
        throw new PublishError(
          'ERR_PUBLISH_RENDER',
          `Stories are not newest first: ${story.id} follows ${previous.id} (presorted input must be ordered)`,
        )
      }
      previous = story
      yield story
    }
    return
  }
  // Buffer; with a finite limit keep only the newest `limit` (trimmed every so often), so memory stays bounded.
  let buffer: Story[] = []
  const cap = Number.isFinite(options.limit) ? options.limit * 2 + 1024 : Number.POSITIVE_INFINITY
  for await (const item of items) {
    if (!item) continue
    const story = asStory(item)
    if (!Number.isFinite(storyDate(story))) continue
    buffer.push(story)
    if (buffer.length > cap) buffer = buffer.sort(compareStories).slice(0, options.limit + 1024)
  }
  buffer.sort(compareStories)
  yield* buffer
}

/**
 * Render as a stream of string chunks (each at most one batch of 64 items), for `writeFeed`. The input may be an async
 * iterable; with `presorted: true` nothing is buffered.
 */
export async function* renderChunks(
  items: Iterable<Story | Article> | AsyncIterable<Story | Article>,
  options: RenderOptions,
  stats: { items: number } = { items: 0 },
): AsyncGenerator<string> {
  const resolved = resolveRenderOptions(options)
  const writer = createWriter(resolved)
  let n = 0
  let started = false
  let batch: Entry[] = []
  for await (const story of ordered(items, resolved)) {
    if (n >= resolved.limit) break
    const entry = toEntry(story, resolved)
    if (!entry) continue
    if (!started) {
      started = true
      yield writer.head(resolved.updated ?? entry.modified)
    }
    n++
    batch.push(entry)
    if (batch.length >= BATCH) {
      yield writer.items(batch)
      stats.items = n
      batch = []
    }
  }
  if (!started) yield writer.head(resolved.updated ?? new Date(0))
  if (batch.length) yield writer.items(batch)
  stats.items = n
  yield writer.tail()
}
