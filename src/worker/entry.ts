/**
 * Worker-thread entry (built to dist/worker.js): runs processFeed for the main thread. Messages in:
 * `{ id, job }`; out: `{ id, result }` or `{ id, error: { code, message } }`.
 */
import { parentPort } from 'node:worker_threads'
import { isTonghopError } from '../errors.js'
import { type ProcessJob, processFeed } from './process-feed.js'

const port = parentPort
if (port) {
  port.on('message', (message: { id: number; job: ProcessJob }) => {
    processFeed(message.job).then(
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
  })
}
