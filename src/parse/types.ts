/** What parseFeed returns: format-neutral; plain text unless a name ends in `Html`; URLs absolute where the
 * document allows; dates as instants (`undefined`, never an Invalid Date). */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json'
  /** The format's version as the document declares it: '2.0', '0.91', '1.0', '0.3', '1.1', … */
  version?: string
  title?: string
  link?: string
  description?: string
  language?: string
  updated?: Date
  items: ParsedItem[]
  /** Non-fatal problems, e.g. ERR_PARSE_TRUNCATED: complete items kept, the rest reported. */
  warnings: { code: string; message: string }[]
}

export interface ParsedMedia {
  url: string
  type?: string
  title?: string
  credit?: string
}

export interface ParsedItem {
  id?: string
  title?: string
  link?: string
  published?: Date
  updated?: Date
  author?: string
  summary?: string
  contentHtml?: string
  categories: string[]
  enclosures: { url: string; type?: string; length?: number }[]
  source?: { title?: string; url?: string }
  media: ParsedMedia[]
  /** The date strings as given, for normalize/ to re-read (day-first, zone-less, Vietnamese forms). */
  raw: { published?: string; updated?: string }
}

export interface ParseOptions {
  /** The document's URL: base for relative links. */
  url?: string
  /** HTTP Content-Type, used for the charset of byte input and to tell JSON Feed from XML. */
  contentType?: string
  /** Zone in which zone-less dates are read. @default 'Asia/Ho_Chi_Minh' */
  timeZone?: string
  /** Refuse documents larger than this many characters/bytes. @default 15 MiB */
  maxSize?: number
}
