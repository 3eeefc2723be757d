import type { Article, Source } from '../types.js'

export interface NormalizeOptions {
  source: Source
  /** Zone for zone-less dates; overrides `source.timeZone`. @default 'Asia/Ho_Chi_Minh' */
  timeZone?: string
  /** "Now" for implausible-date fallbacks. @default () => new Date() */
  now?: () => Date
  /** Extra outlets for credit recognition, merged over the shipped registry. */
  outlets?: OutletEntry[]
}

/** One outlet of the registry: `Theo Baothaibinh.com.vn` → Báo Thái Bình. */
export interface OutletEntry {
  name: string
  /** Current domain first, former ones after. */
  domains: string[]
  /** Other names and abbreviations it is credited as ("TTXVN", "Báo TB"). */
  aliases?: string[]
}

export interface NormalizeResult {
  /** In the feed's item order. */
  articles: Article[]
  /** `index` is the item's position in feed.items. */
  skipped: { index: number; code: string; message: string }[]
  /** Non-fatal notes per item (implausible date, …). */
  warnings: { index: number; code: string; message: string }[]
}
