import type { Article } from '../types.js'
import { fastFold, foldCodes, foldedCodes } from './fold.js'
import { combine, decodeU32, digestCodes, encodeU32, fmix32 } from './hash.js'
import { bodyText, foldHost } from './keys.js'

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
}

export interface Analysed {
  print: Print
  copy: CopyPrint
  /** Digest of the folded body (`digest()` of it): the exact content key's basis. */
  bodyDigest: string
  buckets: string[]
}

const NUMBER = /\d+(?:[.,]\d+)*/g

export function extractNumbers(text: string): string[] {
  const out: string[] = []
  for (const match of text.matchAll(NUMBER)) {
    const n = match[0].replace(/[.,]/g, '').replace(/^0+(?=\d)/, '')
    out.push(n)
    if (out.length >= MAX_SET) break
  }
  return out
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
const LEADING_CODES = new Set([...LEADING].map((c) => c.charCodeAt(0)))
const BREAK_CODES = new Set([...BREAK_AFTER].map((c) => c.charCodeAt(0)))
let upper: Uint8Array | undefined

/** 1 for code units that are upper-case letters (table for the Latin and Vietnamese ranges). */
function upperTable(): Uint8Array {
  const t = new Uint8Array(0x2000)
  for (let c = 0; c < t.length; c++) {
    const ch = String.fromCharCode(c)
    t[c] = ch !== ch.toLowerCase() ? 1 : 0
  }
  return t
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 || code === 0xa0
}

/** Runs of two or more capitalised words (names of people, places, bodies), folded. */
export function extractEntities(text: string): string[] {
  if (!upper) upper = upperTable()
  const table = upper
  const out: string[] = []
  const seen = new Set<string>()
  let run: string[] = []
  const flush = () => {
    if (run.length >= 2) {
      const entity = fastFold(run.join(' '))
      if (entity && !seen.has(entity)) {
        seen.add(entity)
        out.push(entity)
      }
    }
    run = []
  }
  const n = text.length
  let i = 0
  while (i < n && out.length < MAX_SET) {
    while (i < n && isSpace(text.charCodeAt(i))) i++
    if (i >= n) break
    let start = i
    while (start < n && LEADING_CODES.has(text.charCodeAt(start))) start++
    let end = start
    while (end < n && !isSpace(text.charCodeAt(end))) end++
    const code = text.charCodeAt(start)
    if (start < end && code < 0x2000 && table[code] === 1) {
      run.push(text.slice(start, end))
      if (BREAK_CODES.has(text.charCodeAt(end - 1))) flush()
    } else if (run.length > 0) flush()
    i = end
  }
  flush()
  return out
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

function origins(article: Article): string[] {
  const hosts = new Set<string>()
  for (const url of [article.url, article.source.siteUrl, article.source.feedUrl]) {
    const host = foldHost(url)
    if (host) hosts.add(host)
  }
  return [...hosts]
}

/** The beginning of `text` holding about `count` words (raw text: for numbers, dates and entities). */
function leadingWords(text: string, count: number): string {
  let seen = 0
  let inWord = false
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i))
    if (!space && !inWord && ++seen > count) return text.slice(0, i)
    inWord = !space
  }
  return text
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
  const rawBody = total > MAX_WORDS ? leadingWords(fullBody, MAX_WORDS) : fullBody
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
  const numbers = extractNumbers(head)
  const dates = extractDates(head)
  const entities = extractEntities(rawBody)
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
    o: origins(article),
    ...(article.source.title ? { sn: fastFold(article.source.title) } : {}),
  }
  return {
    copy,
    bodyDigest,
    buckets,
    print: {
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
    },
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
  const [ts, tl] = a.titleWords.size <= b.titleWords.size ? [a.titleWords, b.titleWords] : [b.titleWords, a.titleWords]
  let titleShared = 0
  for (const w of ts) if (tl.has(w)) titleShared++
  const titleSim = ts.size === 0 ? 0 : titleShared / ts.size
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
