/**
 * A small pool of worker threads that parse and normalize feeds off the main thread (which keeps fetching,
 * deduplicating and writing the store). Falls back to the main thread when no worker script is available.
 */

import { Worker } from 'node:worker_threads'
import { ParseError, TonghopError } from '../errors.js'
import { entryScript } from '../internal/entry-script.js'
import { type ProcessJob, type ProcessResult, processFeed } from './process-feed.js'

export interface FeedProcessor {
  readonly threads: number
  run(job: ProcessJob): Promise<ProcessResult>
  close(): Promise<void>
}

interface Pending {
  job: ProcessJob
  resolve: (result: ProcessResult) => void
  reject: (error: Error) => void
}

export interface FeedProcessorOptions {
  /**
   * Old-generation heap limit of each worker, in MiB (default 256). V8 sizes an unlimited heap from the machine's
   * memory and collects lazily, so a long run's worker would otherwise grow by hundreds of MiB. A feed that needs more
   * than this fails alone with ERR_PARSE_TOO_LARGE; the worker is replaced and its other jobs run again.
   */
  heapMb?: number
}

const DEFAULT_HEAP_MB = 256
/**
 * Jobs sent to one worker at once: the one it runs and the next (so it never waits for the main thread between two
 * jobs). The others wait here, where a first pass can still go ahead of them.
 */
const PER_WORKER = 2
const YOUNG_GENERATION_MB = 8

interface Slot {
  worker: Worker
  /** The jobs sent to the worker (at most PER_WORKER), by message id, oldest first. */
  pending: Map<number, Pending>
}

/** In-thread processor: the same work, no threads. */
export function createInlineProcessor(): FeedProcessor {
  return { threads: 0, run: processFeed, close: async () => {} }
}

/**
 * `threads` workers (0 → in the main thread). A worker is sent at most two jobs at a time (the least loaded first);
 * the jobs waiting for a worker are kept here, and a feed's first pass (no `pages`: parse, and for full text find the
 * teasers) goes before jobs that extract pages: the next feed of a host is parsed, and its pages join the host's
 * queue, without waiting behind other feeds' extraction. A worker runs its jobs one after another, so when it dies
 * (out of memory, or a crash) the oldest job in flight is the one it was running: that job fails (ERR_PARSE_TOO_LARGE
 * when the heap limit was hit, else ERR_INTERNAL), the worker is replaced, and its other job waits again.
 */
export function createFeedProcessor(threads: number, options: FeedProcessorOptions = {}): FeedProcessor {
  // the built worker (dist/worker.js, beside the chunk that holds this code), or the TypeScript source under tsx
  const script = threads > 0 ? entryScript(import.meta.url, './worker.js', './entry.ts') : undefined
  if (!script) return createInlineProcessor()
  let nextId = 0
  let closed = false
  const slots: Slot[] = []
  // jobs no worker has yet: first passes (parse, find the teasers), then the rest (extraction, normalize)
  const firstPasses: Pending[] = []
  const others: Pending[] = []

  const spawn = (index: number): Slot => {
    const worker = new Worker(script.url, {
      execArgv: script.execArgv,
      resourceLimits: {
        maxOldGenerationSizeMb: options.heapMb ?? DEFAULT_HEAP_MB,
        maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
      },
    })
    const slot: Slot = { worker, pending: new Map() }
    worker.unref()
    worker.on(
      'message',
      (message: { id: number; result?: ProcessResult; error?: { code: string; message: string } }) => {
        const pending = slot.pending.get(message.id)
        if (!pending) return
        slot.pending.delete(message.id)
        dispatch()
        if (message.error) {
          const { url, source } = pending.job
          pending.reject(
            new TonghopError(message.error.code as TonghopError['code'], message.error.message, {
              url,
              sourceId: source.id,
            }),
          )
        } else pending.resolve(message.result!)
      },
    )
    let failed = false
    const fail = (error: Error & { code?: string }) => {
      if (failed) return
      failed = true
      // a worker runs its jobs one after another: the oldest in flight is the one it was running
      const [running, ...queued] = [...slot.pending.values()]
      slot.pending.clear()
      if (running) {
        const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        running.reject(
          outOfMemory
            ? new ParseError(
                'ERR_PARSE_TOO_LARGE',
                `Processing this feed needs more than the worker's ${options.heapMb ?? DEFAULT_HEAP_MB} MiB heap`,
                { url: running.job.url, sourceId: running.job.source.id, cause: error },
              )
            : new TonghopError('ERR_INTERNAL', `Feed worker failed: ${error.message}`, {
                url: running.job.url,
                sourceId: running.job.source.id,
                cause: error,
              }),
        )
      }
      if (closed) {
        for (const p of queued) p.reject(new TonghopError('ERR_INTERNAL', 'The feed processor is closed'))
        return
      }
      // the jobs it had not begun go first again, each to its own queue
      for (const p of queued.reverse()) (p.job.pages === undefined ? firstPasses : others).unshift(p)
      slots[index] = spawn(index)
      dispatch()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => {
      if (!closed && slots[index] === slot) fail(new Error(`exited with code ${code}`))
    })
    return slot
  }
  /**
   * Top each worker up to PER_WORKER jobs, first passes first; a worker with none is unref'd (it does not keep the
   * process up). Least loaded workers first.
   */
  const dispatch = () => {
    for (;;) {
      let slot: Slot | undefined
      for (const s of slots) if (s.pending.size < PER_WORKER && (!slot || s.pending.size < slot.pending.size)) slot = s
      const pending = slot && (firstPasses.shift() ?? others.shift())
      if (!slot || !pending) break
      const id = nextId++
      slot.pending.set(id, pending)
      slot.worker.ref()
      slot.worker.postMessage({ id, job: pending.job })
    }
    for (const s of slots) if (s.pending.size === 0) s.worker.unref()
  }
  for (let i = 0; i < threads; i++) slots.push(spawn(i))

  return {
    threads,
    run(job) {
      if (closed) return Promise.reject(new TonghopError('ERR_INTERNAL', 'The feed processor is closed'))
      return new Promise<ProcessResult>((resolve, reject) => {
        ;(job.pages === undefined ? firstPasses : others).push({ job, resolve, reject })
        dispatch()
      })
    },
    async close() {
      if (closed) return
      closed = true
      for (const p of firstPasses.splice(0).concat(others.splice(0)))
        p.reject(new TonghopError('ERR_INTERNAL', 'The feed processor is closed'))
      await Promise.all(slots.map((s) => s.worker.terminate()))
    },
  }
}
