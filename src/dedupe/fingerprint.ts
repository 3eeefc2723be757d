import { hashPair } from '../internal/hash-pair.js'
import { findOutlet, outletKey } from '../normalize/index.js'
import type { Article, ArticleCredit } from '../types.js'
import { fastFold, foldCodes, foldedCodes } from './fold.js'
import { combine, decodeU32, digestCodes, encodeU32, fmix32 } from './hash.js'
import { bodyText, creditDomain, creditName, foldHost } from './keys.js'

/** Words per shingle (Vietnamese words are syllables: 4 syllables ≈ 2 words). */
export const SHINGLE = 4
/** MinHash bins (one-permutation hashing with rotation densification). */
export const BINS = 64
/** LSH: BANDS bands of ROWS bins each (BANDS × ROWS ≤ BINS). */
export const BANDS = 16
export const ROWS = 4
/** Anchors: shingles whose hash is ≡ 0 mod ANCHOR_MOD are sampled, the same ones in every text containing them. */
const ANCHOR_MOD = 4
const MAX_ANCHORS = 64
/** Lead buckets: a small MinHash over the first LEAD_WORDS words, banded, so excerpts find their original. */
const LEAD_WORDS = 30
const LEAD_BINS = 16
const LEAD_BANDS = 4
const LEAD_ROWS = 4
const MAX_SET = 128
/** Only the first MAX_WORDS words of a body are fingerprinted (copies share their beginning; cost stays flat). */
export const MAX_WORDS = 500

/** What dedupe remembers of one copy: compact, JSON-serialisable. */
export interface CopyPrint {
  /** Article id. */
  a: string
  /** Folded title. */
  t: string
  /** MinHash signature, base64 of BINS little-endian uint32. */
  s: string
  /** Anchor hashes in text order (containment), base64 uint32. */
  x: string
  /** Numbers of title and body, in text order (at most MAX_SET). */
  n: string[]
  /** Day/month dates (`9/3`, from `09/03/2017` or `9-3`), in text order (at most MAX_SET). */
  d: string[]
  /** Folded named entities of the body (capitalised word runs), in text order (at most MAX_SET). */
  e: string[]
  /** Words in the folded body. */
  w: number
  /** Published, ms. */
  p: number
  /** Hosts the copy came from (its URL, the feed's site and feed URL, without `www.`): for credit matching. */
  o?: string[]
  /** The feed's title, folded: for credit matching by name. */
  sn?: string
  /** The outlet that carried the copy (outletOf()): for credited rewrites. */
  ko?: string
  /** The outlet its credit names (outletOf()), when it credits one. */
  kc?: string
}

/** A fingerprint with its decoded arrays, ready to compare. */
export interface Print {
  id: string
  title: string
  titleWords: Set<string>
  sig: Uint32Array
  anchors: Set<number>
  anchorCount: number
  numbers: string[]
  dates: string[]
  entities: string[]
  words: number
  published: number
  /** CopyPrint.ko / kc. */
  outlet?: string
  credited?: string
}

export interface Analysed {
  print: Print
  copy: CopyPrint
  /** Digest of the folded body (`digest()` of it): the exact content key's basis. */
  bodyDigest: string
  /** Buckets the article is indexed under (stored with its story). */
  buckets: string[]
  /** Buckets looked up to find its candidates: `buckets`, with the credit buckets of the other kind (creditBuckets). */
  probes: string[]
}

const NUMBER = /\d+(?:[.,]\d+)*/g

export function extractNumbers(text: string): string[] {
  return numbersAt(text).values
}

/** extractNumbers(), with where each number ends in `text`: the numbers of a prefix are a prefix of them. */
function numbersAt(text: string): { values: string[]; ends: number[] } {
  const values: string[] = []
  const ends: number[] = []
  for (const match of text.matchAll(NUMBER)) {
    values.push(match[0].replace(/[.,]/g, '').replace(/^0+(?=\d)/, ''))
    ends.push(match.index + match[0].length)
    if (values.length >= MAX_SET) break
  }
  return { values, ends }
}

/** The numbers (or names) of `found` that end within the first `length` characters of its text. */
function within(found: { values: string[]; ends: number[] }, length: number): string[] {
  let k = 0
  while (k < found.ends.length && (found.ends[k] as number) <= length) k++
  return found.values.slice(0, k)
}

