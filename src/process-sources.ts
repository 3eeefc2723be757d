/**
 * One batch of sources through fetch → parse/normalize (in the feed processor) → pages → dedupe → store, built up as
 * one SourceOutcome per source. A failing source is an outcome, not an exception; only store errors reject.
 */
import { createDeduper, type Deduper } from './dedupe/index.js'
import { toTonghopError } from './errors.js'
import {
  type FetchRequest,
  type FetchSession,
  fetchSources,
  type OutcomeControl,
  type SourceFetchOutcome,
} from './fetch/index.js'
import type { PageResolver } from './full-text.js'
import type { StoryChange } from './hooks.js'
import type { ResolvedOptions } from './options.js'
import { withHealth } from './store/index.js'
import type { SourceState, StateStore, StoreTransaction } from './store/types.js'
import type { FeedProcessor, ProcessJob } from './threads/index.js'
import type { Article, RunReport, Source, SourceOutcome } from './types.js'

export interface RunContext {
  now: () => Date
  dryRun: boolean
  startedAt: Date
  /** Story records written by this run (0: the stored stories are as the last run left them). */
  storiesWritten: number
  /** The run's requests, feeds and article pages: one budget per host. */
  session: FetchSession
  pages: PageResolver
  /** Stories this run made or changed, for the onStories hook. */
  changed: Map<string, StoryChange>
}

/** Everything one batch shares while its sources come back from fetch/. */
interface Batch {
  options: ResolvedOptions
  processor: FeedProcessor
  ctx: RunContext
  tx: StoreTransaction
  deduper: Deduper
  serial: <T>(task: () => Promise<T>) => Promise<T>
  /** The stored states the batch started from (sources and hosts). */
  states: Map<string, SourceState>
  /** States to write when the batch ends. */
  newStates: SourceState[]
}

export async function processSources(
  options: ResolvedOptions,
  store: StateStore,
  sources: Source[],
  processor: FeedProcessor,
  ctx: RunContext,
): Promise<RunReport> {
  const states = await readStates(store, sources)
  const requests: FetchRequest[] = sources.map((source) => {
    const state = states.get(source.id)
    const host = hostKey(state?.url ?? source.url)
    const hostState = host ? states.get(host) : undefined
    return { source, ...(state ? { state } : {}), ...(hostState ? { hostState } : {}) }
  })

  const tx: StoreTransaction = await store.begin()
  const batch: Batch = {
    options,
    processor,
    ctx,
    tx,
    deduper: createDeduper(store, { ...options.dedupe, now: ctx.now }),
    serial: createSerial(),
    states,
    newStates: [],
  }
  const outcomes = new Map<string, SourceOutcome>()
  const totals = { new: 0, updated: 0, duplicates: 0 }
  let done = 0

  const handle = async (fetched: SourceFetchOutcome, control: OutcomeControl): Promise<void> => {
    const outcome = await processOne(batch, fetched, control)
    totals.new += outcome.items.new
    totals.updated += outcome.items.updated
    totals.duplicates += outcome.items.duplicates
    outcomes.set(fetched.source.id, outcome)
    done++
    options.onProgress?.({ done, total: sources.length, outcome })
  }

  try {
    await fetchSources(requests, {
      ...options.fetch,
      session: ctx.session,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      now: ctx.now,
      logger: options.logger,
      onOutcome: handle,
    })
    const { newStates } = batch
    if (newStates.length > 0) await tx.write({ sources: withHealth(newStates, states, outcomes, ctx.now()) })
    if (ctx.dryRun) await tx.rollback()
    else await tx.commit()
  } catch (error) {
    await tx.rollback().catch(() => {})
    throw error
  }

  return {
    startedAt: ctx.startedAt,
    finishedAt: ctx.now(),
    sources: sources.map((s) => outcomes.get(s.id) ?? { ...emptyOutcome(s, 'failed'), code: 'ERR_INTERNAL' }),
    stories: totals,
    outputs: [],
  }
}

/** The stored states of the sources and of their hosts (and of the hosts moved feeds now live on). */
async function readStates(store: StateStore, sources: Source[]): Promise<Map<string, SourceState>> {
  const keys = new Set<string>()
  for (const source of sources) {
    keys.add(source.id)
    const host = hostKey(source.url)
    if (host) keys.add(host)
  }
  const states = await store.getSourceStates([...keys])
  // A feed that moved (permanent redirect) is fetched at its new URL: its host's back-off is the one that applies.
  const movedHosts = new Set<string>()
  for (const state of states.values()) {
    const host = state.url ? hostKey(state.url) : undefined
    if (host && !keys.has(host)) movedHosts.add(host)
  }
  if (movedHosts.size > 0) for (const [k, v] of await store.getSourceStates([...movedHosts])) states.set(k, v)
  return states
}

