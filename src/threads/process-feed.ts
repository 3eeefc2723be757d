/**
 * One feed's CPU-bound work — parse, then normalize — as a plain function of serialisable input, so it can run in
 * the main thread or in a worker thread with the same result.
 */
import { type DedupeOptions, type PreparedArticles, prepareArticles } from '../dedupe/index.js'
import { normalizeFeed, type OutletEntry } from '../normalize/index.js'
import { parseFeed } from '../parse/index.js'
import type { Article, Source } from '../types.js'
import {
  extractPage,
  type FullTextJob,
  type PageInput,
  type PageOutput,
  type Teaser,
  teasersOf,
  withPage,
} from './pages.js'

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
  /**
   * Full text: without `pages`, a feed with teasers comes back with `teasers` only (nothing normalized yet); the
   * caller fetches their pages and sends the job again with them.
   */
  fullText?: FullTextJob
  /** The teasers' pages, by item link: fetched now, or stored. A teaser with no page here keeps the feed's body. */
  pages?: Record<string, PageInput>
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
  /** The items whose page the caller should fetch (full text, first pass only: `articles` is then empty). */
  teasers?: Teaser[]
  /** What became of each page of `job.pages` fetched now (stored pages are not repeated), by item link. */
  pages?: Record<string, PageOutput>
}

export async function processFeed(job: ProcessJob): Promise<ProcessResult> {
  const { source } = job
  const feed = await parseFeed(job.text, {
    url: job.url,
    ...(job.contentType ? { contentType: job.contentType } : {}),
  })
  if (job.fullText && job.pages === undefined) {
    const teasers = teasersOf(feed, job.fullText)
    if (teasers.length > 0) return { itemCount: feed.items.length, articles: [], warnings: [], skipped: 0, teasers }
  }
  let pages: Record<string, PageOutput> | undefined
  if (job.pages && job.fullText) {
    pages = {}
    const items = feed.items
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as (typeof items)[number]
      if (item.link === undefined) continue
      const input = job.pages[item.link]
      if (!input) continue
      let extraction = 'stored' in input ? input.stored : undefined
      if (!extraction && 'html' in input) {
        const output = extractPage(input, item, job.fullText)
        pages[item.link] = output
        if (output.ok) extraction = output.extraction
      }
      if (extraction) items[i] = withPage(item, extraction)
    }
  }
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
    ...(pages ? { pages } : {}),
  }
}