const DATE = /(?<![\d/.-])(\d{1,2})[/-](\d{1,2})(?:[/-]\d{2,4})?(?![\d/-])/g

/** Day/month dates: templates (bulletins) that differ only in their date stay apart. */
export function extractDates(text: string): string[] {
  const out: string[] = []
  for (const match of text.matchAll(DATE)) {
    const day = Number(match[1])
    const month = Number(match[2])
    if (day < 1 || day > 31 || month < 1 || month > 12) continue
    out.push(`${day}/${month}`)
    if (out.length >= MAX_SET) break
  }
  return out
}

const LEADING = '("“«\'‘['
const BREAK_AFTER = '.!?;:…"”)»,'
/** Classes of code units below CLASSES_SIZE, for entitiesAt(): one table lookup per character. */
const UPPER = 1
const LEAD = 2
const BREAK = 4
const SPACE = 8
const CLASSES_SIZE = 0x2100
let classes: Uint8Array | undefined

/** Upper-case letters (the Latin and Vietnamese ranges, below 0x2000), LEADING, BREAK_AFTER and isSpace() codes. */
function classTable(): Uint8Array {
  const t = new Uint8Array(CLASSES_SIZE)
  for (let c = 0; c < 0x2000; c++) {
    const ch = String.fromCharCode(c)
    if (ch !== ch.toLowerCase()) t[c] = UPPER
  }
  for (const ch of LEADING) t[ch.charCodeAt(0)] = (t[ch.charCodeAt(0)] as number) | LEAD
  for (const ch of BREAK_AFTER) t[ch.charCodeAt(0)] = (t[ch.charCodeAt(0)] as number) | BREAK
  for (const code of [32, 10, 9, 13, 0xa0]) t[code] = (t[code] as number) | SPACE
  return t
}

/** The classes of a code unit (none from CLASSES_SIZE up). */
function classOf(table: Uint8Array, code: number): number {
  return code < CLASSES_SIZE ? (table[code] as number) : 0
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 || code === 0xa0
}

/** Runs of two or more capitalised words (names of people, places, bodies), folded. */
export function extractEntities(text: string): string[] {
  return entitiesAt(text).values
}

/** The words of the current run in entitiesAt(): start and end of each, in pairs. */
let runBounds: number[] = []

/** extractEntities(), with where each name ends in `text` (see within). */
function entitiesAt(text: string): { values: string[]; ends: number[] } {
  if (!classes) classes = classTable()
  const table = classes
  const values: string[] = []
  const ends: number[] = []
  const seen = new Set<string>()
  const run = runBounds
  let words = 0
  const flush = () => {
    if (words >= 2) {
      const parts: string[] = new Array(words)
      for (let w = 0; w < words; w++) parts[w] = text.slice(run[2 * w], run[2 * w + 1])
      const entity = fastFold(parts.join(' '))
      if (entity && !seen.has(entity)) {
        seen.add(entity)
        values.push(entity)
        ends.push(run[2 * words - 1] as number)
      }
    }
    words = 0
  }
  const n = text.length
  let i = 0
  while (i < n && values.length < MAX_SET) {
    while (i < n && (classOf(table, text.charCodeAt(i)) & SPACE) !== 0) i++
    if (i >= n) break
    let start = i
    while (start < n && (classOf(table, text.charCodeAt(start)) & LEAD) !== 0) start++
    let end = start
    while (end < n && (classOf(table, text.charCodeAt(end)) & SPACE) === 0) end++
    if (start < end && (classOf(table, text.charCodeAt(start)) & UPPER) !== 0) {
      run[2 * words] = start
      run[2 * words + 1] = end
      words++
      if ((classOf(table, text.charCodeAt(end - 1)) & BREAK) !== 0) flush()
    } else if (words > 0) flush()
    i = end
  }
  flush()
  if (run.length > 512) runBounds = []
  return { values, ends }
}

const wordHashes = new Uint32Array(MAX_WORDS)
const shingleHashes = new Uint32Array(MAX_WORDS)

/**
 * Hash the words of a folded body (code units `codes[0..length)`, words separated by single spaces) with FNV-1a, up
 * to MAX_WORDS of them, into `wordHashes`; returns how many words the body has in all.
 */
