/**
 * normalizeFeed: ParsedFeed → Article[]. Synchronous and total: a bad item is skipped into `skipped` with a code,
 * the others go on; nothing in a ParsedFeed-shaped input makes it throw.
 */
import type { ParsedFeed, ParsedItem } from '../parse/index.js'
import type { Article } from '../types.js'
import { contextOf, type FeedContext } from './feed-context.js'
import { sanitizeRebuiltHtml, sanitizeRebuiltHtmlAll } from './html/index.js'
import { articleId } from './id.js'
import { normalizeItem, SkipItem } from './item.js'
import { linkOf, str, text } from './item-fields.js'
import type { NormalizeOptions, NormalizeResult, NormalizeWarningCode } from './types.js'
import { absoluteUrl } from './url.js'

export { cleanAuthor } from './item-fields.js'

/** Ids: an item's canonical URL, unless other items of the feed share it (or it is the site's home page). */
function idsOf(items: unknown[], links: (string | undefined)[], ctx: FeedContext): (string | undefined)[] {
  const identities = new Map<string, Set<string>>()
  items.forEach((item, index) => {
    const url = links[index]
    if (url === undefined) return
    const record = item as ParsedItem
    const identity = str(record.id) ?? str(record.title) ?? `#${index}`
    const set = identities.get(url) ?? new Set<string>()
    set.add(identity)
    identities.set(url, set)
  })
  const home = ctx.sourceInfo.siteUrl
  return items.map((item, index) => {
    const url = links[index]
    if (url === undefined) return undefined
    const shared = (identities.get(url)?.size ?? 0) > 1 || url === home || url === absoluteUrl(ctx.source.url)
    if (!shared) return articleId({ sourceId: ctx.source.id, url })
    const record = item as ParsedItem
    ctx.warn(index, 'ERR_NORMALIZE_SHARED_LINK', `link ${url} is not the item's own: id made from its guid`)
    const guid = text(record.id)
    const title = text(record.title)
    return articleId({
      sourceId: ctx.source.id,
      ...(guid === undefined ? {} : { guid }),
      ...(title === undefined ? {} : { title }),
    })
  })
}

/**
 * Turn a parsed feed into Articles, in item order. Never throws: an item that cannot become an Article is listed in
 * `skipped` (`ERR_NORMALIZE_NO_LINK`, `ERR_NORMALIZE_NO_TITLE`, `ERR_NORMALIZE_ITEM`); non-fatal notes (dates,
 * shared links, an unknown time zone and the parse warnings such as ERR_PARSE_TRUNCATED at index -1) go to `warnings`.
 */
export function normalizeFeed(feed: ParsedFeed, options: NormalizeOptions): NormalizeResult {
  const result: NormalizeResult = { articles: [], skipped: [], warnings: [] }
  const safeFeed = (feed !== null && typeof feed === 'object' ? feed : { items: [] }) as ParsedFeed
  let ctx: FeedContext
  let items: unknown[]
  try {
    ctx = contextOf(safeFeed, options, result)
    items = Array.isArray(safeFeed.items) ? safeFeed.items : []
    // The document's own problems (ERR_PARSE_TRUNCATED, …) are the feed's notes too (index -1).
    if (Array.isArray(safeFeed.warnings))
      for (const w of safeFeed.warnings)
        result.warnings.push({ index: -1, code: w.code as NormalizeWarningCode, message: w.message })
  } catch (error) {
    result.skipped.push({ index: -1, code: 'ERR_NORMALIZE_ITEM', message: messageOf(error) })
    return result
  }
  const links = items.map((item) => {
    if (item === null || typeof item !== 'object') return undefined
    try {
      return linkOf(item as ParsedItem, ctx.base)
    } catch {
      return undefined
    }
  })
  let ids: (string | undefined)[]
  try {
    ids = idsOf(items, links, ctx)
  } catch {
    ids = links
  }
  const indexes: number[] = []
  items.forEach((item, index) => {
    const warningsBefore = result.warnings.length
    try {
      if (item === null || typeof item !== 'object') throw new SkipItem('ERR_NORMALIZE_ITEM', 'item is not an object')
      const url = links[index]
      const id = ids[index]
      if (url === undefined || id === undefined) throw new SkipItem('ERR_NORMALIZE_NO_LINK', 'item has no http(s) link')
      result.articles.push(normalizeItem(item as ParsedItem, url, id, ctx, index))
      indexes.push(index)
    } catch (error) {
      // A skipped item's date notes are noise; its skip reason says what matters.
      result.warnings.length = warningsBefore
      const code = error instanceof SkipItem ? error.code : 'ERR_NORMALIZE_ITEM'
      result.skipped.push({ index, code, message: messageOf(error) })
    }
  })
  gateBodies(result, indexes)
  return result
}

/** The sanitize-html gate over every article's rebuilt body, in one go (rebuildBody left it to us). */
function gateBodies(result: NormalizeResult, indexes: number[]): void {
  try {
    const gated = sanitizeRebuiltHtmlAll(result.articles.map((article) => article.contentHtml))
    result.articles.forEach((article, i) => {
      article.contentHtml = gated[i] as string
    })
    return
  } catch {
    // Gate each body on its own below: one that cannot be gated is skipped, like any item that throws.
  }
  const kept: Article[] = []
  result.articles.forEach((article, i) => {
    try {
      article.contentHtml = sanitizeRebuiltHtml(article.contentHtml)
      kept.push(article)
    } catch (error) {
      result.skipped.push({ index: indexes[i] ?? -1, code: 'ERR_NORMALIZE_ITEM', message: messageOf(error) })
    }
  })
  result.articles = kept
  result.skipped.sort((a, b) => a.index - b.index)
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.length > 300 ? `${message.slice(0, 300)}…` : message
}
