/**
 * Cross-stage domain types. Stage-specific types (FetchResult, ParsedFeed, RenderOptions, …) live in their stage.
 * Every string here is plain text (NFC, trimmed) unless its name ends in `Html`.
 */

/** Per-source rules for sites that need them (like Miniflux's rewrite rules). */
export interface SourceRules {
  /** CSS-like selectors (tag, `.class`, `#id`, `tag.class`) whose elements are removed from the body. */
  remove?: string[]
  /** Selector of caption elements this site uses, in addition to the layouts tonghop recognises. */
  captionSelector?: string
  /** A regular expression (source text) whose first capture group is the credited outlet, e.g. `^Nguồn:\s*(.+)$`. */
  creditPattern?: string
  /** The credit to use for every item of this source when the body names none (e.g. "Báo Thái Bình"). */
  credit?: string
}

/** One feed to aggregate, resolved from the config. */
export interface Source {
  /** Stable id: given in the config, or derived from the URL. Used as the key of everything stored for the source. */
  id: string
  /** `http:`/`https:` URL, or `file:` URL for a local path given in the config. */
  url: string
  /** Human name of the feed or site ("Báo Thái Bình – Thời sự"). */
  name?: string
  /** Who to credit for items of this feed when the items name nobody else. */
  credit?: string
  /** IANA zone in which zone-less dates of this source are read. @default 'Asia/Ho_Chi_Minh' */
  timeZone?: string
  rules?: SourceRules
  /** The site's home page (OPML `htmlUrl`), when known. */
  siteUrl?: string
  /** When to fetch this feed's article pages; the run's `extract.fullText` when absent. */
  fullText?: 'auto' | 'always' | 'never'
}

export interface ArticleImage {
  /** Absent only when a caption survived without its image (text-only sources). */
  url?: string
  alt?: string
  /** Caption without the photo credit. */
  caption?: string
  /** Photo credit: "Thu Thủy" from "Ảnh: Thu Thủy". */
  credit?: string
}

export interface Enclosure {
  url: string
  type?: string
  length?: number
}

/** The original publisher of a story: "Theo Baothaibinh.com.vn" → { name: 'Báo Thái Bình', domain: 'baothaibinh.com.vn' } */
export interface ArticleCredit {
  /** The credit as written, e.g. "Theo Baothaibinh.com.vn". */
  text: string
  name?: string
  domain?: string
}

/**
 * Who an article is by, as one identity: the outlet's name and, when known, its domain. `group` is set for outlets
 * that merged in 2025 (Báo Thái Bình into the Hưng Yên group): the group's key (the registry domain of the absorbing
 * province's paper), the same for every outlet of the group, so old names and domains resolve together.
 */
export interface ArticleOutlet {
  name: string
  domain?: string
  group?: string
}

export interface ArticleSource {
  id: string
  feedUrl: string
  title?: string
  siteUrl?: string
}

export interface Article {
  /** Stable, URI-shaped (canonical URL, or `urn:`/`tag:`). */
  id: string
  /** The item's own id as the feed gave it. */
  guid?: string
  /** Canonical: absolute, tracking params and fragment dropped, host lower-cased. */
  url: string
  title: string
  /** An instant; zone-less source dates are read in the source's zone. */
  published: Date
  updated?: Date
  /** Byline. */
  author?: string
  /** Plain text. */
  summary?: string
  /** Sanitized HTML, absolute URLs, captions as <figure><figcaption>, no credit line. */
  contentHtml: string
  /** Plain-text paragraphs of the body; captions, credit line and byline removed. */
  text: string[]
  images: ArticleImage[]
  enclosures: Enclosure[]
  credit?: ArticleCredit
  categories: string[]
  /** The feed that carried it. */
  source: ArticleSource
  language?: string
  /**
   * The outlet that published the story, resolved once by normalize/: the credit, else the registry entry of the
   * article URL's host, of the feed's host, the source's configured name, the channel title when it is not a section
   * title, the host. Optional: stories stored by older versions lack it and publish/ computes it.
   */
  outlet?: ArticleOutlet
  /**
   * The outlet whose site carried this copy: the same chain without the credit (a portal's copy "Theo Báo Thái Bình"
   * is on the portal). What "Cũng đăng trên" lists. Optional like `outlet`.
   */
  site?: ArticleOutlet
}

/** One story and every copy of it that was seen. */
export interface Story {
  id: string
  primary: Article
  duplicates: Article[]
}

export type SourceStatus = 'ok' | 'not-modified' | 'unchanged' | 'failed' | 'skipped' | 'gone'

