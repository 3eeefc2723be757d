/**
 * The language of one item, where it says otherwise than its feed: an English edition's host (`e.vnexpress.net`,
 * `en.`/`english.` sub-domains, an `/en/` path), or text that reads as English in a Vietnamese feed (or as Vietnamese
 * in an English one). A cheap check — Vietnamese letters against English function words — no model, no library.
 */

import { nfcStableUpTo } from './text/index.js'

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

/** What guessLanguage reads of a text: its first this many characters (after NFC). */
const SAMPLE_LENGTH = 1000
/** Per BMP code unit, computed on first sight: a word character (`\p{L}`, `\p{M}`, `'`, `’`), a Vietnamese letter. */
const C_KNOWN = 1
const C_WORD = 2
const C_VIETNAMESE = 4
const CHAR_CLASS = new Uint8Array(0x10000)
const WORD_CHAR = /^[\p{L}\p{M}'’]$/u
const LONGEST_ENGLISH_WORD = Math.max(...[...ENGLISH_WORDS].map((w) => w.length))

function charClass(code: number): number {
  let c = CHAR_CLASS[code] as number
  if (c === 0) {
    const char = String.fromCharCode(code)
    c = C_KNOWN | (WORD_CHAR.test(char) ? C_WORD : 0) | (VIETNAMESE_LETTER.test(char) ? C_VIETNAMESE : 0)
    CHAR_CLASS[code] = c
  }
  return c
}

/**
 * `vi` or `en` when the text clearly reads as one (at least six words), else undefined. English: at least two and 12%
 * English function words, with Vietnamese letters in under a third of the words (Vietnamese names in English text);
 * Vietnamese: Vietnamese letters in at least a fifth of the words, and few English function words.
 */
export function guessLanguage(text: string): 'vi' | 'en' | undefined {
  // One loop over the sample's code units, the words never cut out but the few that could be English function
  // words; text that NFC would change in the sample, or with surrogates (astral letters), is read as before.
  if (!nfcStableUpTo(text, SAMPLE_LENGTH)) return guessLanguageOf(text.normalize('NFC').slice(0, SAMPLE_LENGTH))
  const end = Math.min(text.length, SAMPLE_LENGTH)
  let total = 0
  let english = 0
  let vietnamese = 0
  let start = -1
  let viet = false
  for (let i = 0; i <= end; i++) {
    const code = i === end ? 0x20 : text.charCodeAt(i)
    if (code >= 0xd800 && code <= 0xdfff) return guessLanguageOf(text.slice(0, SAMPLE_LENGTH))
    const c = charClass(code)
    if ((c & C_WORD) !== 0) {
      if (start === -1) {
        start = i
        viet = false
      }
      if ((c & C_VIETNAMESE) !== 0) viet = true
      continue
    }
    if (start === -1) continue
    total++
    if (viet) vietnamese++
    else if (i - start <= LONGEST_ENGLISH_WORD && ENGLISH_WORDS.has(text.slice(start, i).toLowerCase())) english++
    start = -1
  }
  return verdict(total, english, vietnamese)
}

/** guessLanguage's reference form, over a sample already in NFC and cut to length. */
function guessLanguageOf(sample: string): 'vi' | 'en' | undefined {
  const words = sample.split(/[^\p{L}\p{M}'’]+/u)
  let total = 0
  let english = 0
  let vietnamese = 0
  for (const word of words) {
    if (word === '') continue
    total++
    if (VIETNAMESE_LETTER.test(word)) vietnamese++
    else if (ENGLISH_WORDS.has(word.toLowerCase())) english++
  }
  return verdict(total, english, vietnamese)
}

function verdict(total: number, english: number, vietnamese: number): 'vi' | 'en' | undefined {
  if (total < MIN_WORDS) return undefined
  if (english >= 2 && english / total >= 0.12 && vietnamese / total < 0.34) return 'en'
  if (vietnamese / total >= 0.2 && english / total < 0.05) return 'vi'
  return undefined
}

/** `vi-VN` → `vi`. */
export function primaryLanguage(tag: string | undefined): string | undefined {
  return tag?.split('-')[0]?.toLowerCase()
}
