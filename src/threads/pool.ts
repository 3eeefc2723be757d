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
const YOUNG_GENERATION_MB = 8

interface Slot {
  worker: Worker
  pending: Map<number, Pending>
}

/** In-thread processor: the same work, no threads. */
export function createInlineProcessor(): FeedProcessor {
  return { threads: 0, run: processFeed, close: async () => {} }
}

/**
 * `threads` workers (0 → in the main thread). Jobs go to the worker with the fewest in flight. A worker runs its jobs
 * one after another, so when it dies (out of memory, or a crash) the oldest job in flight is the one it was running:
 * that job fails (ERR_PARSE_TOO_LARGE when the heap limit was hit, else ERR_INTERNAL), the worker is replaced, and
 * its other jobs are sent to the new one.
 */
export function createFeedProcessor(threads: number, options: FeedProcessorOptions = {}): FeedProcessor {
  // the built worker (dist/worker.js, beside the chunk that holds this code), or the TypeScript source under tsx
  const script = threads > 0 ? entryScript(import.meta.url, './worker.js', './entry.ts') : undefined
  if (!script) return createInlineProcessor()
  let nextId = 0
  let closed = false
  const slots: Slot[] = []

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
      const jobs = [...slot.pending.values()]
      slot.pending.clear()
      const running = jobs.shift()
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
        for (const p of jobs) p.reject(new TonghopError('ERR_INTERNAL', 'The feed processor is closed'))
        return
      }
      const next = spawn(index)
      slots[index] = next
      for (const p of jobs) post(next, p)
    }
    worker.on('error', fail)
    worker.on('exit', (code) => {
      if (!closed && slots[index] === slot) fail(new Error(`exited with code ${code}`))
    })
    return slot
  }
  const post = (slot: Slot, pending: Pending) => {
    const id = nextId++
    slot.pending.set(id, pending)
    if (slot.pending.size === 1) slot.worker.ref()
    slot.worker.postMessage({ id, job: pending.job })
  }
  for (let i = 0; i < threads; i++) slots.push(spawn(i))

  return {
    threads,
    run(job) {
      if (closed) return Promise.reject(new TonghopError('ERR_INTERNAL', 'The feed processor is closed'))
      let slot = slots[0]!
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s
      return new Promise<ProcessResult>((resolve, reject) => post(slot, { job, resolve, reject })).finally(() => {
        // the job may have moved to a replacement worker: unref every idle one
        for (const s of slots) if (s.pending.size === 0) s.worker.unref()
      })
    },
    async close() {
      if (closed) return
      closed = true
      await Promise.all(slots.map((s) => s.worker.terminate()))
    },
  }
}
