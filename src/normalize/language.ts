/**
 * The language of one item, where it says otherwise than its feed: an English edition's host (`e.vnexpress.net`,
 * `en.`/`english.` sub-domains, an `/en/` path), or text that reads as English in a Vietnamese feed (or as Vietnamese
 * in an English one). A cheap check — Vietnamese letters against English function words — no model, no library.
 */

import { isNfcSafeUnit } from './text/index.js'

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
/**
 * Per BMP code unit, computed on first sight: known, a word character (`\p{L}`, `\p{M}`, `'`, `’`), a Vietnamese
 * letter, NFC-safe (isNfcSafeUnit), and for an ASCII letter its number 1–26 (above the flags).
 */
const C_KNOWN = 1
const C_WORD = 2
const C_VIETNAMESE = 4
const C_NFC_SAFE = 8
const C_LETTER_SHIFT = 4
const CHAR_CLASS = new Uint16Array(0x10000)
const WORD_CHAR = /^[\p{L}\p{M}'’]$/u

function charClass(code: number): number {
  let c = CHAR_CLASS[code] as number
  if (c === 0) {
    const char = String.fromCharCode(code)
    c = C_KNOWN | (WORD_CHAR.test(char) ? C_WORD : 0) | (VIETNAMESE_LETTER.test(char) ? C_VIETNAMESE : 0)
    if (isNfcSafeUnit(code)) c |= C_NFC_SAFE
    const lower = code | 0x20
    if (code < 0x80 && lower >= 0x61 && lower <= 0x7a) c |= (lower - 0x60) << C_LETTER_SHIFT
    CHAR_CLASS[code] = c
  }
  return c
}

/** A word of ASCII letters as a number (base 32, case folded): the English function words' keys. ENGLISH_WORDS are
 * all lower-case ASCII letters (and short: 32^5 keys fit a small integer). */
const MAX_KEY_LETTERS = Math.max(...[...ENGLISH_WORDS].map((w) => w.length))
function keyOf(word: string): number {
  let key = 0
  for (let i = 0; i < word.length; i++) key = key * 32 + (charClass(word.charCodeAt(i)) >> C_LETTER_SHIFT)
  return key
}
const ENGLISH_KEYS = new Set([...ENGLISH_WORDS].map(keyOf))

/**
 * `vi` or `en` when the text clearly reads as one (at least six words), else undefined. English: at least two and 12%
 * English function words, with Vietnamese letters in under a third of the words (Vietnamese names in English text);
 * Vietnamese: Vietnamese letters in at least a fifth of the words, and few English function words.
 */
export function guessLanguage(text: string): 'vi' | 'en' | undefined {
  // One loop over the sample's code units, no word cut out: a word is an English function word only when it is at
  // most MAX_KEY_LETTERS ASCII letters (lower-casing anything else gives no ASCII word of the list: ENGLISH_WORDS has no k for
  // the Kelvin sign, no dotted i for U+0130), so its key is built as it is read. A sample that NFC could change (a
  // code unit, or the one after the sample, not NFC-safe; surrogates) is read by the reference form.
  const end = Math.min(text.length, SAMPLE_LENGTH)
  if (end < text.length && (charClass(text.charCodeAt(end)) & C_NFC_SAFE) === 0) return guessLanguageSlow(text)
  let total = 0
  let english = 0
  let vietnamese = 0
  let inWord = false
  let viet = false
  let key = 0
  let letters = 0
  for (let i = 0; i <= end; i++) {
    const c = i === end ? C_KNOWN | C_NFC_SAFE : charClass(text.charCodeAt(i))
    if ((c & C_NFC_SAFE) === 0) return guessLanguageSlow(text)
    if ((c & C_WORD) !== 0) {
      if (!inWord) {
        inWord = true
        viet = false
        key = 0
        letters = 0
      }
      if ((c & C_VIETNAMESE) !== 0) viet = true
      const letter = c >> C_LETTER_SHIFT
      if (letter === 0) letters = MAX_KEY_LETTERS + 1
      else if (++letters <= MAX_KEY_LETTERS) key = key * 32 + letter
      continue
    }
    if (!inWord) continue
    inWord = false
    total++
    if (viet) vietnamese++
    else if (letters <= MAX_KEY_LETTERS && ENGLISH_KEYS.has(key)) english++
  }
  return verdict(total, english, vietnamese)
}

function guessLanguageSlow(text: string): 'vi' | 'en' | undefined {
  return guessLanguageOf(text.normalize('NFC').slice(0, SAMPLE_LENGTH))
}

/** guessLanguage's reference form, over a sample already in NFC and cut to length (exported for its tests). */
export function guessLanguageOf(sample: string): 'vi' | 'en' | undefined {
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
