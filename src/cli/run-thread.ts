/**
 * Entry of the thread `tonghop run` works in (src/cli/thread.ts starts it): runCommand with the flags it was given,
 * told of SIGINT / SIGTERM by the main thread, and its exit code posted back.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { dropSqliteWarning } from './quiet-warnings.js'
import type { RunFlags } from './run.js'

// before anything loads node:sqlite: run.js is imported below, after this call
dropSqliteWarning()

const { flags, version } = workerData as { flags: RunFlags; version: string }
const port = parentPort
if (!port) throw new Error('src/cli/run-thread.ts runs as a worker thread')

const handlers = new Set<(signal: NodeJS.Signals) => void>()
port.on('message', (message: { signal?: NodeJS.Signals }) => {
  if (message.signal) for (const handler of handlers) handler(message.signal)
})
// the port must not keep the thread alive once the run is over
port.unref()

import('./run.js')
  .then(({ runCommand }) =>
    runCommand(flags, version, (handler) => {
      handlers.add(handler)
      return () => handlers.delete(handler)
    }),
  )
  .then(
    (exitCode) => port.postMessage({ exitCode }),
    (error: unknown) => {
      process.stderr.write(`tonghop: internal error: ${(error as Error)?.stack ?? String(error)}\n`)
      port.postMessage({ exitCode: 1 })
    },
  )
