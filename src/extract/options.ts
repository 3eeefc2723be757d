/**
 * The full-text options: when an item's article page is fetched, how many pages a run may fetch, and how a failed
 * page is retried on later runs. The config's `extract` group, and `AggregatorOptions.extract`.
 */

/** When to fetch an item's page: `auto` for teasers only, `always` for every item with a link, `never`. */
export type FullTextMode = 'auto' | 'always' | 'never'

export interface FullTextOptions {
  /** When to fetch the article page of an item (a source's own `fullText` wins). @default 'auto' */
  fullText?: FullTextMode
  /**
   * `auto`: an item is a teaser when the text of its body (`content:encoded`, else the description) is shorter than
   * this many characters, or ends in `…` / `...`. @default 400
   */
  teaserLength?: number
  /** Page fetches one run may start; past it the items stay as the feed gave them (ERR_PAGE_BUDGET). @default 1000 */
  pagesPerRun?: number
  /** Page fetches one run may start to one host. @default 200 */
  pagesPerHost?: number
  /** Honour robots.txt (read once per host per run) for page fetches. @default true */
  robots?: boolean
  /** Largest page body in bytes. @default 5 MiB */
  pageMaxBytes?: number
  /** After a page failed, it is not fetched again for this long; the wait doubles with each failure. @default 6 hours */
  retryMs?: number
  /** Failed attempts after which a page is no longer fetched (the item keeps the feed's text). @default 4 */
  maxAttempts?: number
  /**
   * A page's stored state (`page:<link>`: its extraction, or its failure and back-off) is forgotten once no feed has
   * listed its link for this long, so the store stays bounded; should the link come back, the page is fetched once
   * more. 0 keeps every page state. @default 30 days
   */
  keepPagesMs?: number
  /**
   * Pages saved to disk, read instead of the web: a URL prefix → a directory (relative to `baseDir`). A page under
   * the prefix is the file at the rest of its path (`.html` added when the path has no extension). For trying rules
   * offline, and for the bundled example. @default {}
   */
  localPages?: Record<string, string>
}

export type ResolvedFullTextOptions = Required<FullTextOptions>

export const FULL_TEXT_DEFAULTS: Readonly<ResolvedFullTextOptions> = Object.freeze({
  /** @default 'auto' */
  fullText: 'auto',
  /** @default 400 */
  teaserLength: 400,
  /** @default 1000 */
  pagesPerRun: 1000,
  /** @default 200 */
  pagesPerHost: 200,
  /** @default true */
  robots: true,
  /** @default 5 MiB */
  pageMaxBytes: 5 * 1024 * 1024,
  /** @default 6 hours */
  retryMs: 6 * 3_600_000,
  /** @default 4 */
  maxAttempts: 4,
  /** @default 30 days */
  keepPagesMs: 30 * 86_400_000,
  /** @default {} */
  localPages: {},
} satisfies ResolvedFullTextOptions)

/**
 * Fill in the defaults (the JSON Schema has checked the types and ranges); `localPages` directories are made
 * absolute with `absolute`.
 */
export function resolveFullTextOptions(
  options: FullTextOptions = {},
  absolute: (path: string) => string = (path) => path,
): ResolvedFullTextOptions {
  const out: ResolvedFullTextOptions = { ...FULL_TEXT_DEFAULTS }
  for (const key of Object.keys(FULL_TEXT_DEFAULTS) as (keyof ResolvedFullTextOptions)[]) {
    const value = options[key]
    if (value !== undefined) (out as Record<string, unknown>)[key] = value
  }
  out.localPages = Object.fromEntries(Object.entries(out.localPages).map(([prefix, dir]) => [prefix, absolute(dir)]))
  return out
}
