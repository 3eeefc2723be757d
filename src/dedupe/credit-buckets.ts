/**
 * Credit and figure buckets: what lets a credited rewrite or an uncredited one quoting the same figures find the
 * story it rewrites, though it shares few shingles with it (see analyse() in fingerprint.ts).
 */
import { hashPair } from '../internal/hash-pair.js'
import { findOutlet, outletKey } from '../normalize/index.js'
import type { Article, ArticleCredit } from '../types.js'
import { extractEntities, isSalientNumber, shouted, within } from './facts.js'
import { fmix32 } from './hash.js'
import { creditDomain, creditName } from './keys.js'

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

/** Up to this many names and numbers of the title and lead make an article's credit buckets. */
const CREDIT_TOKENS = 5

/** Words of the body's beginning read for credit tokens. */
export const CREDIT_LEAD_WORDS = 60

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
export function creditBuckets(
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
  const ownSeed = own ? outletSeed(own) : undefined
  const creditedSeed = credited ? (credited === own ? ownSeed : outletSeed(credited)) : undefined
  for (const t of tokens) {
    const token = hashPair(t)
    const t0 = token[0] as number
    const t1 = token[1] as number
    if (ownSeed) {
      const key = shortKey(ownSeed, t0, t1)
      index.push(`co:${key}`)
      probe.push(`cc:${key}`)
    }
    // (a paper crediting its own 2025 group — Báo Sóc Trăng's `Theo Báo Cần Thơ` — is a rewrite all the same)
    if (creditedSeed) {
      const key = shortKey(creditedSeed, t0, t1)
      index.push(`cc:${key}`)
      probe.push(`co:${key}`)
      if (credited !== own) probe.push(`cc:${key}`)
    }
  }
  return { index, probe }
}

/** An outlet's hash pair, the seed of its credit bucket keys. */
function outletSeed(outlet: string): readonly [number, number] {
  const h = hashPair(outlet)
  return [h[0] as number, h[1] as number]
}

/**
 * An outlet and a token (their hash pairs) as a short bucket key: 53 bits in base 36, about 11 characters instead of
 * 30 to 60; every store indexes, hashes and looks these up, several per article. Two pairs meeting on one key by
 * chance only make a candidate that compare() then rejects.
 */
function shortKey(outlet: readonly [number, number], t0: number, t1: number): string {
  const high = fmix32((outlet[0] ^ Math.imul(t0, 0x9e3779b1)) >>> 0) >>> 11
  const low = fmix32((outlet[1] + Math.imul(t1, 0x85ebca77)) >>> 0)
  return (high * 0x100000000 + low).toString(36)
}

/** Words of the body's beginning whose figures make the figure buckets. */
export const FIGURE_WORDS = 120

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
export function figureBuckets(
  title: string,
  leadLength: number,
  headNumbers: { values: string[]; ends: number[] },
): string[] {
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
