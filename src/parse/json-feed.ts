/** JSON Feed 1.0 / 1.1 → ParsedFeed. Every field is type-checked: the input is arbitrary JSON. */
import { asBase, assignBody, authorName, clean, plain, resolveUrl, toLength, unique } from './common.js'
import { parseStrictDate } from './dates.js'
import type { ParsedFeed, ParsedItem, ParsedMedia } from './types.js'

export type JsonFeedResult =
  | { kind: 'feed'; feed: Omit<ParsedFeed, 'warnings'>; truncated: boolean; tooDeep: boolean; dropped: number }
  | { kind: 'not-json' }
  | { kind: 'not-a-feed' }

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

export function readJsonFeed(text: string, url: string | undefined, maxDepth = 256): JsonFeedResult {
  let data: unknown
  let truncated = false
  let dropped = 0
  // JSON.parse takes super-linear time on deep nesting (10 MB of `[` ≈ 10 s): read only up to the depth limit, and
  // keep the items that were complete before it, as for a truncated document.
  const tooDeepAt = depthLimitIndex(text, maxDepth)
  const tooDeep = tooDeepAt !== -1
  try {
    if (tooDeep) throw new Error('too deep')
    data = JSON.parse(text)
  } catch {
    const recovered = recoverTruncated(tooDeep ? text.slice(0, tooDeepAt) : text)
    if (recovered === undefined) return { kind: 'not-json' }
    data = recovered.data
    truncated = !tooDeep
    dropped = recovered.dropped
  }
  if (!isObject(data)) return { kind: 'not-a-feed' }
  const version = versionOf(data.version)
  // A JSON Feed is told by its `version` (the spec's URL, or the bare `1`, `1.0`, `1.1` that gofeed's and others'
  // feeds write) and must have `items`.
  if (version === undefined || !Array.isArray(data.items)) return { kind: 'not-a-feed' }

  const link = resolveUrl(str(data.home_page_url), asBase(url))
  const base = asBase(url) ?? asBase(str(data.feed_url)) ?? asBase(link)
  const feed: Omit<ParsedFeed, 'warnings'> = {
    format: 'json',
    version,
    items: [],
  }
  const title = plain(str(data.title))
  if (title !== undefined) feed.title = title
  if (link !== undefined) feed.link = link
  const description = plain(str(data.description))
  if (description !== undefined) feed.description = description
  const language = clean(str(data.language))
  if (language !== undefined) feed.language = language
  const feedAuthors = authorsOf(data)

  const items = Array.isArray(data.items) ? data.items : []
  for (const entry of items) {
    if (isObject(entry)) feed.items.push(readItem(entry, base, feedAuthors))
  }
  return { kind: 'feed', feed, truncated, tooDeep, dropped }
}

function readItem(entry: Json, base: string | undefined, feedAuthors: string[]): ParsedItem {
  const item: ParsedItem = { categories: [], enclosures: [], media: [], raw: {} }
  const id = typeof entry.id === 'number' && Number.isFinite(entry.id) ? String(entry.id) : clean(str(entry.id))
  if (id !== undefined) item.id = id
  const title = plain(str(entry.title))
  if (title !== undefined) item.title = title
  const link = resolveUrl(str(entry.url) ?? str(entry.external_url), base)
  if (link !== undefined) item.link = link

  const rawPublished = clean(str(entry.date_published))
  if (rawPublished !== undefined) {
    item.raw.published = rawPublished
    const published = parseStrictDate(rawPublished)
    if (published !== undefined) item.published = published
  }
  const rawUpdated = clean(str(entry.date_modified))
  if (rawUpdated !== undefined) {
    item.raw.updated = rawUpdated
    const updated = parseStrictDate(rawUpdated)
    if (updated !== undefined) item.updated = updated
  }

  const names = authorsOf(entry)
  const byline = names.length > 0 ? names : feedAuthors
  if (byline.length > 0) item.author = byline.join(', ')

  const html = str(entry.content_html)
  const contentText = str(entry.content_text)
  const summary = str(entry.summary)
  assignBody(
    item,
    html?.trim()
      ? { kind: 'html', value: html }
      : contentText === undefined
        ? undefined
        : { kind: 'text', value: contentText },
    summary === undefined ? undefined : { kind: 'text', value: summary },
  )
  if (base !== undefined) item.baseUrl = base

  if (Array.isArray(entry.tags)) item.categories = unique(entry.tags.map((t) => plain(str(t))))

  if (Array.isArray(entry.attachments)) {
    for (const attachment of entry.attachments) {
      if (!isObject(attachment)) continue
      const url = resolveUrl(str(attachment.url), base)
      if (url === undefined || item.enclosures.some((e) => e.url === url)) continue
      const type = clean(str(attachment.mime_type))
      const size = attachment.size_in_bytes
      const length = typeof size === 'number' && Number.isInteger(size) ? toLength(size) : undefined
      item.enclosures.push({ url, ...(type ? { type } : {}), ...(length === undefined ? {} : { length }) })
    }
  }

  const media: ParsedMedia[] = []
  for (const key of ['image', 'banner_image'] as const) {
    const url = resolveUrl(str(entry[key]), base)
    if (url !== undefined && !media.some((m) => m.url === url)) media.push({ url, medium: 'image' })
  }
  item.media = media
  return item
}

