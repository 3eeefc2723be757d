/**
 * One feed's CPU-bound work — parse, then normalize — as a plain function of serialisable input, so it can run in
 * the main thread or in a worker thread with the same result.
 */
import { type DedupeOptions, type PreparedArticles, prepareArticles } from '../dedupe/index.js'
import { normalizeFeed, type OutletEntry } from '../normalize/index.js'
import { parseFeed } from '../parse/index.js'
import type { Article, Source } from '../types.js'

export interface ProcessJob {
  /** Decoded body (fetch/ already applied the charset rules). */
  text: string
  /** Final URL of the document: base for relative links. */
  url: string
  contentType?: string
  source: Source
  /** Zone for zone-less dates (the source's own zone wins). */
  timeZone?: string
  outlets?: readonly OutletEntry[]
  /** "Now" of the run, for implausible-date fallbacks. */
  nowMs: number
  /** When given, the articles are also prepared for dedupe here (folding, fingerprints, keys): off the main thread. */
  dedupe?: DedupeOptions
  /** Also return each article's JSON (`ProcessResult.json`), which the store writes: off the main thread. */
  json?: boolean
}

export interface ProcessResult {
  itemCount: number
  articles: Article[]
  warnings: { code: string; message: string }[]
  skipped: number
  /** The articles prepared for `Deduper.add()`, when the job asked for it. */
  prepared?: PreparedArticles
  /** `JSON.stringify` of each article, in order, when the job asked for it. */
  json?: string[]
}

export async function processFeed(job: ProcessJob): Promise<ProcessResult> {
  const { source } = job
  const feed = await parseFeed(job.text, {
    url: job.url,
    ...(job.contentType ? { contentType: job.contentType } : {}),
  })
  const timeZone = source.timeZone ?? job.timeZone
  const normalized = normalizeFeed(feed, {
    source,
    now: () => new Date(job.nowMs),
    ...(timeZone ? { timeZone } : {}),
    ...(job.outlets ? { outlets: job.outlets } : {}),
  })
  // normalized.warnings carries the feed's own warnings (ERR_PARSE_TRUNCATED, …) at index -1
  const warnings: { code: string; message: string }[] = []
  for (const w of normalized.warnings)
    warnings.push({ code: w.code, message: w.index === -1 ? w.message : `item ${w.index}: ${w.message}` })
  for (const s of normalized.skipped) warnings.push({ code: s.code, message: `item ${s.index}: ${s.message}` })
  const { articles } = normalized
  return {
    itemCount: feed.items.length,
    articles,
    warnings,
    skipped: normalized.skipped.length,
    ...(job.dedupe && articles.length > 0 ? { prepared: prepareArticles(articles, job.dedupe, job.nowMs) } : {}),
    ...(job.json ? { json: articles.map((a) => JSON.stringify(a)) } : {}),
  }
}
