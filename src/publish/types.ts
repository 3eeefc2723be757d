import type { OutputFormat } from '../types.js'

export interface RenderOptions {
  format: OutputFormat
  title: string
  /** The site the merged feed belongs to. */
  link: string
  /** Where this output will be served (atom:link rel="self"). */
  feedUrl?: string
  description?: string
  language?: string
  /** Newest stories kept. `0` or `Infinity` keeps every story. @default 100 */
  limit?: number
  /** Visible credit line appended to each item: `{name}` is the original publisher. @default 'Theo {name}' */
  creditTemplate?: string
  /**
   * Line listing the other outlets that carried the story (`{names}`, comma-separated), appended after the credit
   * line when dedupe found copies. `false` leaves it out. @default 'Cũng đăng trên: {names}'
   */
  alsoPublishedByTemplate?: string | false
  /** Links to the other outputs (the HTML page advertises them with <link rel="alternate">). */
  alternates?: { format: OutputFormat; href: string }[]
  /** WebSub hub advertised with <link rel="hub"> (RSS/Atom) or `hubs` (JSON Feed). */
  hub?: string
  /**
   * The input is already newest first (as `store.listStories()` returns it): stream it without buffering, so memory
   * stays bounded however many stories there are. An out-of-order story fails the render (ERR_PUBLISH_RENDER).
   * @default false
   */
  presorted?: boolean
  /**
   * RFC 5005 links of this document (set by `writeFeed` when `archive` is on): `current` is the subscription feed,
   * `prevArchive` the next older archive page, `nextArchive` the next newer one; `archived` marks an archive page
   * (`<fh:archive/>`). JSON Feed writes `prevArchive` as `next_url`.
   */
  archiveLinks?: { current?: string; prevArchive?: string; nextArchive?: string; archived?: boolean }
  /** Feed-level "updated" instant. @default the newest story's date (so unchanged input renders identical bytes) */
  updated?: Date
}

/** `writeFeed` options: render options plus where to write and optional RFC 5005 archive pages. */
export interface WriteFeedOptions extends RenderOptions {
  path: string
  /**
   * Keep stories older than `limit` in archive pages of `pageSize` stories: `<name>-archive-<N><ext>` next to the
   * output, N = 1 the oldest, linked with `prev-archive`/`next-archive`/`current` (RFC 5005). Needs a finite limit.
   */
  archive?: { pageSize: number }
  /** undici Dispatcher for the WebSub ping (test seam, proxies). */
  dispatcher?: unknown
}

export interface OutputFilter {
  sources?: string[]
  categories?: string[]
  keywords?: string[]
  /** ISO date or duration in ms: only stories published since then. */
  since?: string | number
}

/** One merged output file. */
export interface OutputOptions {
  /** File to write, relative to `baseDir`. */
  path: string
  /** @default inferred from the extension: .xml/.rss → rss, .atom → atom, .json → json, .html/.htm → html */
  format?: OutputFormat
  /** @default feed.title */
  title?: string
  /** @default feed.link */
  link?: string
  /** @default feed.description */
  description?: string
  /** @default feed.language */
  language?: string
  /** Newest stories kept; 0 keeps every story. @default 100 */
  limit?: number
  filter?: OutputFilter
  /** Public URL this output is served at: the feed's self link, and the topic pinged at `publish.hub`. */
  url?: string
  /** RFC 5005 archives: stories past `limit` go to `<name>-archive-N` pages of `pageSize` stories. */
  archive?: { pageSize: number }
}

/** An output with every default filled in. */
export interface ResolvedOutput {
  /** Absolute. */
  path: string
  format: OutputFormat
  title: string
  link: string
  description?: string
  language?: string
  limit: number
  filter?: OutputFilter
  url?: string
  archive?: { pageSize: number }
}