function hashWords(codes: Uint16Array, length: number): { hashed: number; total: number } {
  if (length === 0) return { hashed: 0, total: 0 }
  const out = wordHashes
  let hashed = 0
  let h = 0x811c9dc5
  let i = 0
  for (; i < length; i++) {
    const c = codes[i] as number
    if (c === 32) {
      out[hashed++] = h >>> 0
      h = 0x811c9dc5
      if (hashed === MAX_WORDS) break
      continue
    }
    h ^= c
    h = Math.imul(h, 0x01000193)
  }
  if (hashed === MAX_WORDS) {
    // past the fingerprinted words: only count the rest
    let total = hashed + 1
    for (i++; i < length; i++) if (codes[i] === 32) total++
    return { hashed, total }
  }
  out[hashed++] = h >>> 0
  return { hashed, total: hashed }
}

/** Shingles of SHINGLE words (`combine()` of each window of word hashes) into `shingleHashes`; returns the count. */
function shingles(words: Uint32Array, count: number): number {
  const out = shingleHashes
  if (count === 0) return 0
  if (count < SHINGLE) {
    out[0] = combine(words, 0, count)
    return 1
  }
  const n = count - SHINGLE + 1
  for (let i = 0; i < n; i++) {
    // combine(words, i, i + SHINGLE), unrolled
    let h = 0x9747b28c
    h = fmix32((Math.imul(h, 0x01000193) ^ (words[i] as number)) >>> 0)
    h = fmix32((Math.imul(h, 0x01000193) ^ (words[i + 1] as number)) >>> 0)
    h = fmix32((Math.imul(h, 0x01000193) ^ (words[i + 2] as number)) >>> 0)
    h = fmix32((Math.imul(h, 0x01000193) ^ (words[i + 3] as number)) >>> 0)
    out[i] = h
  }
  return n
}

const EMPTY = 0xffffffff
let minBins = new Uint32Array(BINS)

/**
 * One-permutation MinHash with rotation densification: one hash per shingle, `size` values (a power of two ≤ 64).
 * Empty bins borrow the next non-empty bin's value, offset by the distance, so they stay comparable.
 */
export function minhash(hashes: ArrayLike<number>, size = BINS, count = hashes.length): Uint32Array {
  const shift = 32 - Math.log2(size)
  const mask = 2 ** shift - 1
  // bin minima below 2^(32 - log2 size): EMPTY marks a bin no shingle fell into
  if (minBins.length < size) minBins = new Uint32Array(size)
  const bins = minBins
  bins.fill(EMPTY, 0, size)
  for (let i = 0; i < count; i++) {
    const h = fmix32((hashes[i] as number) ^ 0x5bd1e995)
    const bin = h >>> shift
    const value = (h & mask) >>> 0
    if (value < (bins[bin] as number)) bins[bin] = value
  }
  const out = new Uint32Array(size)
  if (count === 0) return out.fill(0xffffffff)
  const step = 2 ** shift
  for (let i = 0; i < size; i++) {
    let t = 0
    let j = i
    while (bins[j] === EMPTY) {
      t++
      j = (i + t) % size
    }
    out[i] = (t * step + (bins[j] as number)) >>> 0
  }
  return out
}

function origins(article: Article, urlHost: string | undefined): string[] {
  const hosts = new Set<string>()
  if (urlHost) hosts.add(urlHost)
  for (const url of [article.source.siteUrl, article.source.feedUrl]) {
    const host = foldHost(url)
    if (host) hosts.add(host)
  }
  return [...hosts]
}

/**
 * Who an outlet is, for matching a credit to the stories an outlet published: the registry's outlet key (its 2025
 * group, else its current domain, else its name: `Theo Baothaibinh.com.vn`, `Theo Báo Thái Bình` and a story at
 * m.baothaibinh.com.vn are one outlet), else the host without `www.`/`m.`, else undefined.
 */
export function outletOf(hostOrName: string | undefined): string | undefined {
  if (!hostOrName) return undefined
  const entry = findOutlet(hostOrName)
  if (entry) {
    const domain = entry.domains[0]
    return outletKey({
      name: entry.name,
      ...(domain ? { domain } : {}),
      ...(entry.group ? { group: entry.group } : {}),
    })
  }
  return /^[a-z0-9.-]+\.[a-z]{2,}$/.test(hostOrName) ? hostOrName : undefined
}

