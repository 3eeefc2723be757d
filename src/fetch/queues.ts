/**
 * The one file of tonghop that imports p-queue: a global concurrency and, per host, a concurrency and a minimum
 * interval between the starts of two tasks, shared by the feeds, pages and robots.txt of a session.
 */
import PQueue from 'p-queue'
import type { ResolvedFetchDefaults } from './defaults.js'

/** Thrown by `Queues.run` when the signal aborted before the task started (nothing was sent). */
export class NotStartedError extends Error {}

/** A global concurrency and, per host, a concurrency and a minimum interval between the starts of two tasks. */
export interface Queues {
  /**
   * Run `task` holding a slot of `host`'s queue (when given) and then a global slot. Settles with the task's result
   * once it started (an abort then reaches the task through its own signal); rejects with NotStartedError when
   * `signal` aborted while it waited. Waiting tasks of a higher `priority` start first (feeds and robots.txt before
   * pages: a feed's pages are known only once it is fetched, so its request waiting behind another feed's pages would
   * leave the host idle while it is parsed).
   */
  run<T>(host: string | undefined, task: () => Promise<T>, signal?: AbortSignal, priority?: number): Promise<T>
}

/** Queue priorities: a feed request or a robots.txt starts before the pages waiting for the same host. */
export const FEED_PRIORITY = 1

/** The queues of one run (a session, or fetchSources without one), sized by `limits`. */
export function createQueues(limits: ResolvedFetchDefaults): Queues {
  const global = new PQueue({ concurrency: limits.concurrency })
  const hosts = new Map<string, PQueue>()
  const hostQueue = (host: string) => {
    let queue = hosts.get(host)
    if (!queue) {
      queue = new PQueue({
        concurrency: limits.perHost,
        ...(limits.minHostInterval > 0 ? { interval: limits.minHostInterval, intervalCap: 1, strict: true } : {}),
      })
      hosts.set(host, queue)
    }
    return queue
  }
  async function run<T>(
    host: string | undefined,
    task: () => Promise<T>,
    signal?: AbortSignal,
    priority = 0,
  ): Promise<T> {
    let running: Promise<T> | undefined
    const start = () => {
      running = task()
      return running
    }
    // An abort removes waiting tasks from the queues at once (no waiting out the host intervals).
    const addOptions = { priority, ...(signal ? { signal } : {}) }
    const inGlobal = () => global.add(start, addOptions)
    try {
      return (await (host ? hostQueue(host).add(inGlobal, addOptions) : inGlobal())) as T
    } catch (error) {
      if (running) return await running
      throw new NotStartedError('Aborted before the request was sent', { cause: error })
    }
  }
  return { run }
}