/** What happened to one source in a run. A failing source is data, not an exception. */
export interface SourceOutcome {
  id: string
  url: string
  /**
   * `ok`: fetched and processed; `not-modified`: 304; `unchanged`: 200 with the same body as last time;
   * `failed`: see `code`; `skipped`: a back-off from an earlier run is still running; `gone`: 410, retired.
   */
  status: SourceStatus
  /** Stable error code when `status` is `failed` (or the reason for `skipped`). */
  code?: string
  message?: string
  httpStatus?: number
  /** Final URL when it differs from `url` (redirects). */
  finalUrl?: string
  /** Set when a permanent redirect moved the feed: later runs fetch this URL. */
  movedTo?: string
  /** Milliseconds the server asked us to wait (Retry-After), when it was not waited for. */
  retryAfter?: number
  items: { total: number; new: number; updated: number; duplicates: number; skipped: number }
  durationMs: number
  /** Bytes of the body received (after content decoding), when there was one. */
  bytes?: number
  /** Non-fatal problems (truncated feed, skipped items, implausible dates, article pages that failed). */
  warnings: { code: string; message: string }[]
  /**
   * Full text, when the feed had teasers: pages fetched, articles built from a page (`reused`: from one extracted on
   * an earlier run, no fetch), pages that failed (their items keep the feed's text) and pages not fetched (a
   * back-off still running, robots.txt, the run's page budget).
   */
  pages?: { fetched: number; extracted: number; reused: number; failed: number; skipped: number }
}

export type OutputFormat = 'rss' | 'atom' | 'json' | 'html'

export interface RunReport {
  startedAt: Date
  finishedAt: Date
  sources: SourceOutcome[]
  stories: { new: number; updated: number; duplicates: number }
  outputs: { path: string; format: OutputFormat; written: boolean; items: number; code?: string; message?: string }[]
  /** The run's numbers as the metrics file carries them (absent from reports of older versions). */
  metrics?: RunMetrics
  /** The `onStories` hook, when one is configured and had stories to deliver (this run's or earlier failed ones). */
  hook?: HookReport
}

/** The numbers of one run, for monitoring (`tonghop run --metrics <file>` writes them in the Prometheus format). */
export interface RunMetrics {
  /** Sources by outcome status. */
  sources: Record<SourceStatus, number>
  /** Failed, skipped and gone sources by error code. */
  codes: Record<string, number>
  /** Sources by the HTTP status of their last response (sources that got none are left out). */
  httpStatus: Record<string, number>
  /** Feed items of the processed sources: total, new, updated, duplicates, skipped. */
  items: { total: number; new: number; updated: number; duplicates: number; skipped: number }
  stories: { new: number; updated: number; duplicates: number }
  outputs: { written: number; unchanged: number; failed: number }
  /** Bytes of feed bodies received (after content decoding). */
  bytes: number
  /** The whole run, in ms. */
  durationMs: number
  /** The sum of the sources' fetch-and-process times, in ms. */
  sourcesDurationMs: number
}

/** What became of the `onStories` hook in a run. */
export interface HookReport {
  /** `delivered`: called and succeeded; `failed`: see `code` (retried next run with the stories it did not get). */
  status: 'delivered' | 'failed'
  /** Stories delivered or pending. */
  stories: number
  /** Of `stories`, how many were carried over from earlier runs whose hook failed. */
  retried: number
  code?: string
  message?: string
  durationMs: number
}

/** One source's health as remembered across runs (stored in its SourceState). Instants are ms since the epoch. */
export interface SourceHealth {
  /** First run that recorded health for this source. */
  since: number
  /** Last run that sent a request (or read the file); skipped and retired runs are not attempts. */
  lastAttemptAt?: number
  /** Last attempt that got the feed (200, 304, or an unchanged body). */
  lastSuccessAt?: number
  /** Last run that found items this source had not carried before (new stories or new copies). */
  lastNewItemAt?: number
  /** Consecutive failed attempts (0 when the last attempt succeeded). */
  failures: number
  /** The first failure of the current streak. */
  failingSince?: { at: number; code: string; httpStatus?: number }
  /** The latest failure of the current streak. */
  lastFailure?: { at: number; code: string; httpStatus?: number; message?: string }
  /** New items per day (`YYYY-MM-DD` in Vietnam time): the 30 days before now and the 30 before the last new item. */
  daily: Record<string, number>
  /** A permanent redirect (301/308) moved the feed here; `at`: when it was first seen. */
  moved?: { to: string; at: number }
  /** HTTP 410: retired until the config changes its URL; `at`: when it was first seen. */
  retired?: { at: number }
  /** The last runs, newest last (at most 20). */
  history: { at: number; status: SourceStatus; code?: string; httpStatus?: number; newItems?: number }[]
}

/** Why a source needs the operator, most urgent first. */
export type SourceTrouble = 'failing' | 'stale' | 'retired' | 'moved'

/** One source's health as `tonghop status` and the sources page show it. */
export interface SourceHealthRow {
  id: string
  url: string
  name?: string
  /** Undefined when nothing is wrong (or the source was never fetched: `health` is then absent). */
  trouble?: SourceTrouble
  health?: SourceHealth
  /** Whole days since the last new item (since tracking began when there was none). */
  daysWithoutNewItems?: number
  /** Publishes on most days (at least half the days, and 3 or more, of the 30 before its last new item). */
  usuallyDaily: boolean
  /** New items on each of the last 30 days, oldest first (index 29 is today in Vietnam time). */
  itemsPerDay: number[]
}
