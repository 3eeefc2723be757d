/**
 * Worker-thread entry (built to dist/worker.js): runs processFeed for the main thread. Messages in:
 * `{ id, job }`; out: `{ id, result }` or `{ id, error: { code, message } }`.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { parentPort } from 'node:worker_threads'
import { isTonghopError } from '../errors.js'
import { type ProcessJob, processFeed } from './process-feed.js'

/**
 * V8 lets a worker's heap grow toward its limit before a full collection, although between feeds almost nothing in it
 * is alive. Collecting once the used heap passes a quarter of the limit (between feeds, never during one) keeps the
 * worker at 40-55 MiB in a 1,000-feed run, for a few ms per collection. `gc` is taken from a fresh context while
 * --expose-gc is briefly on (the flag is process-wide: it is turned off again at once).
 */
const COLLECT_AT = 0.25
let collect: (() => void) | undefined
try {
  setFlagsFromString('--expose-gc')
  collect = runInNewContext('gc') as () => void
} catch {
  collect = undefined
} finally {
  setFlagsFromString('--no-expose-gc')
}

function collectIfLarge() {
  if (!collect) return
  const heap = getHeapStatistics()
  if (heap.used_heap_size > heap.heap_size_limit * COLLECT_AT) collect()
}

const port = parentPort
if (port) {
  port.on('message', (message: { id: number; job: ProcessJob }) => {
    processFeed(message.job)
      .then(
        (result) => port.postMessage({ id: message.id, result }),
        (error: unknown) =>
          port.postMessage({
            id: message.id,
            error: {
              code: isTonghopError(error) ? error.code : 'ERR_INTERNAL',
              message: error instanceof Error ? error.message : String(error),
            },
          }),
      )
      .finally(collectIfLarge)
  })
}