/** JSON Feed 1.1 `authors`, or 1.0 `author`. */
function authorsOf(object: Json): string[] {
  const list = Array.isArray(object.authors) ? object.authors : isObject(object.author) ? [object.author] : []
  return unique(list.map((a) => (isObject(a) ? authorName(str(a.name)) : undefined)))
}

/** `https://jsonfeed.org/version/1.1` → `1.1`; `"1"`, `1`, `"1.0"`, `1.1` → that version; else undefined. */
function versionOf(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : str(value)?.trim()
  if (text === undefined) return undefined
  const version =
    /^https?:\/\/(?:www\.)?jsonfeed\.org\/version\/(\d+(?:\.\d+)?)\/?$/i.exec(text)?.[1] ??
    /^v?(1(?:\.\d{1,2})?)$/.exec(text)?.[1]
  if (version === undefined) return undefined
  return version.includes('.') ? version : `${version}.0`
}

/**
 * A JSON Feed cut off mid-way: keep the items that are complete. Scans once, remembering where each element of the
 * top-level `items` array ends; cuts there and closes what is open. Undefined when nothing sensible is left.
 */
function recoverTruncated(text: string): { data: unknown; dropped: number } | undefined {
  const start = text.search(/\S/)
  if (start === -1 || text[start] !== '{') return undefined
  const stack: string[] = []
  let inString = false
  let lastKey = ''
  let keyStart = -1
  let itemsDepth = -1
  let cut = -1
  let cutStack: string[] = []
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') {
        inString = false
        if (keyStart !== -1) lastKey = text.slice(keyStart, i)
      }
      continue
    }
    switch (c) {
      case '"':
        inString = true
        keyStart = stack[stack.length - 1] === '{' ? i + 1 : -1
        break
      case '{':
      case '[':
        if (c === '[' && stack.length === 1 && lastKey === 'items') itemsDepth = stack.length + 1
        stack.push(c)
        break
      case '}':
      case ']':
        if (stack.pop() !== (c === '}' ? '{' : '[')) return undefined
        if (itemsDepth !== -1 && stack.length === itemsDepth && c === '}') {
          cut = i + 1
          cutStack = [...stack]
        }
        if (stack.length === 0) return undefined // complete document: JSON.parse failed for another reason
        break
    }
  }
  if (itemsDepth === -1 || cut === -1) return undefined
  let repaired = text.slice(0, cut)
  for (let j = cutStack.length - 1; j >= 0; j--) repaired += cutStack[j] === '{' ? '}' : ']'
  try {
    const data = JSON.parse(repaired) as unknown
    // Anything object-like after the last complete item is an item that was cut.
    return { data, dropped: text.indexOf('{', cut) === -1 ? 0 : 1 }
  } catch {
    return undefined
  }
}

/** Index of the bracket that nests deeper than `maxDepth`, or -1. Strings are skipped. */
function depthLimitIndex(text: string, maxDepth: number): number {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // skip a string
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) i++
        else if (d === 0x22) break
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return i
    } else if (c === 0x7d || c === 0x5d) {
      depth--
    }
  }
  return -1
}
