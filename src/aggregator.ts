/**
 * The one file that knows the stage order: sources → fetch → parse → normalize → dedupe → store → publish.
 * A failing source is data in the RunReport; run() rejects only for run-level failures (bad config, store
 * unavailable, lock held).
 */
import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { availableParallelism, hostname } from 'node:os'
import { dirname } from 'node:path'
import { StoreError } from './errors.js'
import { createFetchSession } from './fetch/index.js'
import { createPageResolver } from './full-text.js'
import { runStoriesHook } from './hooks.js'
import { runMetrics } from './metrics.js'
import { publishSourcesPages } from './operator.js'
import { type AggregatorOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { publishOutputs } from './outputs.js'
import { processSources, type RunContext } from './process-sources.js'
import { resolveSources } from './sources/index.js'
import { createMemoryStore, createSqliteStore } from './store/index.js'
import type { StateStore } from './store/types.js'
import { createFeedProcessor, type FeedProcessor } from './threads/index.js'
import type { RunReport, Source } from './types.js'

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