/** The outlet a credit names (its domain, a domain in its text, or its name), as outletKey(). */
export function creditedOutlet(credit: ArticleCredit | undefined): string | undefined {
  if (!credit) return undefined
  return outletOf(creditDomain(credit)) ?? outletOf(creditName(credit))
}

/** Salient numbers: not one digit, not a year (every story of a year has it). */
function isSalientNumber(n: string): boolean {
  if (n.length < 2) return false
  if (n.length === 4) {
    const year = Number(n)
    if (year >= 1945 && year <= 2050) return false
  }
  return true
}

/** What `\s` matches in a regular expression. */
function isWhite(code: number): boolean {
  return (
    (code >= 9 && code <= 13) ||
    code === 32 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  )
}

/** Most words of the title capitalised (ALL CAPS, Title Case): its capitals say nothing about names. */
function shouted(title: string): boolean {
  let words = 0
  let caps = 0
  let inWord = false
  for (let i = 0; i < title.length; i++) {
    if (isWhite(title.charCodeAt(i))) {
      inWord = false
      continue
    }
    if (inWord) continue
    inWord = true
    words++
    const c = title.charAt(i)
    if (c !== c.toLowerCase()) caps++
  }
  return words > 0 && caps / words >= 0.7
}

/** Up to this many names and numbers of the title and lead make an article's credit buckets. */
const CREDIT_TOKENS = 5
/** Words of the body's beginning read for credit tokens. */
const CREDIT_LEAD_WORDS = 60

/**
 * Credit buckets, for the names and salient numbers of the title and lead (a credited rewrite, own title, own
 * wording, shares few shingles with its original but names the same people, places and figures). They come in two
 * kinds, so that the stories of one outlet are never each other's candidates through them:
 * - `co:<outlet, token>`: an article of that outlet (an original), indexed under its own outlet;
 * - `cc:<outlet, token>`: an article crediting that outlet (a rewrite), indexed under the outlet it credits
 * (`<outlet, token>`: shortKey()).
 * An original probes the rewrites of it (`cc:` under its own outlet); a rewrite probes the originals and the other
 * rewrites of the outlet it credits (`co:` and `cc:` under it).
 */
function creditBuckets(
  article: Article,
  leadLength: number,
  headNumbers: { values: string[]; ends: number[] },
  bodyEntities: { values: string[]; ends: number[] },
  own: string | undefined,
  credited: string | undefined,
): { index: string[]; probe: string[] } {
  if (!own && !credited) return { index: [], probe: [] }
  const leadNames = within(bodyEntities, leadLength)
  const names = shouted(article.title)
    ? leadNames
    : [...new Set([...extractEntities(`${article.title}.`), ...leadNames])]
  const numbers = within(headNumbers, article.title.length + 1 + leadLength).filter(isSalientNumber)
  const tokens: string[] = []
  for (const n of names) if (tokens.length < 3) tokens.push(n)
  for (const n of new Set(numbers)) if (tokens.length < CREDIT_TOKENS) tokens.push(`#${n}`)
  for (const n of names.slice(3)) if (tokens.length < CREDIT_TOKENS) tokens.push(n)
  const index: string[] = []
  const probe: string[] = []
  for (const t of tokens) {
    if (own) {
      const key = shortKey(own, t)
      index.push(`co:${key}`)
      probe.push(`cc:${key}`)
    }
    // (a paper crediting its own 2025 group — Báo Sóc Trăng's `Theo Báo Cần Thơ` — is a rewrite all the same)
    if (credited) {
      const key = shortKey(credited, t)
      index.push(`cc:${key}`)
      probe.push(`co:${key}`)
      if (credited !== own) probe.push(`cc:${key}`)
    }
  }
  return { index, probe }
}

/**
 * An outlet and a token as a short bucket key (two 32-bit hashes in base 36, about 13 characters instead of 30 to
 * 60): every store indexes, hashes and looks these up, several per article. Two pairs meeting on one key by chance
 * only make a candidate that compare() then rejects.
 */
function shortKey(outlet: string, token: string): string {
  const h = hashPair(`${outlet}\u0000${token}`)
  return `${(h[0] as number).toString(36)}.${(h[1] as number).toString(36)}`
}

/** Words of the body's beginning whose figures make the figure buckets. */
const FIGURE_WORDS = 120
/** Figures (salient numbers of three digits or more) that make the figure buckets: their pairs. */
const FIGURES = 3

