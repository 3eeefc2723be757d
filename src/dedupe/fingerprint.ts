import { foldText } from '../normalize/text.js'
import type { Article } from '../types.js'
import { combine, decodeU32, encodeU32, fmix32, fnv1a } from './hash.js'
import { bodyText } from './keys.js'

/** Words per shingle (Vietnamese words are syllables: 4 syllables ≈ 2 words). */
export const SHINGLE = 4
/** MinHash bins (one-permutation hashing with rotation densification). */
export const BINS = 64
const BIN_SHIFT = 26 // 32 - log2(BINS)
const VALUE_MASK = (1 << BIN_SHIFT) - 1
/** LSH: BANDS bands of ROWS bins each (BANDS × ROWS ≤ BINS). */
export const BANDS = 16
export const ROWS = 4
/** Anchors: shingles whose hash is ≡ 0 mod ANCHOR_MOD are sampled, the same ones in every text containing them. */
const ANCHOR_MOD = 4
const MAX_ANCHORS = 64
/** Lead buckets: pairs of consecutive sparse anchors (≡ 0 mod LEAD_MOD) among the first LEAD_SHINGLES shingles. */
const LEAD_MOD = 8
const LEAD_SHINGLES = 120
const LEAD_PAIRS = 3
const MAX_SET = 128

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
  /** Folded body. */
  body: string
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

const UPPER = /^\p{Lu}/u
const SENTENCE_END = /[.!?;:…"”)»]$/u

/** Runs of two or more capitalised words (names of people, places, bodies), folded. */
export function extractEntities(text: string): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  let run: string[] = []
  const flush = () => {
    if (run.length >= 2) {
      const entity = foldText(run.join(' '))
      if (entity && !seen.has(entity)) {
        seen.add(entity)
        out.push(entity)
      }
    }
    run = []
  }
  for (const raw of text.normalize('NFC').split(/\s+/)) {
    const token = raw.replace(/^[("“«'‘[]+/u, '')
    const word = token.replace(/[^\p{L}\p{N}]+$/u, '')
    if (word && UPPER.test(word) && !/^\p{N}/u.test(word)) {
      run.push(word)
      if (SENTENCE_END.test(token) || /[,]$/.test(token)) flush()
    } else flush()
    if (out.length >= MAX_SET) break
  }
  flush()
  return out
}

function shingles(words: string[]): Uint32Array {
  const hashes = new Uint32Array(words.length)
  for (let i = 0; i < words.length; i++) hashes[i] = fnv1a(words[i] as string)
  if (words.length === 0) return new Uint32Array(0)
  if (words.length < SHINGLE) return Uint32Array.of(combine(hashes))
  const out = new Uint32Array(words.length - SHINGLE + 1)
  for (let i = 0; i < out.length; i++) out[i] = combine(hashes, i, i + SHINGLE)
  return out
}

/** One-permutation MinHash with rotation densification: one hash per shingle, BINS values. */
export function minhash(hashes: Uint32Array): Uint32Array {
  const bins = new Uint32Array(BINS).fill(0xffffffff)
  for (let i = 0; i < hashes.length; i++) {
    const h = fmix32((hashes[i] as number) ^ 0x5bd1e995)
    const bin = h >>> BIN_SHIFT
    const value = h & VALUE_MASK
    if (value < (bins[bin] as number)) bins[bin] = value
  }
  if (hashes.length === 0) return bins
  const out = new Uint32Array(BINS)
  for (let i = 0; i < BINS; i++) {
    let t = 0
    let j = i
    while (bins[j] === 0xffffffff) {
      t++
      j = (i + t) % BINS
    }
    out[i] = ((t << BIN_SHIFT) >>> 0) + (bins[j] as number)
  }
  return out
}

function titleWords(title: string): Set<string> {
  return new Set(title.split(' ').filter((w) => w.length > 0))
}

/** Fingerprint, exact-content basis and buckets of one article. */
export function analyse(article: Article): Analysed {
  const rawBody = bodyText(article)
  const body = foldText(rawBody)
  const title = foldText(article.title)
  const words = body.length > 0 ? body.split(' ') : []
  const hashes = shingles(words)
  const sig = minhash(hashes)
  const anchors: number[] = []
  const lead: number[] = []
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i] as number
    if (h % ANCHOR_MOD === 0 && anchors.length < MAX_ANCHORS) anchors.push(h)
    if (i < LEAD_SHINGLES && h % LEAD_MOD === 0 && lead.length <= LEAD_PAIRS) lead.push(h)
  }
  const buckets: string[] = []
  if (hashes.length > 0) {
    for (let b = 0; b < BANDS; b++) buckets.push(`m${b}:${combine(sig, b * ROWS, (b + 1) * ROWS).toString(36)}`)
    for (let i = 0; i + 1 < lead.length; i++) buckets.push(`a:${combine(lead, i, i + 2).toString(36)}`)
  }
  const numbers = extractNumbers(`${article.title}\n${rawBody}`)
  const dates = extractDates(`${article.title}\n${rawBody}`)
  const entities = extractEntities(rawBody)
  const copy: CopyPrint = {
    a: article.id,
    t: title,
    s: encodeU32(sig),
    x: encodeU32(anchors),
    n: numbers,
    d: dates,
    e: entities,
    w: words.length,
    p: article.published.getTime(),
  }
  return {
    copy,
    body,
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
      words: words.length,
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
