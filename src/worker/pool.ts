/**
 * A small pool of worker threads that parse and normalize feeds off the main thread (which keeps fetching,
 * deduplicating and writing the store). Falls back to the main thread when no worker script is available.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { TonghopError } from '../errors.js'
import { type ProcessJob, type ProcessResult, processFeed } from './process-feed.js'

export interface FeedProcessor {
  readonly threads: number
  run(job: ProcessJob): Promise<ProcessResult>
  close(): Promise<void>
}

interface Pending {
  resolve: (result: ProcessResult) => void
  reject: (error: Error) => void
}

interface Slot {
  worker: Worker
  pending: Map<number, Pending>
}

/** The built worker (dist/worker.js, beside the chunk that holds this code), or the TypeScript source under tsx. */
function workerScript(): { url: URL; execArgv: string[] } | undefined {
  const built = new URL('./worker.js', import.meta.url)
  if (existsSync(fileURLToPath(built))) return { url: built, execArgv: [] }
  const source = new URL('./entry.ts', import.meta.url)
  if (import.meta.url.endsWith('.ts') && existsSync(fileURLToPath(source))) {
    return { url: source, execArgv: ['--import', 'tsx'] }
  }
  return undefined
}

/** In-thread processor: the same work, no threads. */
export function createInlineProcessor(): FeedProcessor {
  return { threads: 0, run: processFeed, close: async () => {} }
}

/**
 * `threads` workers (0 → in the main thread). Jobs go to the worker with the fewest in flight; a worker that dies
 * fails its jobs with ERR_INTERNAL and is replaced.
 */
export function createFeedProcessor(threads: number): FeedProcessor {
  const script = threads > 0 ? workerScript() : undefined
  if (!script) return createInlineProcessor()
  let nextId = 0
  let closed = false
  const slots: Slot[] = []

  const spawn = (index: number): Slot => {
    const worker = new Worker(script.url, { execArgv: script.execArgv })
    const slot: Slot = { worker, pending: new Map() }
    worker.unref()
    worker.on(
      'message',
      (message: { id: number; result?: ProcessResult; error?: { code: string; message: string } }) => {
        const pending = slot.pending.get(message.id)
        if (!pending) return
        slot.pending.delete(message.id)
        if (message.error) {
          pending.reject(new TonghopError(message.error.code as TonghopError['code'], message.error.message))
        } else pending.resolve(message.result!)
      },
    )
    const fail = (error: Error) => {
      for (const pending of slot.pending.values()) {
        pending.reject(new TonghopError('ERR_INTERNAL', `Feed worker failed: ${error.message}`, { cause: error }))
      }
      slot.pending.clear()
      if (!closed) slots[index] = spawn(index)
    }
    worker.on('error', fail)
    worker.on('exit', (code) => {
      if (!closed && slots[index] === slot) fail(new Error(`exited with code ${code}`))
    })
    return slot
  }
  for (let i = 0; i < threads; i++) slots.push(spawn(i))

  return {
    threads,
    run(job) {
      if (closed) return Promise.reject(new TonghopError('ERR_INTERNAL', 'The feed processor is closed'))
      let slot = slots[0]!
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s
      const id = nextId++
      return new Promise<ProcessResult>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject })
        if (slot.pending.size === 1) slot.worker.ref()
        slot.worker.postMessage({ id, job })
      }).finally(() => {
        if (slot.pending.size === 0) slot.worker.unref()
      })
    },
    async close() {
      if (closed) return
      closed = true
      await Promise.all(slots.map((s) => s.worker.terminate()))
    },
  }
}