/** Figures of a text: salient numbers with three digits or more (`21.300`, `6,42`), distinct, in text order. */
function figures(numbers: string[]): string[] {
  const out: string[] = []
  for (const n of numbers) if (n.length >= 3 && isSalientNumber(n) && !out.includes(n)) out.push(n)
  return out
}

/**
 * Figure buckets: `f:<a>|<b>` for each pair of the first figures of the title and lead. Two stories that quote the
 * same two uncommon figures are worth comparing, whoever wrote them and in whatever words (an uncredited rewrite).
 * One such bucket counts as two shared buckets (see FIGURE_WEIGHT in deduper.ts).
 */
function figureBuckets(title: string, leadLength: number, headNumbers: { values: string[]; ends: number[] }): string[] {
  const found = figures(within(headNumbers, title.length + 1 + leadLength)).slice(0, FIGURES)
  const out: string[] = []
  for (let i = 0; i < found.length; i++) {
    for (let j = i + 1; j < found.length; j++) {
      const [x, y] = [found[i] as string, found[j] as string].sort()
      out.push(`f:${x}|${y}`)
    }
  }
  return out
}

/**
 * For each of `counts` (ascending), the length of the beginning of `text` holding that many words: one pass for the
 * credit and figure leads.
 */
function wordsEnd(text: string, counts: readonly number[]): number[] {
  const out: number[] = []
  let seen = 0
  let inWord = false
  for (let i = 0; i < text.length && out.length < counts.length; i++) {
    const space = isSpace(text.charCodeAt(i))
    if (!space && !inWord && ++seen > (counts[out.length] as number)) out.push(i)
    inWord = !space
  }
  while (out.length < counts.length) out.push(text.length)
  return out
}

function titleWords(title: string): Set<string> {
  return new Set(title.split(' ').filter((w) => w.length > 0))
}

/** Fingerprint, exact-content key basis and buckets of one article. */
export function analyse(article: Article): Analysed {
  const fullBody = bodyText(article)
  const length = foldCodes(fullBody)
  const codes = foldedCodes()
  const bodyDigest = digestCodes(codes, length)
  const { hashed, total } = hashWords(codes, length)
  const title = fastFold(article.title)
  // where the credit lead, the figure lead and the fingerprinted words end, in one pass over the raw text
  const [creditLead, figureLead, fingerprinted] = wordsEnd(fullBody, [CREDIT_LEAD_WORDS, FIGURE_WORDS, MAX_WORDS]) as [
    number,
    number,
    number,
  ]
  const rawBody = total > MAX_WORDS ? fullBody.slice(0, fingerprinted) : fullBody
  const count = shingles(wordHashes, hashed)
  const hashes = shingleHashes
  const sig = minhash(hashes, BINS, count)
  const anchors: number[] = []
  for (let i = 0; i < count && anchors.length < MAX_ANCHORS; i++) {
    const h = hashes[i] as number
    if (h % ANCHOR_MOD === 0) anchors.push(h)
  }
  const buckets: string[] = []
  if (count > 0) {
    for (let b = 0; b < BANDS; b++) buckets.push(`m${b}:${combine(sig, b * ROWS, (b + 1) * ROWS).toString(36)}`)
    const lead = minhash(hashes, LEAD_BINS, Math.min(count, Math.max(1, LEAD_WORDS - SHINGLE + 1)))
    for (let b = 0; b < LEAD_BANDS; b++) {
      buckets.push(`l${b}:${combine(lead, b * LEAD_ROWS, (b + 1) * LEAD_ROWS).toString(36)}`)
    }
  }
  const head = `${article.title}\n${rawBody}`
  const headNumbers = numbersAt(head)
  const numbers = headNumbers.values
  const dates = extractDates(head)
  const bodyEntities = entitiesAt(rawBody)
  const entities = bodyEntities.values
  // the site that carried it (normalize's `site`, registry and config outlets included), else its URL's host
  const urlHost = foldHost(article.url)
  const own = article.site ? outletKey(article.site) : outletOf(urlHost)
  const credited = creditedOutlet(article.credit)
  const probes = [...buckets]
  if (count > 0) {
    const credit = creditBuckets(article, creditLead, headNumbers, bodyEntities, own, credited)
    const figure = figureBuckets(article.title, figureLead, headNumbers)
    buckets.push(...credit.index, ...figure)
    probes.push(...credit.probe, ...figure)
  }
  const copy: CopyPrint = {
    a: article.id,
    t: title,
    s: encodeU32(sig),
    x: encodeU32(anchors),
    n: numbers,
    d: dates,
    e: entities,
    w: total,
    p: article.published.getTime(),
    o: origins(article, urlHost),
  }
  // (assigned in this order: the stored fingerprint's JSON keeps its key order)
  if (article.source.title) copy.sn = fastFold(article.source.title)
  if (own) copy.ko = own
  if (credited) copy.kc = credited
  const print: Print = {
    id: article.id,
    title,
    titleWords: titleWords(title),
    sig,
    anchors: new Set(anchors),
    anchorCount: anchors.length,
    numbers,
    dates,
    entities,
    words: total,
    published: copy.p,
  }
  if (own) print.outlet = own
  if (credited) print.credited = credited
  return {
    copy,
    bodyDigest,
    buckets,
    probes,
    print,
  }
}

