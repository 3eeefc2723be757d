import { type FetchOptions, type FetchResult, fetchFeed } from '../fetch/index.js'
import { scanTags, textAfter } from './markup.js'
import type { DiscoveredFeed } from './types.js'

export interface DiscoverOptions extends FetchOptions {
  /**
   * Probe common feed paths (`/rss`, `/feed`, `/rss/home.rss`, …) on the page's origin: `auto` only when the page
   * names no feed, `always`, or `never`. @default 'auto'
   */
  probe?: 'auto' | 'always' | 'never'
}

/** Paths tried on the page's origin; Vietnamese portals favour /rss and /rss/home.rss. */
export const PROBE_PATHS = [
  '/rss',
  '/rss/home.rss',
  '/rss.xml',
  '/feed',
  '/feed.xml',
  '/atom.xml',
  '/index.xml',
  '/feed.json',
  '/rss/tin-moi-nhat.rss',
  '/rss/trang-chu.rss',
] as const

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
])
/** Types that are a feed only when the href says so (`hreflang` alternates are HTML pages). */
const GENERIC_TYPES = new Set(['application/json', 'application/xml', 'text/xml'])

const HTML_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1'

/**
 * Feeds of a web page: `<link rel="alternate">` elements for RSS / Atom / JSON Feed, `<a>` links to `.rss` files,
 * and (see `probe`) common paths that answer with a feed. The page and every probe go through fetchFeed, with the
 * same SSRF guard and limits. Throws the FetchError of the page itself; failed probes are ignored.
 */
export async function discoverFeeds(pageUrl: string, options: DiscoverOptions = {}): Promise<DiscoveredFeed[]> {
  const { probe = 'auto', ...fetchOptions } = options
  const page = await fetchFeed(pageUrl, {
    ...fetchOptions,
    headers: { accept: HTML_ACCEPT, ...fetchOptions.headers },
  })
  const text = page.text ?? ''
  const self = sniffFeed(text)
  if (self) {
    const title = feedTitle(text)
    return [{ url: page.url, type: self, via: 'self', ...(title ? { title } : {}) }]
  }

  const found = new Map<string, DiscoveredFeed>()
  for (const feed of linkedFeeds(text, page.url)) if (!found.has(feed.url)) found.set(feed.url, feed)

  if (probe === 'always' || (probe === 'auto' && found.size === 0)) {
    const origin = new URL(page.url).origin
    const results = await Promise.all(
      PROBE_PATHS.map((path) => probeFeed(`${origin}${path}`, fetchOptions).catch(() => undefined)),
    )
    for (const result of results) {
      if (!result) continue
      const type = sniffFeed(result.text ?? '')
      if (!type || found.has(result.url)) continue
      const title = feedTitle(result.text ?? '')
      found.set(result.url, { url: result.url, type, via: 'probe', ...(title ? { title } : {}) })
    }
  }
  return [...found.values()]
}

function probeFeed(url: string, options: FetchOptions): Promise<FetchResult> {
  return fetchFeed(url, { ...options, retries: 0, maxBytes: Math.min(options.maxBytes ?? 2 ** 21, 2 ** 21) })
}

/** Feeds the HTML names: `<link rel="alternate" type="…rss…">` and `<a href="….rss">`. */
export function linkedFeeds(html: string, pageUrl: string): DiscoveredFeed[] {
  let base = pageUrl
  const feeds: DiscoveredFeed[] = []
  const resolve = (href: string) => {
    try {
      const url = new URL(href.trim(), base)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
      url.hash = ''
      return url.href
    } catch {
      return undefined
    }
  }
  for (const tag of scanTags(html, { html: true })) {
    if (tag.kind !== 'start') continue
    const { attributes } = tag
    if (tag.name === 'base' && attributes.href) {
      base = resolve(attributes.href) ?? base
      continue
    }
    if (tag.name === 'link') {
      const rel = (attributes.rel ?? '').toLowerCase().split(/\s+/)
      const type = (attributes.type ?? '').toLowerCase().split(';')[0]!.trim()
      if (!rel.includes('alternate') || !attributes.href) continue
      const named = FEED_TYPES.has(type)
      const generic = GENERIC_TYPES.has(type) && looksLikeFeedHref(attributes.href)
      if (!named && !generic) continue
      const url = resolve(attributes.href)
      if (!url) continue
      const title = attributes.title?.trim()
      feeds.push({ url, type, via: 'link', ...(title ? { title } : {}) })
      continue
    }
    if (tag.name === 'a' && attributes.href && /\.(rss|atom)(\?|#|$)/i.test(attributes.href.trim())) {
      const url = resolve(attributes.href)
      if (!url) continue
      const title = (attributes.title ?? textAfter(html, tag.end)).trim()
      feeds.push({ url, type: 'application/rss+xml', via: 'link', ...(title ? { title } : {}) })
    }
  }
  return feeds
}

function looksLikeFeedHref(href: string): boolean {
  return /rss|atom|feed|\.xml|\.json/i.test(href)
}

/** The MIME type of a feed body, or undefined when the text is not a feed. */
export function sniffFeed(text: string): string | undefined {
  const head = text.slice(0, 4096).replace(/^\ufeff/, '')
  const trimmed = head.trimStart()
  if (trimmed.startsWith('{')) {
    return /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\//.test(head) ? 'application/feed+json' : undefined
  }
  // Skip the prolog, comments, doctype and processing instructions, then look at the root element.
  const root = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*<([A-Za-z_][\w:.-]*)/i.exec(head)?.[1]
  if (!root) return undefined
  const name = root.toLowerCase()
  if (name === 'rss') return 'application/rss+xml'
  if (name === 'feed') return 'application/atom+xml'
  if (name === 'rdf:rdf' || name.endsWith(':rdf')) return 'application/rdf+xml'
  return undefined
}

function feedTitle(text: string): string | undefined {
  if (text.trimStart().startsWith('{')) {
    try {
      const title = (JSON.parse(text) as { title?: unknown }).title
      return typeof title === 'string' && title.trim() ? title.trim() : undefined
    } catch {
      return undefined
    }
  }
  for (const tag of scanTags(text.slice(0, 65536))) {
    if (tag.kind === 'start' && tag.name.toLowerCase() === 'title') {
      const title = textAfter(text, tag.end)
      return title || undefined
    }
  }
  return undefined
}
