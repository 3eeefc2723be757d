/** The outlet an article credits (its domain and folded name), and whether an article or a stored copy is from it. */
import { foldText } from '../normalize/index.js'
import type { Article, ArticleCredit } from '../types.js'
import type { CopyPrint } from './fingerprint.js'
import { creditDomain, creditName, foldHost } from './keys.js'

/** The outlet a credit names: its domain, its folded name (three characters or more), or both. */
export interface CreditTarget {
  domain?: string
  name?: string
}

/** The outlet `credit` names, or undefined when there is no credit. */
export function creditTarget(credit: ArticleCredit | undefined): CreditTarget | undefined {
  if (!credit) return undefined
  const domain = creditDomain(credit)
  const name = foldText(creditName(credit))
  return { ...(domain ? { domain } : {}), ...(name.length >= 3 ? { name } : {}) }
}

function hostMatches(target: CreditTarget, host: string | undefined): boolean {
  return !!(target.domain && host && (host === target.domain || host.endsWith(`.${target.domain}`)))
}

function nameMatches(target: CreditTarget, folded: string | undefined): boolean {
  return !!(target.name && folded && (folded === target.name || folded.startsWith(`${target.name} `)))
}

/** Is `article` from the outlet `target` credits? */
export function isFrom(target: CreditTarget, article: Article): boolean {
  if ([article.url, article.source.siteUrl, article.source.feedUrl].some((u) => hostMatches(target, foldHost(u)))) {
    return true
  }
  return nameMatches(target, article.source.title ? foldText(article.source.title) : undefined)
}

/** Is the copy behind `copy` from the outlet `target` credits? */
export function isFromCopy(target: CreditTarget, copy: CopyPrint): boolean {
  return (copy.o ?? []).some((h) => hostMatches(target, h)) || nameMatches(target, copy.sn)
}
