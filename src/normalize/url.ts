/**
 * Canonical article URLs: absolute, http(s) only, host lower-cased, default port, credentials and fragment dropped,
 * tracking parameters removed, percent-escapes upper-cased. Idempotent. The query keeps its order and its encoding
 * otherwise (a server may care); dedupe/ folds further for its keys.
 */

/** Query parameters that only track the click, never select content. Compared lower-cased. */
const TRACKING_PARAMS = new Set([
  // Facebook, Google, Microsoft, Yandex, TikTok, Twitter/X, LinkedIn, Instagram
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'ttclid',
  'twclid',
  'li_fat_id',
  'igshid',
  'igsh',
  // Zalo (Vietnam's main messenger appends these when a link is shared)
  'zarsrc',
  'gidzl',
  // Mailchimp, HubSpot, Marketo, Google Analytics linker, Vero, Olytics
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  '__hstc',
  '__hssc',
  '__hsfp',
  'hsctatracking',
  'mkt_tok',
  '_ga',
  '_gl',
  'vero_id',
  'vero_conv',
  'oly_anon_id',
  'oly_enc_id',
  // Twitter's "ref_src", Reddit/others' share markers
  'ref_src',
  'ref_url',
])

/** `utm_source`, `utm_medium`, …, and Matomo/Piwik campaign parameters. */
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_']

function isTracking(rawKey: string): boolean {
  let key: string
  try {
    key = decodeURIComponent(rawKey.replace(/\+/g, ' ')).toLowerCase()
  } catch {
    key = rawKey.toLowerCase()
  }
  return TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((prefix) => key.startsWith(prefix))
}

const MAX_URL_LENGTH = 8192

function parse(url: string, base?: string): URL | undefined {
  let value = url.trim()
  // `&amp;` in a URL is an escaping slip (often doubled): the link meant `&`.
  while (/&amp;/i.test(value)) value = value.replace(/&amp;/gi, '&')
  if (value === '' || value.length > MAX_URL_LENGTH) return undefined
  try {
    return new URL(value, base === undefined || base === '' ? undefined : base)
  } catch {
    // an unusable base: the URL may still be absolute on its own
    if (base === undefined) return undefined
    try {
      return new URL(value)
    } catch {
      return undefined
    }
  }
}

/** `url` made absolute against `base`, http(s) only, without rewriting anything else. */
export function absoluteUrl(url: string, base?: string): string | undefined {
  if (typeof url !== 'string') return undefined
  const parsed = parse(url, base)
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
    return undefined
  }
  return parsed.href
}

/**
 * Canonical form of an article URL, resolved against `base` (the item's feed or site). `undefined` when it is not
 * an http(s) URL. A `#!` fragment (hash-bang routing) names the page and is kept; other fragments are dropped.
 */
export function canonicalUrl(url: string, base?: string): string | undefined {
  if (typeof url !== 'string') return undefined
  const parsed = parse(url, base)
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return undefined
  if (parsed.hostname === '') return undefined
  // Each URL setter re-serializes the whole URL: only the ones that change something are called.
  if (parsed.username !== '') parsed.username = ''
  if (parsed.password !== '') parsed.password = ''
  if (parsed.hostname.endsWith('.') && parsed.hostname.length > 1) parsed.hostname = parsed.hostname.replace(/\.+$/, '')
  // An empty fragment (`…#`) reads as '' too; `#` appears in a serialized URL only as the fragment's mark.
  if (!parsed.hash.startsWith('#!') && (parsed.hash !== '' || parsed.href.includes('#'))) parsed.hash = ''
  const search = parsed.search
  if (search !== '') {
    const kept = search
      .slice(1)
      .split('&')
      .filter((pair) => pair !== '' && !isTracking(pair.split('=', 1)[0] ?? ''))
    const next = kept.length === 0 ? '' : `?${kept.join('&')}`
    if (next !== search) parsed.search = next
  } else {
    // `?` with nothing after it is the same URL as none: setting '' drops the `?` (`?` appears in a serialized URL
    // only as the query's mark, or inside a kept `#!` fragment).
    const href = parsed.href
    const question = href.indexOf('?')
    const fragment = href.indexOf('#')
    if (question !== -1 && (fragment === -1 || question < fragment)) parsed.search = ''
  }
  // Lower-case percent-escapes are the same URL as upper-case ones.
  const href = parsed.href.includes('%')
    ? parsed.href.replace(/%[0-9a-f]{2}/gi, (hex) => hex.toUpperCase())
    : parsed.href
  return href
}
