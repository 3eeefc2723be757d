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
  /** Plain text: Atom `rights` (a text construct, RFC 4287 §4.2.10; Atom 0.3 `copyright`), RSS `copyright`,
   * `dc:rights`. */
  rights?: string
  updated?: Date
  items: ParsedItem[]
  /** Non-fatal problems, e.g. ERR_PARSE_TRUNCATED: complete items kept, the rest reported. */
  warnings: { code: string; message: string }[]
}

export interface ParsedMedia {
  url: string
  /** MIME type as given (`image/jpeg`). */
  type?: string
  /** From media:title (the element's own, else its group's or item's). */
  title?: string
  /** From media:credit (the element's own, else its group's or item's); several joined with ", ". */
  credit?: string
  /** media:content `medium` (`image`, `video`, `audio`, …); `image` for media:thumbnail. */
  medium?: string
  /** Set for media:thumbnail. */
  thumbnail?: true
}

export interface ParsedItem {
  /** RSS guid, Atom id, JSON Feed id (as given, trimmed). */
  id?: string
  /** Plain text: entities decoded (twice when the feed escaped twice), unescaped markup dropped, whitespace collapsed. */
  title?: string
  /** Absolute where the document allows (xml:base, then `options.url`, then the feed's own link). */
  link?: string
  /** Only from a strict, unambiguous date (RFC 822 with a zone, ISO 8601 with an offset); see `raw`. */
  published?: Date
  updated?: Date
  /** RSS author (name taken out of `mail (Name)`), dc:creator, Atom author names, JSON Feed authors; joined ", ". */
  author?: string
  /**
   * Plain text. Where feeds put HTML in the description (most RSS), the rule is:
   * - description is plain text → `summary`;
   * - description is HTML and the item has a body (content:encoded, Atom content, JSON content_html/content_text)
   *   → `summary` is the description's text with tags stripped, entities decoded;
   * - description is HTML and there is no body → the description IS the body: it goes to `contentHtml` and
   *   `summary` is left out (normalize/ derives its lead from the body).
   */
  summary?: string
  /** content:encoded; Atom content (html, xhtml, base64 decoded; text content as escaped `<p>` paragraphs); JSON
   * content_html (or content_text as paragraphs); else an HTML description. As the feed wrote it: not sanitized,
   * relative URLs kept (see `baseUrl`), control characters kept — normalize/ cleans all of that. */
  contentHtml?: string
  /** RSS category, Atom category label (else term), dc:subject, JSON tags; unique, in order. */
  categories: string[]
  /** Every RSS enclosure, Atom link rel="enclosure", JSON attachment; `length` only when a positive integer. */
  enclosures: { url: string; type?: string; length?: number }[]
  /** RSS `<source url>`, Atom `<source>` (its title and alternate link or id). */
  source?: { title?: string; url?: string }
  media: ParsedMedia[]
  /** The date strings as given, for normalize/ to re-read (day-first, zone-less, Vietnamese forms). Always set when
   * the feed has the field, even when `published`/`updated` could be read. */
  raw: { published?: string; updated?: string }
  /** The item's own language, when it declares one (`xml:lang` on the item/entry, `dc:language`), as given. */
  language?: string
  /** Base URL for relative links inside `contentHtml` (xml:base in effect at the body, else the document URL, else
   * the feed's own site link). */
  baseUrl?: string
}

export interface ParseOptions {
  /** The document's URL: base for relative links. */
  url?: string
  /** The response's `Content-Location` header. Resolved against `url` (RFC 7231 §3.1.4.2: a relative value is
   * relative to the request URL), an http(s) value is the base of relative links instead of `url`, as feedparser
   * reads it; `xml:base` inside the document still applies over it. RFC 7231 no longer makes it a base, but the
   * servers that send a Content-Location different from the request URL send the document's real address. */
  contentLocation?: string
  /** HTTP Content-Type, used for the charset of byte input and to tell JSON Feed from XML. */
  contentType?: string
  /** Charset label for byte input that wins over the Content-Type and the document's declaration (a BOM still
   * wins): for a source known to serve a Vietnamese font encoding (`tcvn3`, `vni`) under a latin-1 label. An
   * unknown label is ignored. */
  charset?: string
  /** Zone in which zone-less dates are read. parse/ itself fills dates only from forms that carry their zone and
   * leaves zone-less ones (in `raw`) to normalize/, so this is accepted for symmetry and passed on by callers.
   * @default 'Asia/Ho_Chi_Minh' */
  timeZone?: string
  /** Refuse documents larger than this many bytes (Uint8Array) or UTF-16 code units (string) with
   * ERR_PARSE_TOO_LARGE. @default 15 MiB */
  maxSize?: number
  /** Deepest element nesting read; deeper input stops the parse there (complete items kept, a warning
   * ERR_PARSE_TOO_DEEP added). Guards the stack and the time against hostile documents. @default 256 */
  maxDepth?: number
}
