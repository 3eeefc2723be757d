/**
 * The language of one item, where it says otherwise than its feed: an English edition's host (`e.vnexpress.net`,
 * `en.`/`english.` sub-domains, an `/en/` path), or text that reads as English in a Vietnamese feed (or as Vietnamese
 * in an English one). A cheap check — Vietnamese letters against English function words — no model, no library.
 */

/** Hosts of English-only editions (their sub-domains too). */
const ENGLISH_HOSTS = ['e.vnexpress.net', 'vietnamnews.vn', 'tuoitrenews.vn']

/** `en` when the URL is an English edition's; undefined when it says nothing. */
export function languageOfUrl(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  const host = parsed.hostname.toLowerCase().replace(/^www\./, '')
  if (ENGLISH_HOSTS.some((h) => host === h || host.endsWith(`.${h}`))) return 'en'
  if (/^(?:en|english)\./.test(host)) return 'en'
  if (/^\/en(?:\/|$)/i.test(parsed.pathname)) return 'en'
  return undefined
}

/** Letters only Vietnamese uses among Latin scripts. */
const VIETNAMESE_LETTER = /[ăâđêôơưĂÂĐÊÔƠƯ\u1EA0-\u1EF9]/
/** English function words that are not also Vietnamese syllables ("to", "an", "in" are). */
const ENGLISH_WORDS = new Set(
  'the of and is are was were for on with at by from that this its be been has have had will would after over says said their they it as or not which who than into'.split(
    ' ',
  ),
)
const MIN_WORDS = 6

/**
 * `vi` or `en` when the text clearly reads as one (at least six words), else undefined. English: at least two and 12%
 * English function words, with Vietnamese letters in under a third of the words (Vietnamese names in English text);
 * Vietnamese: Vietnamese letters in at least a fifth of the words, and few English function words.
 */
export function guessLanguage(text: string): 'vi' | 'en' | undefined {
  const words = text
    .normalize('NFC')
    .slice(0, 1000)
    .split(/[^\p{L}\p{M}'’]+/u)
  let total = 0
  let english = 0
  let vietnamese = 0
  for (const word of words) {
    if (word === '') continue
    total++
    if (VIETNAMESE_LETTER.test(word)) vietnamese++
    else if (ENGLISH_WORDS.has(word.toLowerCase())) english++
  }
  if (total < MIN_WORDS) return undefined
  if (english >= 2 && english / total >= 0.12 && vietnamese / total < 0.34) return 'en'
  if (vietnamese / total >= 0.2 && english / total < 0.05) return 'vi'
  return undefined
}

/** `vi-VN` → `vi`. */
export function primaryLanguage(tag: string | undefined): string | undefined {
  return tag?.split('-')[0]?.toLowerCase()
}
