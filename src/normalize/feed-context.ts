/** What every item of a feed is normalized against: its source, zone, fetch time, base URL, language, outlets. */
import type { ParsedFeed } from '../parse/index.js'
import type { ArticleOutlet, ArticleSource, Source } from '../types.js'
import { DEFAULT_TIME_ZONE, isValidTimeZone } from './date.js'
import { canonicalLanguage, hostOf, str, text, validDate } from './item-fields.js'
import type { NormalizeOptions, NormalizeResult, NormalizeWarningCode, OutletEntry } from './types.js'
import { absoluteUrl, canonicalUrl } from './url.js'

export interface FeedContext {
  source: Source
  sourceInfo: ArticleSource
  timeZone: string
  fetchedAt: Date
  base: string | undefined
  sourceHost: string | undefined
  language: string | undefined
  outlets: OutletEntry[] | undefined
  /** The feed's own channel title (sourceInfo.title is the configured name when there is one). */
  channelTitle: string | undefined
  /** Site outlets by article host: the items of a feed share a few. */
  sites: Map<string, ArticleOutlet | undefined>
  /** foldText of the names bylines are compared with (site names, the channel title, the source's name): the same
   * few for every item of a feed. */
  foldedNames: Map<string, string>
  warn: (index: number, code: NormalizeWarningCode, message: string) => void
}

export function contextOf(feed: ParsedFeed, options: NormalizeOptions, result: NormalizeResult): FeedContext {
  const given = options?.source
  const source: Source =
    given !== null && typeof given === 'object' && typeof given.id === 'string'
      ? given
      : { id: 'unknown', url: typeof given?.url === 'string' ? given.url : '' }
  const warn = (index: number, code: NormalizeWarningCode, message: string) => {
    result.warnings.push({ index, code, message })
  }
  let timeZone = DEFAULT_TIME_ZONE
  for (const zone of [options?.timeZone, source.timeZone]) {
    if (zone === undefined) continue
    if (isValidTimeZone(zone)) {
      timeZone = zone
      break
    }
    warn(-1, 'ERR_NORMALIZE_TIME_ZONE', `unknown time zone \`${String(zone)}\`: ${DEFAULT_TIME_ZONE} used`)
  }
  let fetchedAt: Date | undefined
  try {
    fetchedAt = validDate(typeof options?.now === 'function' ? options.now() : undefined)
  } catch {
    fetchedAt = undefined
  }
  fetchedAt ??= new Date()
  const feedUrl = absoluteUrl(source.url)
  const siteUrl = canonicalUrl(str(feed.link) ?? '', feedUrl)
  const title = text(source.name) ?? text(feed.title)
  const sourceInfo: ArticleSource = {
    id: source.id,
    feedUrl: source.url,
    ...(title === undefined ? {} : { title }),
    ...(siteUrl === undefined ? {} : { siteUrl }),
  }
  const language = canonicalLanguage(feed.language)
  const channelTitle = text(feed.title)
  return {
    source,
    sourceInfo,
    timeZone,
    fetchedAt,
    base: siteUrl ?? feedUrl,
    sourceHost: hostOf(siteUrl) ?? hostOf(feedUrl),
    language,
    outlets: Array.isArray(options?.outlets) ? [...options.outlets] : undefined,
    channelTitle,
    sites: new Map(),
    foldedNames: new Map(),
    warn,
  }
}
