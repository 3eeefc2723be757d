import { outletKey } from '../normalize/index.js'
import type { Article } from '../types.js'
import {
  CREDIT_LEAD_WORDS,
  creditBuckets,
  creditedOutlet,
  FIGURE_WORDS,
  figureBuckets,
  outletOf,
} from './credit-buckets.js'
import { entitiesAt, extractDates, numbersAt, wordsEnd } from './facts.js'
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
  /** The title's words, made by compare() the first time it needs them (most prints are never compared). */
  titleWords?: Set<string>
  sig: Uint32Array
  /** The anchor shingle hashes as found; their set is made by compare() the first time it needs it. */
  anchorList: readonly number[] | Uint32Array
  anchors?: Set<number>
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
    const host = sourceHost(url)
    if (host) hosts.add(host)
  }
  return [...hosts]
}

/** foldHost() of a source's URLs, which every article of the source repeats: one URL parse per source, not per article. */
const sourceHosts = new Map<string, string | undefined>()
const SOURCE_HOSTS = 1024

function sourceHost(url: string | undefined): string | undefined {
  if (!url) return undefined
  if (sourceHosts.has(url)) return sourceHosts.get(url)
  if (sourceHosts.size >= SOURCE_HOSTS) sourceHosts.clear()
  const host = foldHost(url)
  sourceHosts.set(url, host)
  return host
}

/** A print's title words, made once (compare() asks for them). */
export function titleWordsOf(print: Print): Set<string> {
  if (print.titleWords === undefined) print.titleWords = new Set(print.title.split(' ').filter((w) => w.length > 0))
  return print.titleWords
}

/** A print's anchors as a set, made once (compare() asks for it). */
export function anchorsOf(print: Print): Set<number> {
  if (print.anchors === undefined) print.anchors = new Set(print.anchorList)
  return print.anchors
}

/** The word counts wordsEnd() is asked for: the credit and figure leads, and the fingerprinted words of a long body. */
const SHORT_BODY_LEADS = [CREDIT_LEAD_WORDS, FIGURE_WORDS] as const
const LONG_BODY_LEADS = [CREDIT_LEAD_WORDS, FIGURE_WORDS, MAX_WORDS] as const

/** Fingerprint, exact-content key basis and buckets of one article. */
export function analyse(article: Article): Analysed {
  const fullBody = bodyText(article)
  const length = foldCodes(fullBody)
  const codes = foldedCodes()
  const bodyDigest = digestCodes(codes, length)
  const { hashed, total } = hashWords(codes, length)
  const title = fastFold(article.title)
  // where the credit lead, the figure lead and (when the body is longer) the fingerprinted words end: for a longer
  // body in one pass over the raw text that stops there, else found by entitiesAt() as it walks the words
  const longLeads = total > MAX_WORDS ? (wordsEnd(fullBody, LONG_BODY_LEADS) as [number, number, number]) : undefined
  const rawBody = longLeads ? fullBody.slice(0, longLeads[2]) : fullBody
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
  const bodyEntities = entitiesAt(rawBody, longLeads ? undefined : SHORT_BODY_LEADS)
  const [creditLead, figureLead] = (longLeads ?? bodyEntities.leads) as [number, number]
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
    sig,
    anchorList: anchors,
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
    sig: decodeU32(copy.s),
    anchorList: anchors,
    numbers: copy.n,
    dates: copy.d ?? [],
    entities: copy.e,
    words: copy.w,
    published: copy.p,
    ...(copy.ko ? { outlet: copy.ko } : {}),
    ...(copy.kc ? { credited: copy.kc } : {}),
  }
}