/** One fetched source to its outcome: the fetch's part, then (a body to process) items, pages and dedupe counts. */
async function processOne(batch: Batch, fetched: SourceFetchOutcome, control: OutcomeControl): Promise<SourceOutcome> {
  const { source } = fetched
  const outcome = fetchedOutcome(fetched)
  const result = fetched.result
  if (fetched.hostState) batch.newStates.push(fetched.hostState)
  // an unchanged body comes with its text only when pages of it are due again (SourceState.pagesRetryAt)
  if ((fetched.status !== 'ok' && fetched.status !== 'unchanged') || result?.text === undefined) {
    batch.newStates.push(fetched.state)
    return outcome
  }
  const { ctx, newStates } = batch
  try {
    const job = processJob(batch, source, { ...result, text: result.text })
    let processed = await batch.processor.run(job)
    let pagesRetryAt: number | undefined
    if (processed.teasers) {
      // teasers: their pages (fetched now through the run's session, or extracted on an earlier run), then the
      // feed again with them
      const plan = await ctx.pages.plan(source, processed.teasers)
      // its pages are fetched: the host's next feed is requested and parsed while these are extracted
      control.releaseHost()
      processed = await batch.processor.run({ ...job, pages: plan.pages })
      newStates.push(...plan.states, ...ctx.pages.settle(plan, processed.pages))
      outcome.pages = plan.counts
      outcome.warnings.push(...plan.warnings)
      pagesRetryAt = plan.retryAt
    }
    // the articles' JSON made in the worker travels with this source's write
    const { articles, json } = processed
    const articleJson = json?.length === articles.length ? new Map<Article, string>() : undefined
    if (articleJson) for (let i = 0; i < articles.length; i++) articleJson.set(articles[i]!, json![i]!)
    outcome.warnings.push(...processed.warnings)
    outcome.items.total = processed.itemCount
    outcome.items.skipped = processed.skipped
    await batch.serial(async () => {
      const { records, outcomes: perArticle } = await batch.deduper.add(articles, processed.prepared)
      if (records.length > 0) await batch.tx.write({ stories: records, ...(articleJson ? { articleJson } : {}) })
      ctx.storiesWritten += records.length
      // shared stores: commit the batch and release its dedupe locks (held for one batch, not the whole run)
      if (!ctx.dryRun) await batch.tx.checkpoint?.()
      for (const a of perArticle) {
        if (a.kind === 'new' || a.kind === 'updated') ctx.changed.set(a.storyId, ctx.changed.get(a.storyId) ?? a.kind)
        if (a.kind === 'new') outcome.items.new++
        else if (a.kind === 'updated') outcome.items.updated++
        else if (a.kind === 'duplicate') outcome.items.duplicates++
      }
    })
    const { pagesRetryAt: _, ...state } = fetched.state
    newStates.push(pagesRetryAt === undefined ? state : { ...state, pagesRetryAt })
  } catch (error) {
    const e = toTonghopError(error, 'ERR_PARSE_INVALID_FEED', { url: result.url, sourceId: source.id })
    if (e.code.startsWith('ERR_STORE_')) throw e
    outcome.status = 'failed'
    outcome.code = e.code
    outcome.message = e.message
    // keep the old validators and body hash: the next run must process this body again
    const previous = batch.states.get(source.id) ?? { key: source.id }
    newStates.push({ ...previous, key: source.id, lastFetchedAt: ctx.now(), lastStatus: 'failed' })
    batch.options.logger.warn({ sourceId: source.id, url: result.url, code: e.code }, e.message)
  }
  return outcome
}

/** The outcome as fetch/ left it: status, HTTP facts, where the feed went, the error. */
function fetchedOutcome(fetched: SourceFetchOutcome): SourceOutcome {
  const { source, result, error } = fetched
  const outcome = emptyOutcome(source, fetched.status)
  outcome.durationMs = fetched.durationMs
  if (result) {
    outcome.httpStatus = result.httpStatus
    if (result.bytes) outcome.bytes = result.bytes.byteLength
    if (result.url !== source.url) outcome.finalUrl = result.url
  }
  if (fetched.state.url && fetched.state.url !== source.url) outcome.movedTo = fetched.state.url
  if (error) {
    outcome.code = error.code
    outcome.message = error.message
    if (error.httpStatus !== undefined) outcome.httpStatus = error.httpStatus
    if (error.retryAfter !== undefined) outcome.retryAfter = error.retryAfter
  }
  return outcome
}

/** What the feed processor is asked to do with one body. */
function processJob(
  batch: Batch,
  source: Source,
  result: { text: string; url: string; contentType?: string | undefined },
): ProcessJob {
  const { options } = batch
  const mode = source.fullText ?? options.extract.fullText
  return {
    text: result.text,
    url: result.url,
    source,
    nowMs: batch.ctx.now().getTime(),
    ...(result.contentType ? { contentType: result.contentType } : {}),
    timeZone: options.normalize.timeZone,
    ...(options.normalize.outlets ? { outlets: options.normalize.outlets } : {}),
    // the per-article half of dedupe runs beside parsing (in the worker when there is one)
    dedupe: options.dedupe,
    // and so does the articles' JSON for the store, when a worker does it
    json: batch.processor.threads > 0,
    ...(mode === 'never'
      ? {}
      : {
          fullText: {
            mode,
            teaserLength: options.extract.teaserLength,
            ...(options.rules.extract.length > 0 ? { rules: options.rules.extract } : {}),
          },
        }),
  }
}

function emptyOutcome(source: Source, status: SourceOutcome['status']): SourceOutcome {
  return {
    id: source.id,
    url: source.url,
    status,
    items: { total: 0, new: 0, updated: 0, duplicates: 0, skipped: 0 },
    durationMs: 0,
    warnings: [],
  }
}

/** Serialise async work: dedupe and store writes of one batch happen one source at a time. */
function createSerial() {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(task: () => Promise<T>): Promise<T> => {
    const next = tail.then(task, task)
    tail = next.catch(() => {})
    return next
  }
}

function hostKey(url: string): string | undefined {
  try {
    const { protocol, host } = new URL(url)
    return protocol === 'http:' || protocol === 'https:' ? `host:${host}` : undefined
  } catch {
    return undefined
  }
}
