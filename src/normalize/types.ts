import type { Article, Source } from '../types.js'

export interface NormalizeOptions {
  source: Source
  /** Zone for zone-less dates; overrides `source.timeZone`. @default 'Asia/Ho_Chi_Minh' */
  timeZone?: string
  /** "Now" for implausible-date fallbacks. @default () => new Date() */
  now?: () => Date
  /** Extra outlets for credit recognition, merged over the shipped registry. */
  outlets?: readonly OutletEntry[]
}

/** One outlet of the registry: `Theo Baothaibinh.com.vn` → Báo Thái Bình. */
export interface OutletEntry {
  name: string
  /** Current domain first, former ones after. */
  domains: string[]
  /** Other names and abbreviations it is credited as ("TTXVN", "Báo TB"). */
  aliases?: string[]
  /**
   * Set for outlets that merged in 2025: the key shared by every outlet of the group (the registry domain of the
   * absorbing province's paper, e.g. `baohungyen.vn` for Báo Thái Bình). A key, not a claim about where the merged
   * outlet publishes now.
   */
  group?: string
}

export interface NormalizeResult {
  /** In the feed's item order. */
  articles: Article[]
  /** `index` is the item's position in feed.items. */
  skipped: { index: number; code: string; message: string }[]
  /** Non-fatal notes per item (implausible date, …); `index` -1 for the feed as a whole (unknown time zone). */
  warnings: { index: number; code: NormalizeWarningCode; message: string }[]
}

/**
 * Codes of NormalizeResult.warnings (non-fatal; the item is kept).
 * - `ERR_NORMALIZE_DATE_INVALID`: a date string could not be read (the value is in the message).
 * - `ERR_NORMALIZE_DATE_IMPLAUSIBLE`: a date before 1995 or more than a day after the fetch was ignored.
 * - `ERR_NORMALIZE_DATE_FALLBACK`: `published` did not come from the item's published date; the message says
 *   whether it came from `updated` or from the fetch time. No such warning means it came from `published`.
 * - `ERR_NORMALIZE_SHARED_LINK`: the item's link is shared with other items or is the site's home page, so the id
 *   was made from the guid (or title) instead of the URL.
 * - `ERR_NORMALIZE_NO_TITLE`: the item had no title; one was taken from its summary or first paragraph.
 * - `ERR_NORMALIZE_TIME_ZONE`: the configured zone is unknown to Intl; Asia/Ho_Chi_Minh was used (index -1).
 * - `ERR_PARSE_TRUNCATED`, `ERR_PARSE_TOO_DEEP`, `ERR_PARSE_RECOVERED`: the feed's own `warnings`, carried over
 *   (index -1): the document ended early, nested too deep, or was malformed (no root, several roots, junk before it,
 *   an HTML wrapper) and its complete items were read anyway.
 */
export type NormalizeWarningCode =
  | 'ERR_NORMALIZE_DATE_INVALID'
  | 'ERR_NORMALIZE_DATE_IMPLAUSIBLE'
  | 'ERR_NORMALIZE_DATE_FALLBACK'
  | 'ERR_NORMALIZE_SHARED_LINK'
  | 'ERR_NORMALIZE_NO_TITLE'
  | 'ERR_NORMALIZE_TIME_ZONE'
  | 'ERR_PARSE_TRUNCATED'
  | 'ERR_PARSE_TOO_DEEP'
  | 'ERR_PARSE_RECOVERED'
