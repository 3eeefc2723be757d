/**
 * Full text, the main thread's half: for the teasers a feed job found, which pages to fetch this run (none twice:
 * a page extracted once is rebuilt from the store; a failed one waits out its back-off), fetching them through the
 * run's fetch session (feed and page requests share one budget per host), and the page states to store.
 */
import { resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { toTonghopError } from './errors.js'
import type { ResolvedFullTextOptions } from './extract/index.js'
import { type FetchSession, fetchFeed, type PageFetchOutcome } from './fetch/index.js'
import type { PageState, SourceState, StateStore } from './store/types.js'
import type { PageInput, PageOutput, Teaser } from './threads/index.js'
import type { Source } from './types.js'

/** What full text did for one feed, for the run report. */
export interface PageCounts {
  /** Pages fetched this run. */
  fetched: number
  /** Articles built from a page (fetched now, or extracted on an earlier run). */
  extracted: number
  /** Articles rebuilt from a page extracted on an earlier run (no fetch). */
  reused: number
  /** Pages that failed (fetch or extraction): their items keep the feed's text. */
  failed: number
  /** Pages not fetched: a back-off still running, robots.txt, or the run's page budget. */
  skipped: number
}

export function emptyPageCounts(): PageCounts {
  return { fetched: 0, extracted: 0, reused: 0, failed: 0, skipped: 0 }
}

export interface PagePlan {
  pages: Record<string, PageInput>
  /** Page states to store for pages that failed to fetch (extractions are recorded by `settle`). */
  states: SourceState[]
  /** Page states as read, by item link (for `settle`). */
  before: Map<string, PageState | undefined>
  counts: PageCounts
  warnings: { code: string; message: string }[]
  /** The earliest instant (epoch ms) a page left out or failed here is due again (for SourceState.pagesRetryAt). */
  retryAt?: number
}

function noteRetry(plan: { retryAt?: number }, at: number | undefined): void {
  if (at !== undefined && (plan.retryAt === undefined || at < plan.retryAt)) plan.retryAt = at
}

export interface PageResolver {
  plan(source: Source, teasers: Teaser[]): Promise<PagePlan>
  /** Page states for what extraction made of the pages fetched now; counts and warnings updated. */
  settle(plan: PagePlan, outputs: Record<string, PageOutput> | undefined): SourceState[]
}

export const pageKey = (url: string): string => `page:${url}`

/** A page state still listed by its feed is marked seen again once this much older. */
const SEEN_REFRESH_MS = 86_400_000

interface ResolverContext {
  store: StateStore
  session: FetchSession
  options: ResolvedFullTextOptions
  now: () => Date
  /** Aborts reading saved and local pages (the session has its own). */
  signal?: AbortSignal
}

/** A local page is read only for a local feed, and only from the feed's own directory or below. */
function localPageAllowed(source: Source, url: string): boolean {
  if (!source.url.startsWith('file:') || !url.startsWith('file:')) return false
  const dir = new URL('.', source.url).href
  const page = new URL(url)
  return page.href.startsWith(dir) && !page.search
}

/** The file: URL of a saved page standing for `url` (see FullTextOptions.localPages), if one is configured. */
export function savedPage(localPages: Record<string, string>, url: string): string | undefined {
  for (const [prefix, dir] of Object.entries(localPages)) {
    if (!url.startsWith(prefix)) continue
    let rest: string
    try {
      rest = decodeURIComponent(new URL(url).pathname.slice(new URL(prefix).pathname.length))
    } catch {
      return undefined
    }
    if (!/\.[a-z0-9]{2,5}$/i.test(rest)) rest = `${rest.replace(/\/$/, '')}.html`
    const root = resolve(dir)
    const path = resolve(root, `./${rest}`)
    return path.startsWith(`${root}${sep}`) ? pathToFileURL(path).href : undefined
  }
  return undefined
}

/**
 * A page read from disk (`file`, a file: URL) standing for `url`, with fetch/'s size limit and charset rules: a
 * saved page (`extract.localPages`), a `file:` feed's own page, or the one `tonghop extract <file>` is given.
 */
export async function readPageFile(
  file: string,
  url: string,
  limits: { maxBytes: number; signal?: AbortSignal },
): Promise<PageFetchOutcome> {
  const started = Date.now()
  try {
    const got = await fetchFeed(file, { allowFile: true, ...limits })
    return {
      status: 'ok',
      url,
      httpStatus: 200,
      text: got.text ?? '',
      ...(got.contentType ? { contentType: got.contentType } : {}),
      bytes: got.bytes?.byteLength ?? 0,
      redirects: [],
      durationMs: Date.now() - started,
    }
  } catch (error) {
    const e = toTonghopError(error, 'ERR_FETCH_FILE', { url })
    return { status: 'failed', url, code: e.code, message: e.message, durationMs: Date.now() - started }
  }
}

/** What one run knows of its pages, across its feeds. */
interface RunPages {
  ctx: ResolverContext
  readLimits: { maxBytes: number; signal?: AbortSignal }
  /**
   * One fetch per page per run, whichever feeds list it: a page in flight or fetched but not yet extracted is shared
   * (and held only until its feed settles it).
   */
  inRun: Map<string, Promise<PageFetchOutcome>>
  /** Pages settled this run, answered from what they gave. */
  settled: Map<string, PageState>
  /** Links whose stored state this run marked seen (another feed listing them needs not write it again). */
  seenNow: Set<string>
}

export function createPageResolver(ctx: ResolverContext): PageResolver {
  const run: RunPages = {
    ctx,
    readLimits: { maxBytes: ctx.options.pageMaxBytes, ...(ctx.signal ? { signal: ctx.signal } : {}) },
    inRun: new Map(),
    settled: new Map(),
    seenNow: new Set(),
  }
  return {
    plan: (source, teasers) => planPages(run, source, teasers),
    settle: (plan, outputs) => settlePages(run, plan, outputs),
  }
}

async function planPages(run: RunPages, source: Source, teasers: Teaser[]): Promise<PagePlan> {
  const stored = await run.ctx.store.getSourceStates(teasers.map((t) => pageKey(t.url)))
  const plan: PagePlan = { pages: {}, states: [], before: new Map(), counts: emptyPageCounts(), warnings: [] }
  const now = run.ctx.now().getTime()
  const toFetch: string[] = []
  for (const { url } of teasers) {
    if (!fromKnown(run, plan, url, stored.get(pageKey(url))?.page, now)) toFetch.push(url)
  }
  const fetched = await Promise.all(toFetch.map((url) => fetchOnce(run, source, url)))
  for (const [i, outcome] of fetched.entries()) recordFetch(run, plan, toFetch[i] as string, outcome, now)
  return plan
}

/**
 * A teaser's page as this run or the store knows it: rebuilt from an extraction, or skipped while its back-off runs
 * (true), or to be fetched (false). A stored state still listed is marked seen, at most once a day
 * (StateStore.prunePages).
 */
function fromKnown(run: RunPages, plan: PagePlan, url: string, stored: PageState | undefined, now: number): boolean {
  const { counts } = plan
  const state = run.settled.get(url) ?? stored
  plan.before.set(url, state)
  if (
    state &&
    !run.settled.has(url) &&
    !run.seenNow.has(url) &&
    (state.seenAt ?? state.lastAttemptAt) < now - SEEN_REFRESH_MS
  ) {
    plan.states.push({ key: pageKey(url), page: { ...state, seenAt: now } })
    run.seenNow.add(url)
  }
  if (state?.status === 'ok' && state.extraction) {
    plan.pages[url] = { stored: state.extraction }
    counts.reused++
    counts.extracted++
    return true
  }
  if (state?.status === 'failed' && (state.nextAttemptAt === undefined || state.nextAttemptAt > now)) {
    counts.skipped++
    noteRetry(plan, state.nextAttemptAt)
    return true
  }
  return false
}

/** What fetching a page gave: its HTML for the feed job, or a warning and (unless the budget left it out) a failed state. */
function recordFetch(run: RunPages, plan: PagePlan, url: string, outcome: PageFetchOutcome, now: number): void {
  const { counts } = plan
  if (outcome.status === 'ok') {
    counts.fetched++
    plan.pages[url] = { html: outcome.text, url: outcome.url }
    return
  }
  plan.warnings.push({ code: outcome.code, message: `page ${url}: ${outcome.message}` })
  if (outcome.status === 'skipped') {
    counts.skipped++
    // the run's budget says nothing about the page: it is asked for again next run
    if (outcome.code === 'ERR_PAGE_BUDGET') {
      noteRetry(plan, now)
      return
    }
  } else {
    counts.fetched++
    counts.failed++
  }
  const retryAfter = outcome.status === 'failed' ? outcome.retryAfter : undefined
  const page = failedState(run, plan.before.get(url), outcome.code, retryAfter)
  noteRetry(plan, page.nextAttemptAt)
  plan.states.push({ key: pageKey(url), page })
  run.settled.set(url, page)
  run.inRun.delete(url)
}

function settlePages(run: RunPages, plan: PagePlan, outputs: Record<string, PageOutput> | undefined): SourceState[] {
  const states: SourceState[] = []
  // the pages' text is not kept past this: the run's memory stays bounded by the feeds in flight
  for (const [url, input] of Object.entries(plan.pages)) if ('html' in input) run.inRun.delete(url)
  if (!outputs) return states
  const now = run.ctx.now().getTime()
  for (const [url, output] of Object.entries(outputs)) {
    const before = plan.before.get(url)
    if (output.ok) {
      plan.counts.extracted++
      const page: PageState = {
        status: 'ok',
        attempts: (before?.attempts ?? 0) + 1,
        lastAttemptAt: now,
        seenAt: now,
        extraction: output.extraction,
      }
      states.push({ key: pageKey(url), page })
      run.settled.set(url, page)
    } else {
      plan.counts.failed++
      plan.warnings.push({ code: output.code, message: `page ${url}: ${output.message}` })
      const page = failedState(run, before, output.code)
      noteRetry(plan, page.nextAttemptAt)
      states.push({ key: pageKey(url), page })
      run.settled.set(url, page)
    }
  }
  return states
}

function fetchOnce(run: RunPages, source: Source, url: string): Promise<PageFetchOutcome> {
  let pending = run.inRun.get(url)
  if (!pending) {
    const saved = savedPage(run.ctx.options.localPages, url)
    pending = saved
      ? readPageFile(saved, url, run.readLimits)
      : url.startsWith('file:')
        ? readLocalPage(run, source, url)
        : run.ctx.session.fetchPage(url)
    run.inRun.set(url, pending)
  }
  return pending
}

async function readLocalPage(run: RunPages, source: Source, url: string): Promise<PageFetchOutcome> {
  if (!localPageAllowed(source, url)) {
    return {
      status: 'failed',
      url,
      code: 'ERR_FETCH_UNSUPPORTED_URL',
      message: `A file: page is read only beside a file: feed: ${url}`,
      durationMs: 0,
    }
  }
  return readPageFile(url, url, run.readLimits)
}

/** A failed page's state: one more attempt, and the next one after a back-off doubling per failure (or given up). */
function failedState(run: RunPages, before: PageState | undefined, code: string, retryAfter = 0): PageState {
  const { options } = run.ctx
  const now = run.ctx.now().getTime()
  const attempts = (before?.attempts ?? 0) + 1
  const state: PageState = { status: 'failed', attempts, lastAttemptAt: now, seenAt: now, code }
  if (attempts < options.maxAttempts) {
    state.nextAttemptAt = now + Math.max(retryAfter, options.retryMs * 2 ** (attempts - 1))
  }
  return state
}
