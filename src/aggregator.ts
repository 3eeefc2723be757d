/**
 * The one file that knows the stage order: sources → fetch → parse → normalize → dedupe → store → publish.
 * A failing source is data in the RunReport; run() rejects only for run-level failures (bad config, store
 * unavailable, lock held).
 */
import { createHash, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { availableParallelism, hostname } from 'node:os'
import { dirname } from 'node:path'
import { createDeduper } from './dedupe/index.js'
import { StoreError, toTonghopError } from './errors.js'
import {
  createFetchSession,
  type FetchRequest,
  type FetchSession,
  fetchSources,
  type OutcomeControl,
  type SourceFetchOutcome,
} from './fetch/index.js'
import { createPageResolver, type PageResolver } from './full-text.js'
import { runStoriesHook, type StoryChange } from './hooks.js'
import { runMetrics } from './metrics.js'
import { publishSourcesPages } from './operator.js'
import { type AggregatorOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { filterStories, writeFeed } from './publish/index.js'
import { resolveSources } from './sources/index.js'
import { createMemoryStore, createSqliteStore, rememberArticleJson, withHealth } from './store/index.js'
import type { SourceState, StateStore, StoreTransaction } from './store/types.js'
import { createFeedProcessor, type FeedProcessor, type ProcessJob } from './threads/index.js'
import type { OutputFormat, RunReport, Source, SourceOutcome } from './types.js'
import { VERSION } from './version.js'

export interface RunOptions {
  /** Fetch and process, but write no output and leave the store as it was. @default false */
  dryRun?: boolean
  /**
   * Take the store's run lock, so two runs on one store never overlap. Set it to false only when the caller already
   * holds an exclusive lock of its own (the CLI's pid-checked lock file). Ignored by shared stores, which lease
   * sources instead. @default true
   */
  runLock?: boolean
}

export interface Aggregator {
  /** One run over every source. Rejects only for run-level failures. */
  run(options?: RunOptions): Promise<RunReport>
  /** Close the store if the aggregator opened it. */
  close(): Promise<void>
}

/** How long the run lock lives if the process dies without releasing it. */
const RUN_LOCK_TTL_MS = 30 * 60_000
const DAY_MS = 86_400_000

export function createAggregator(input: AggregatorOptions): Aggregator {
  const options = resolveOptions(input)
  let opened: Promise<StateStore> | undefined
  let closed = false

  const getStore = (): Promise<StateStore> => {
    opened ??= openStore(options).catch((error: unknown) => {
      opened = undefined
      throw error
    })
    return opened
  }

  return {
    async run(runOptions = {}) {
      if (closed) throw new StoreError('ERR_STORE_UNAVAILABLE', 'This aggregator was closed')
      return runOnce(options, await getStore(), runOptions)
    },
    async close() {
      if (closed) return
      closed = true
      if (opened && !isStateStore(options.store)) await (await opened).close()
    },
  }
}

/** One-shot helper: a memory store unless one is given; the store is closed afterwards if it was opened here. */
export async function aggregate(input: AggregatorOptions): Promise<RunReport> {
  const aggregator = createAggregator({ ...input, store: input.store ?? { memory: true } })
  try {
    return await aggregator.run()
  } finally {
    await aggregator.close()
  }
}

function isStateStore(value: unknown): value is StateStore {
  return typeof value === 'object' && value !== null && typeof (value as StateStore).begin === 'function'
}

async function openStore(options: ResolvedOptions): Promise<StateStore> {
  const spec = options.store
  let store: StateStore
  if (isStateStore(spec)) store = spec
  else if ('sqlite' in spec) {
    if (spec.sqlite !== ':memory:') await mkdir(dirname(spec.sqlite), { recursive: true })
    store = createSqliteStore({ path: spec.sqlite })
  } else if ('postgres' in spec) {
    const { createPostgresStore } = await import('./store/postgres/index.js')
    store = createPostgresStore({ connectionString: spec.postgres })
  } else store = createMemoryStore()
  await store.init()
  return store
}

interface RunContext {
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

/** Serialise async work: dedupe and store writes of one run happen one source at a time. */
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

async function runOnce(options: ResolvedOptions, store: StateStore, runOptions: RunOptions): Promise<RunReport> {
  const now = options.now
  const startedAt = now()
  const { logger } = options
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`
  const shared = typeof store.claimSources === 'function'
  const dryRun = runOptions.dryRun === true
  const runLock = !shared && runOptions.runLock !== false

  const sources = await resolveSources(options.sources, { baseDir: options.baseDir })

  // Shared stores (several workers) lease sources chunk by chunk (see processShared); single-machine stores take
  // one run lock.
  const due = sources
  if (!shared && runLock && !(await store.acquireLock('run', owner, RUN_LOCK_TTL_MS))) {
    throw new StoreError('ERR_STORE_LOCKED', `Another tonghop run holds the ${store.kind} store's run lock`)
  }

  const threads = options.threads ?? (due.length >= 16 ? Math.max(1, availableParallelism() - 1) : 0)
  const processor = createFeedProcessor(threads)
  const { extract } = options
  const session = createFetchSession({
    ...options.fetch,
    pagesPerRun: extract.pagesPerRun,
    pagesPerHost: extract.pagesPerHost,
    robots: extract.robots,
    pageMaxBytes: extract.pageMaxBytes,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    now,
    logger,
  })
  try {
    const pages = createPageResolver({
      store,
      session,
      options: extract,
      now,
      ...(options.signal ? { signal: options.signal } : {}),
    })
    const ctx: RunContext = { now, dryRun, startedAt, storiesWritten: 0, session, pages, changed: new Map() }
    const report = shared
      ? await processShared(options, store, owner, due, processor, ctx)
      : await processSources(options, store, due, processor, ctx)
    let removed = 0
    if (!dryRun && options.retention.days > 0) {
      removed = await store.prune(new Date(now().getTime() - options.retention.days * DAY_MS))
      if (removed > 0) logger.info({ removed }, 'pruned old stories')
    }
    if (!dryRun && options.extract.keepPagesMs > 0 && store.prunePages) {
      const pages = await store.prunePages(new Date(now().getTime() - options.extract.keepPagesMs))
      if (pages > 0) logger.info({ pages }, 'forgot page states no feed listed lately')
    }
    // Outputs are a function of the stored stories and their settings: when this run changed neither (every feed
    // 304 or unchanged), an output already written with the same settings is not rendered again. Other workers may
    // change a shared store, so there every round renders.
    const storeChanged = shared || ctx.storiesWritten > 0 || removed > 0
    if (!dryRun) report.outputs = await publishOutputs(options, store, owner, shared, storeChanged)
    const hook = dryRun ? undefined : await runStoriesHook(options, store, ctx.changed)
    if (hook) report.hook = hook
    if (!dryRun) await publishSourcesPages(options, store, sources)
    report.finishedAt = now()
    report.metrics = runMetrics(report)
    logger.info(
      {
        sources: report.sources.length,
        ...report.stories,
        durationMs: report.finishedAt.getTime() - startedAt.getTime(),
      },
      'run finished',
    )
    return report
  } finally {
    await processor.close()
    await session.close().catch(() => {})
    if (!shared && runLock) await store.releaseLock('run', owner).catch(() => {})
  }
}

/**
 * Several workers, one round: claim a chunk of due sources, process it in its own transaction (batches checkpointed),
 * release it, repeat. A source is done when its state shows a fetch since the round began (by any worker) or this
 * worker processed it; sources leased by others are waited for — they finish, or their lease expires and they are
 * claimed here — so every source is fetched once per round and none is lost when a worker dies.
 */
async function processShared(
  options: ResolvedOptions,
  store: StateStore,
  owner: string,
  sources: Source[],
  processor: FeedProcessor,
  ctx: RunContext,
): Promise<RunReport> {
  const chunkSize = Math.max(4, options.fetch.concurrency * 2)
  const { leaseMs, freshMs } = options.share
  const fresh = ctx.startedAt.getTime() - freshMs
  const reports: RunReport[] = []
  let pending = sources
  while (pending.length > 0) {
    const states = await store.getSourceStates(pending.map((s) => s.id))
    pending = pending.filter((s) => (states.get(s.id)?.lastFetchedAt?.getTime() ?? -Infinity) < fresh)
    let chunk: Source[] = []
    for (let i = 0; i < pending.length && chunk.length === 0; i += chunkSize) {
      const slice = pending.slice(i, i + chunkSize)
      const got = new Set(
        await store.claimSources!(
          owner,
          slice.map((s) => s.id),
          leaseMs,
        ),
      )
      chunk = slice.filter((s) => got.has(s.id))
      if (chunk.length === 0) continue
      // Another worker may have finished some of these between our read and our claim (it commits its states
      // before it releases its leases): read again now that we hold them, and give back what is done.
      const now = await store.getSourceStates(chunk.map((s) => s.id))
      const done = chunk.filter((s) => (now.get(s.id)?.lastFetchedAt?.getTime() ?? -Infinity) >= fresh)
      if (done.length > 0) {
        await store.releaseSources?.(
          owner,
          done.map((s) => s.id),
        )
        const gone = new Set(done.map((s) => s.id))
        chunk = chunk.filter((s) => !gone.has(s.id))
        pending = pending.filter((s) => !gone.has(s.id))
        i -= done.length // the slice after this one moved up
      }
    }
    if (chunk.length === 0) {
      if (pending.length === 0) break
      await new Promise((r) => setTimeout(r, 500)) // the rest is leased by live workers: wait for them or expiry
      continue
    }
    try {
      reports.push(await processSources(options, store, chunk, processor, ctx))
    } finally {
      await store
        .releaseSources?.(
          owner,
          chunk.map((s) => s.id),
        )
        .catch(() => {})
    }
    const done = new Set(chunk.map((s) => s.id))
    pending = pending.filter((s) => !done.has(s.id))
  }
  return {
    startedAt: ctx.startedAt,
    finishedAt: ctx.now(),
    sources: reports.flatMap((r) => r.sources),
    stories: {
      new: reports.reduce((n, r) => n + r.stories.new, 0),
      updated: reports.reduce((n, r) => n + r.stories.updated, 0),
      duplicates: reports.reduce((n, r) => n + r.stories.duplicates, 0),
    },
    outputs: [],
  }
}

async function processSources(
  options: ResolvedOptions,
  store: StateStore,
  sources: Source[],
  processor: FeedProcessor,
  ctx: RunContext,
): Promise<RunReport> {
  const { logger } = options
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
  const requests: FetchRequest[] = sources.map((source) => {
    const state = states.get(source.id)
    const host = hostKey(state?.url ?? source.url)
    const hostState = host ? states.get(host) : undefined
    return { source, ...(state ? { state } : {}), ...(hostState ? { hostState } : {}) }
  })

  const tx: StoreTransaction = await store.begin()
  const deduper = createDeduper(store, { ...options.dedupe, now: ctx.now })
  const serial = createSerial()
  const outcomes = new Map<string, SourceOutcome>()
  const newStates: SourceState[] = []
  const totals = { new: 0, updated: 0, duplicates: 0 }
  let done = 0

  const handle = async (fetched: SourceFetchOutcome, control: OutcomeControl): Promise<void> => {
    const outcome = await processOne(fetched, control)
    outcomes.set(fetched.source.id, outcome)
    done++
    options.onProgress?.({ done, total: sources.length, outcome })
  }

  const processOne = async (fetched: SourceFetchOutcome, control: OutcomeControl): Promise<SourceOutcome> => {
    const { source } = fetched
    const outcome = emptyOutcome(source, fetched.status)
    outcome.durationMs = fetched.durationMs
    const result = fetched.result
    if (result) {
      outcome.httpStatus = result.httpStatus
      if (result.bytes) outcome.bytes = result.bytes.byteLength
      if (result.url !== source.url) outcome.finalUrl = result.url
    }
    if (fetched.state.url && fetched.state.url !== source.url) outcome.movedTo = fetched.state.url
    if (fetched.error) {
      outcome.code = fetched.error.code
      outcome.message = fetched.error.message
      if (fetched.error.httpStatus !== undefined) outcome.httpStatus = fetched.error.httpStatus
      if (fetched.error.retryAfter !== undefined) outcome.retryAfter = fetched.error.retryAfter
    }
    if (fetched.hostState) newStates.push(fetched.hostState)
    // an unchanged body comes with its text only when pages of it are due again (SourceState.pagesRetryAt)
    if ((fetched.status !== 'ok' && fetched.status !== 'unchanged') || result?.text === undefined) {
      newStates.push(fetched.state)
      return outcome
    }
    try {
      const mode = source.fullText ?? options.extract.fullText
      const job: ProcessJob = {
        text: result.text,
        url: result.url,
        source,
        nowMs: ctx.now().getTime(),
        ...(result.contentType ? { contentType: result.contentType } : {}),
        timeZone: options.normalize.timeZone,
        ...(options.normalize.outlets ? { outlets: options.normalize.outlets } : {}),
        // the per-article half of dedupe runs beside parsing (in the worker when there is one)
        dedupe: options.dedupe,
        // and so does the articles' JSON for the store, when a worker does it
        json: processor.threads > 0,
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
      let processed = await processor.run(job)
      let pagesRetryAt: number | undefined
      if (processed.teasers) {
        // teasers: their pages (fetched now through the run's session, or extracted on an earlier run), then the
        // feed again with them
        const plan = await ctx.pages.plan(source, processed.teasers)
        // its pages are fetched: the host's next feed is requested and parsed while these are extracted
        control.releaseHost()
        processed = await processor.run({ ...job, pages: plan.pages })
        newStates.push(...plan.states, ...ctx.pages.settle(plan, processed.pages))
        outcome.pages = plan.counts
        outcome.warnings.push(...plan.warnings)
        pagesRetryAt = plan.retryAt
      }
      const { json } = processed
      if (json?.length === processed.articles.length) {
        for (let i = 0; i < json.length; i++) rememberArticleJson(processed.articles[i]!, json[i]!)
      }
      outcome.warnings.push(...processed.warnings)
      outcome.items.total = processed.itemCount
      outcome.items.skipped = processed.skipped
      await serial(async () => {
        const { records, outcomes: perArticle } = await deduper.add(processed.articles, processed.prepared)
        if (records.length > 0) await tx.write({ stories: records })
        ctx.storiesWritten += records.length
        // shared stores: commit the batch and release its dedupe locks (held for one batch, not the whole run)
        if (!ctx.dryRun) await tx.checkpoint?.()
        for (const a of perArticle) {
          if (a.kind === 'new' || a.kind === 'updated') ctx.changed.set(a.storyId, ctx.changed.get(a.storyId) ?? a.kind)
          if (a.kind === 'new') outcome.items.new++
          else if (a.kind === 'updated') outcome.items.updated++
          else if (a.kind === 'duplicate') outcome.items.duplicates++
        }
      })
      totals.new += outcome.items.new
      totals.updated += outcome.items.updated
      totals.duplicates += outcome.items.duplicates
      const { pagesRetryAt: _, ...state } = fetched.state
      newStates.push(pagesRetryAt === undefined ? state : { ...state, pagesRetryAt })
    } catch (error) {
      const e = toTonghopError(error, 'ERR_PARSE_INVALID_FEED', { url: result.url, sourceId: source.id })
      if (e.code.startsWith('ERR_STORE_')) throw e
      outcome.status = 'failed'
      outcome.code = e.code
      outcome.message = e.message
      // keep the old validators and body hash: the next run must process this body again
      const previous = states.get(source.id) ?? { key: source.id }
      newStates.push({ ...previous, key: source.id, lastFetchedAt: ctx.now(), lastStatus: 'failed' })
      logger.warn({ sourceId: source.id, url: result.url, code: e.code }, e.message)
    }
    return outcome
  }

  try {
    await fetchSources(requests, {
      ...options.fetch,
      session: ctx.session,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      now: ctx.now,
      logger,
      onOutcome: handle,
    })
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

async function publishOutputs(
  options: ResolvedOptions,
  store: StateStore,
  owner: string,
  shared: boolean,
  storeChanged: boolean,
): Promise<RunReport['outputs']> {
  if (options.outputs.length === 0) return []
  // With several workers, one publishes per round.
  if (shared && !(await store.acquireLock('publish', owner, RUN_LOCK_TTL_MS))) {
    return options.outputs.map((o) => ({ path: o.path, format: o.format, written: false, items: 0 }))
  }
  const keys = options.outputs.map((o) => `output:${o.path}`)
  const previous = storeChanged ? new Map<string, SourceState>() : await store.getSourceStates(keys)
  const written: SourceState[] = []
  try {
    const results: RunReport['outputs'] = []
    for (const output of options.outputs) {
      const format: OutputFormat = output.format
      const key = `output:${output.path}`
      const settings = outputSettingsHash(options, output)
      const last = previous.get(key)
      // a `since` given as a duration moves with the clock, so such an output is always rendered
      const moving = typeof output.filter?.since === 'number'
      if (!storeChanged && !moving && last?.bodyHash === settings && existsSync(output.path)) {
        results.push({ path: output.path, format, written: false, items: last.items ?? 0 })
        continue
      }
      try {
        const filter = output.filter
        const unlimited = output.limit === 0 || output.limit === Number.POSITIVE_INFINITY
        // listStories is newest first; a filter drops stories, so the limit is applied after it (by writeFeed).
        const listed = store.listStories({
          limit: filter || unlimited ? Number.POSITIVE_INFINITY : output.limit,
          ...(filter?.since === undefined ? {} : { since: sinceDate(filter.since, options.now()) }),
        })
        const stories = filter ? filterStories(listed, filter, options.now()) : listed
        const description = output.description ?? options.feed.description
        const language = output.language ?? options.feed.language
        const result = await writeFeed(stories, {
          path: output.path,
          format,
          title: output.title,
          link: output.link,
          limit: output.limit,
          presorted: true,
          ...(description ? { description } : {}),
          ...(language ? { language } : {}),
          creditTemplate: options.publish.creditTemplate,
          ...(options.publish.alsoPublishedBy ? {} : { alsoPublishedByTemplate: false as const }),
          ...(options.publish.hub ? { hub: options.publish.hub } : {}),
          ...(output.url ? { feedUrl: output.url } : {}),
          ...(output.archive ? { archive: output.archive } : {}),
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
          alternates: options.outputs
            .filter((o) => o !== output && o.format !== 'html')
            .map((o) => ({ format: o.format, href: relativeHref(output.path, o.path) })),
        })
        results.push({ path: output.path, format, written: result.written, items: result.items })
        written.push({ key, bodyHash: settings, items: result.items, lastFetchedAt: options.now() })
      } catch (error) {
        const e = toTonghopError(error, 'ERR_PUBLISH_WRITE')
        options.logger.error({ path: output.path, code: e.code }, e.message)
        results.push({ path: output.path, format, written: false, items: 0, code: e.code, message: e.message })
      }
    }
    if (written.length > 0) {
      const tx = await store.begin()
      try {
        await tx.write({ sources: written })
        await tx.commit()
      } catch (error) {
        await tx.rollback().catch(() => {})
        throw error
      }
    }
    return results
  } finally {
    if (shared) await store.releaseLock('publish', owner).catch(() => {})
  }
}

/** Everything an output's bytes depend on besides the stories: its settings, the channel and publish options, tonghop's version. */
function outputSettingsHash(options: ResolvedOptions, output: ResolvedOptions['outputs'][number]): string {
  const { path: _path, ...settings } = output
  const alternates = options.outputs.map((o) => [o.path, o.format])
  return createHash('sha256')
    .update(JSON.stringify([VERSION, settings, options.feed, options.publish, alternates]))
    .digest('hex')
}

function sinceDate(since: string | number, now: Date): Date {
  return typeof since === 'number' ? new Date(now.getTime() - since) : new Date(since)
}

/** href of `target` as seen from the directory of `from` (outputs usually share one directory). */
function relativeHref(from: string, target: string): string {
  const dir = from.slice(0, from.lastIndexOf('/') + 1)
  return target.startsWith(dir) ? target.slice(dir.length) : target
}