export function fromCopy(copy: CopyPrint): Print {
  const anchors = decodeU32(copy.x)
  return {
    id: copy.a,
    title: copy.t,
    titleWords: titleWords(copy.t),
    sig: decodeU32(copy.s),
    anchors: new Set(anchors),
    anchorCount: anchors.length,
    numbers: copy.n,
    dates: copy.d ?? [],
    entities: copy.e,
    words: copy.w,
    published: copy.p,
    ...(copy.ko ? { outlet: copy.ko } : {}),
    ...(copy.kc ? { credited: copy.kc } : {}),
  }
}

export interface Similarity {
  /** Weighted score 0–1 (0 when a guard rejected the pair). */
  score: number
  /** MinHash estimate of the body Jaccard similarity. */
  jaccard: number
  /** Share of the shorter body's anchors found in the longer one. */
  containment: number
  /** Overlap of the folded title words. */
  title: number
  /** Why the pair was rejected, if it was. */
  guard?: 'window' | 'short' | 'numbers' | 'dates' | 'entities'
}

export interface CompareOptions {
  windowMs: number
  minWords: number
  maxNumberMismatch: number
  maxEntityMismatch: number
  titleWeight: number
}

function jaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0
  for (let i = 0; i < BINS; i++) if (a[i] === b[i]) same++
  return same / BINS
}

/** Share of `small` (by text order, up to what `large` recorded) missing from `large`. */
function missingShare(small: string[], large: string[], largeCapped: boolean): { missing: number; share: number } {
  if (small.length === 0) return { missing: 0, share: 0 }
  const have = new Set(large)
  const checked = largeCapped ? small.slice(0, large.length) : small
  let missing = 0
  for (const v of new Set(checked)) if (!have.has(v)) missing++
  return { missing, share: missing / new Set(checked).size }
}

/** Share of the shorter title's folded words found in the other title. */
function titleOverlap(a: Print, b: Print): number {
  const [ts, tl] = a.titleWords.size <= b.titleWords.size ? [a.titleWords, b.titleWords] : [b.titleWords, a.titleWords]
  let shared = 0
  for (const w of ts) if (tl.has(w)) shared++
  return ts.size === 0 ? 0 : shared / ts.size
}

/** How alike two fingerprints are, with the guards against templates applied. */
export function compare(a: Print, b: Print, options: CompareOptions): Similarity {
  const none = { jaccard: 0, containment: 0, title: 0 }
  if (Math.abs(a.published - b.published) > options.windowMs) return { score: 0, ...none, guard: 'window' }
  const [small, large] = a.words <= b.words ? [a, b] : [b, a]
  if (small.words < options.minWords) return { score: 0, ...none, guard: 'short' }
  const j = jaccard(a.sig, b.sig)
  let shared = 0
  for (const h of small.anchors) if (large.anchors.has(h)) shared++
  const containment = small.anchors.size >= 3 ? shared / small.anchors.size : j
  const titleSim = titleOverlap(a, b)
  const body = Math.max(j, containment)
  const score = (1 - options.titleWeight) * body + options.titleWeight * titleSim
  const result = { jaccard: j, containment, title: titleSim }
  const nums = missingShare(small.numbers, large.numbers, large.numbers.length >= MAX_SET)
  if (nums.share > options.maxNumberMismatch) return { score: 0, ...result, guard: 'numbers' }
  if (missingShare(small.dates, large.dates, large.dates.length >= MAX_SET).missing > 0) {
    return { score: 0, ...result, guard: 'dates' }
  }
  const ents = missingShare(small.entities, large.entities, large.entities.length >= MAX_SET)
  if (ents.missing >= 2 && ents.share > options.maxEntityMismatch) return { score: 0, ...result, guard: 'entities' }
  return { score, ...result }
}

