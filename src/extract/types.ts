import type { ErrorCode } from '../errors.js'

/** A per-site extraction rule: CSS selectors into the article page of one host. */
export interface ExtractRule {
  /** host the rule applies to; matches the host and its subdomains ('vnexpress.net' matches 'e.vnexpress.net'). */
  host: string
  /** CSS selector(s) of the article body (first match wins; a comma list is fine). */
  body: string
  /** The sapo (lead paragraph). */
  lead?: string
  title?: string
  byline?: string
  /** element whose text or datetime/content attribute is the publication date */
  date?: string
  /** elements to drop inside the body (related lists, share bars, ads…) */
  remove?: string[]
}

export interface ExtractOptions {
  /** the page's final URL (base for relative links, picks the rule) */
  url: string
  /** config rules: tried BEFORE the shipped ones */
  rules?: readonly ExtractRule[]
  /** plain text the feed already had (the teaser): an extraction with less text than this fails ERR_EXTRACT_TOO_SHORT */
  teaser?: string
}

/** The ERR_EXTRACT_* codes of errors.ts: why a page gave no article. */
export type ExtractErrorCode = Extract<ErrorCode, `ERR_EXTRACT_${string}`>

/** What extraction found on an article page. */
export interface ExtractedArticle {
  /** json-ld = JSON-LD articleBody used as the body */
  method: 'rule' | 'json-ld' | 'readability'
  /** when method === 'rule': the matched rule's host, or `layout:<name>` for a shipped CMS recognised by its markup */
  rule?: string
  /** The article body as HTML: the lead as its first `<p>` once, figures kept, boilerplate removed, no script,
   * style, iframe, form or event attribute; URLs absolute. */
  html: string
  /** sapo, plain text */
  lead?: string
  title?: string
  /** plain text author name(s) */
  byline?: string
  /** the date string as found (JSON-LD datePublished, article:published_time, rule date); normalize parses it */
  published?: string
  /** JSON-LD publisher.name or og:site_name */
  publisher?: string
  /** og:image / JSON-LD image, absolute */
  image?: string
  /** `<link rel=canonical>`, absolute */
  canonical?: string
  /** characters of body text */
  textLength: number
}

export type ExtractResult = ({ ok: true } & ExtractedArticle) | { ok: false; code: ExtractErrorCode; message: string }
