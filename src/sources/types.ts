import type { SourceRules } from '../types.js'

/** One source as written in the config. */
export interface SourceConfig {
  /** `http(s):` URL, `file:` URL, or a local path (resolved against the config's directory). */
  url: string
  /** Stable id; derived from the URL when absent. */
  id?: string
  name?: string
  credit?: string
  /** IANA zone for zone-less dates of this source. */
  timeZone?: string
  rules?: SourceRules
  /** The site's home page (OPML `htmlUrl`). */
  siteUrl?: string
  /** When to fetch this feed's article pages: `auto` (teasers only), `always`, `never`. @default extract.fullText */
  fullText?: 'auto' | 'always' | 'never'
}

/** What `sources` may be in the options: a list, or an OPML file (path or http(s) URL). */
export type SourcesInput = (string | SourceConfig)[] | { opml: string }

export interface ResolveSourcesOptions {
  /** Directory relative paths are resolved against (the config file's). @default process.cwd() */
  baseDir?: string
  /** Dotted prefix of the paths in ConfigErrors. @default 'sources' */
  path?: string
  /** The config file, for ConfigErrors. */
  file?: string
}

export interface ReadOpmlOptions {
  /** The OPML file, for ConfigErrors. */
  file?: string
}

export interface WriteOpmlOptions {
  /** `<head><title>`. @default 'tonghop sources' */
  title?: string
  /** `<head><dateCreated>`. @default now */
  dateCreated?: Date
}

export interface DiscoveredFeed {
  /** Absolute feed URL. */
  url: string
  title?: string
  /** MIME type from the link, or sniffed from a probed body: `application/rss+xml`, `application/atom+xml`, … */
  type?: string
  /** `link`: named by the page (`<link rel="alternate">` or an `<a>` to a .rss file); `probe`: a common path that
   * answered with a feed; `self`: the URL given is itself a feed. */
  via: 'link' | 'probe' | 'self'
}
