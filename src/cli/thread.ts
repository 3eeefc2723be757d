/**
 * `tonghop run` works in a thread of its own, so that it can have a small young generation: the main thread's is sized
 * from the machine's memory (up to 3 × 32 MiB of semi-spaces on a big machine) and a running program cannot shrink
 * it (`v8.setFlagsFromString('--max-semi-space-size=…')` at startup has no effect). In the 1000-feed run this kept
 * the process's peak about 100 MiB lower at the same speed. The main thread only forwards signals and waits.
 */
import { Worker } from 'node:worker_threads'
import { entryScript } from '../internal/entry-script.js'
import type { RunFlags } from './run.js'

/** The run thread's young generation (V8 splits it in three: 8 MiB semi-spaces). */
const RUN_YOUNG_GENERATION_MB = 24

/**
 * Whether `tonghop run` gets a thread of its own: yes, unless `--no-thread` (or, deprecated, the environment's
 * `TONGHOP_RUN_THREAD=0`) asks for the main thread.
 */
export function wantsRunThread(noThread: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return noThread !== true && env.TONGHOP_RUN_THREAD !== '0'
}

/**
 * runCommand in its own thread; its exit code. Without the thread's entry (an unusual build), undefined: the caller
 * runs it in this thread.
 */
export function runInThread(flags: RunFlags, version: string): Promise<number> | undefined {
  // the built entry (dist/run-thread.js, beside the chunk that holds this code), or the TypeScript source under tsx
  const script = entryScript(import.meta.url, './run-thread.js', './run-thread.ts')
  if (!script) return undefined
  return new Promise<number>((resolve) => {
    const worker = new Worker(script.url, {
      execArgv: script.execArgv,
      workerData: { flags: { ...flags, tty: process.stderr.isTTY === true }, version },
      resourceLimits: { maxYoungGenerationSizeMb: RUN_YOUNG_GENERATION_MB },
    })
    const forward = (signal: NodeJS.Signals) => worker.postMessage({ signal })
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    let exitCode: number | undefined
    worker.on('message', (message: { exitCode?: number }) => {
      if (typeof message.exitCode === 'number') exitCode = message.exitCode
    })
    worker.on('error', (error) => {
      process.stderr.write(`tonghop: internal error: ${error?.stack ?? String(error)}\n`)
      exitCode ??= 1
    })
    // the thread's own end (after its output has reached this thread), or process.exit(130 / 143) on a second signal
    worker.on('exit', (code) => {
      process.removeListener('SIGINT', forward)
      process.removeListener('SIGTERM', forward)
      resolve(exitCode ?? code)
    })
  })
}
