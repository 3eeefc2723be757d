import type { Article, ArticleCredit } from '../types.js'
import { fastFold } from './fold.js'
import { digest } from './hash.js'

/** Query parameters that never change what a page shows (tracking, campaign, share ids). */
const TRACKING =
  /^(utm_.*|fbclid|gclid|dclid|msclkid|yclid|zarsrc|zalo_.*|igshid|mc_cid|mc_eid|_ga|ref|ref_src|source|src|rss|from|cmpid|ocid|share|sharer)$/i

/**
 * Fold a URL further than the canonical URL, for matching only: scheme dropped (http = https), host lower-cased
 * without `www.`/`m.`/`amp.`, default ports, fragment, tracking parameters, `index.html`-like endings and trailing
 * slashes removed, remaining parameters sorted. Not a URL any more: `baothaibinh.com.vn/tin/abc-123?id=1`.
 * A string that does not parse as a URL is returned trimmed and lower-cased.
 */
export function foldUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    return value.trim().toLowerCase()
  }
  let host = url.hostname.toLowerCase().replace(/\.$/, '')
  host = host.replace(/^(?:www\d*|m|mobile|amp)\./, '')
  const port = url.port && url.port !== '80' && url.port !== '443' ? `:${url.port}` : ''
  let path = url.pathname.replace(/\/+/g, '/')
  path = path.replace(/\/(?:index|default)\.(?:html?|php|aspx?)$/i, '/').replace(/\/amp\/?$/i, '/')
  path = path.replace(/\/+$/, '')
  const params = [...url.searchParams]
    .filter(([k]) => !TRACKING.test(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const query = params.length > 0 ? `?${params.map(([k, v]) => `${k}=${v}`).join('&')}` : ''
  let decoded = path
  try {
    decoded = decodeURI(path)
  } catch {}
  return `${host}${port}${decoded.normalize('NFC')}${query}`
}

/** Host of a URL without `www.`/`m.`, or undefined. */
export function foldHost(value: string | undefined): string | undefined {
  if (!value) return undefined
  try {
    return new URL(value).hostname.toLowerCase().replace(/^(?:www\d*|m|mobile|amp)\./, '')
  } catch {
    return undefined
  }
}

/** The folded body text an exact content key and the near-duplicate fingerprint are computed from. */
export function bodyText(article: Article): string {
  if (article.text.length > 0) return article.text.join('\n')
  return article.summary ?? ''
}

/** Keys that identify this very article (not a copy): per-source guid and folded URL. */
export function identityKeys(article: Article): string[] {
  const keys = [`u:${foldUrl(article.url)}`]
  if (article.guid) keys.unshift(`g:${article.source.id}:${article.guid.trim()}`)
  return keys
}

/**
 * Hash of the folded body (its `digest()`, from analyse()): any copy with the same text (whatever its markup, Unicode
 * form, tone placement or punctuation) has the same key. Undefined for bodies shorter than `minWords` (titles-only
 * items would collide).
 */
export function contentKey(bodyDigest: string, words: number, minWords: number): string | undefined {
  if (words < minWords) return undefined
  return `h:${bodyDigest}`
}

/** Hash of the folded title and body: changes when the article is edited. */
export function versionHash(article: Article): string {
  return digest(`${fastFold(article.title)}\n${fastFold(bodyText(article))}`)
}

const DOMAIN_IN_TEXT = /(?:[a-z0-9-]+\.)+(?:vn|com|net|org|info|gov|edu)\b/i
const CREDIT_PREFIX = /^\s*\(?\s*(?:theo|nguồn|nguon)\s*:?\s*/i

/** The domain a credit names (its own, else one in its text), lower-cased without `www.`/`m.`. */
export function creditDomain(credit: ArticleCredit): string | undefined {
  return (credit.domain ?? DOMAIN_IN_TEXT.exec(credit.text)?.[0])?.toLowerCase().replace(/^(?:www\d*|m)\./, '')
}

/** The name a credit names: its own, else its text without the `Theo` / `Nguồn:` prefix. */
export function creditName(credit: ArticleCredit): string {
  return (credit.name ?? credit.text.replace(CREDIT_PREFIX, '')).trim()
}