/** How far a credited copy's date may be before its original's (zone slips, clocks): not a day. */
const REWRITE_SKEW_MS = 3 * 3_600_000

export interface RewriteOptions {
  /** How long after its original a credited rewrite may come. */
  rewriteWindowMs: number
  minWords: number
}

/** Salient numbers of a print (see isSalientNumber) that are not the day or month of one of its dates. */
function salient(print: Print): Set<string> {
  const dateParts = new Set<string>()
  for (const d of print.dates) for (const part of d.split('/')) dateParts.add(part)
  const out = new Set<string>()
  for (const n of print.numbers) if (isSalientNumber(n) && !dateParts.has(n)) out.add(n)
  return out
}

/** ` a b ` contains ` b `: one name is part of the other (`huyện Quỳnh Phụ` and `Quỳnh Phụ`). */
function namesMeet(x: string, y: string): boolean {
  return x.length <= y.length ? ` ${y} `.includes(` ${x} `) : ` ${x} `.includes(` ${y} `)
}

/** How many of `small`'s names meet one of `large`'s (namesMeet), and how many distinct names `small` has. */
function sharedNames(small: string[], large: string[]): { shared: number; of: number } {
  const names = new Set(small)
  let shared = 0
  for (const name of names) if (large.some((other) => namesMeet(name, other))) shared++
  return { shared, of: names.size }
}

/**
 * A credited rewrite or summary of the story `b` (or `b` of `a`): one of the two credits the other's outlet (or
 * both credit one outlet), it came after the original within `rewriteWindowMs`, and — since its wording is its
 * own — the names, figures and title words it shares decide, with the template guards held: no date of the shorter
 * text missing from the longer, few of its salient numbers and names missing.
 */
export function rewriteMatch(a: Print, b: Print, options: RewriteOptions): boolean {
  if (options.rewriteWindowMs <= 0) return false
  const aCredits = a.credited !== undefined && (a.credited === b.outlet || a.credited === b.credited)
  const bCredits = b.credited !== undefined && b.credited === a.outlet
  const credited = aCredits || bCredits
  // the credited one comes after the one it credits; two credited copies (or uncredited ones) in any order
  const dt =
    aCredits && !bCredits && b.credited !== a.credited
      ? a.published - b.published
      : bCredits && !aCredits
        ? b.published - a.published
        : Math.abs(a.published - b.published)
  if (dt < -REWRITE_SKEW_MS || dt > options.rewriteWindowMs) return false
  const [small, large] = a.words <= b.words ? [a, b] : [b, a]
  if (small.words < options.minWords) return false
  if (missingShare(small.dates, large.dates, large.dates.length >= MAX_SET).missing > 0) return false
  // the figures it quotes are the original's: a bulletin of another week or a follow-up has other ones
  const smallNumbers = salient(small)
  const largeNumbers = salient(large)
  let sharedNumbers = 0
  let sharedFigures = 0
  for (const n of smallNumbers) {
    if (!largeNumbers.has(n)) continue
    sharedNumbers++
    if (n.length >= 3) sharedFigures++
  }
  const missingNumbers = smallNumbers.size - sharedNumbers
  const names = sharedNames(small.entities, large.entities)
  const missingNames = names.of - names.shared
  const title = titleOverlap(a, b)
  if (!credited) {
    // no credit ties them: only the same uncommon figures, every one of them, under a like title and the same names
    return (
      sharedFigures >= 2 &&
      missingNumbers === 0 &&
      names.shared >= 1 &&
      missingNames / Math.max(1, names.of) <= 0.34 &&
      title >= 0.4
    )
  }
  if (missingNumbers > 0 && missingNumbers / smallNumbers.size > 0.34) return false
  if (missingNames > 1 && missingNames / names.of > 0.5) return false
  const shared = names.shared + sharedNumbers
  return (title >= 0.5 && shared >= 2) || (names.shared >= 2 && sharedNumbers >= 1) || shared >= 4
}
