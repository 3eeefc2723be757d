/**
 * The `onStories` hook: once per run, after the stories are stored, the run's new and updated stories (and those an
 * earlier failed call did not deliver) go to the library's callback, a shell command (JSON on stdin) or a URL (JSON
 * POSTed through the same SSRF rules as feeds). A failing hook is reported in the run report, its story ids are kept in
 * the store under `hook:onStories` and given again next run; it never fails the run and never holds it past
 * `hooks.timeoutMs` (the command is killed, the request aborted, a callback's promise left behind).
 */
import { spawn } from 'node:child_process'
import { lookup } from 'node:dns'
import { request as httpRequest, type RequestOptions } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { type ErrorCode, TonghopError, toTonghopError } from './errors.js'
import { isBlockedAddress } from './fetch/index.js'
import type { ResolvedOptions, StoriesHookEvent } from './options.js'
import type { SourceState, StateStore } from './store/types.js'
import type { HookReport, Story } from './types.js'
import { VERSION } from './version.js'

export const HOOK_STATE_KEY = 'hook:onStories'
/** Story ids kept for a hook that keeps failing; the oldest are dropped beyond this. */
export const MAX_PENDING = 10_000
/** Bytes of a command's stderr or a response body kept for the report's message. */
const TAIL_BYTES = 2048

export type StoryChange = 'new' | 'updated'

/** What a command reads on stdin and a URL receives: `stories` in the order of `new` then `updated`. */
export interface StoriesHookPayload {
  tonghop: string
  new: string[]
  updated: string[]
  stories: Story[]
}

class HookError extends TonghopError {}

/**
 * Deliver this run's changed stories (plus those still pending) to the configured hook. Undefined when no hook is
 * configured or there is nothing to deliver. Never rejects.
 */
export async function runStoriesHook(
  options: ResolvedOptions,
  store: StateStore,
  changed: ReadonlyMap<string, StoryChange>,
): Promise<HookReport | undefined> {
  const config = options.hooks.onStories
  if (!options.onStories && !config) return undefined
  const started = Date.now()
  let pending: NonNullable<SourceState['pending']> = []
  try {
    pending = (await store.getSourceStates([HOOK_STATE_KEY])).get(HOOK_STATE_KEY)?.pending ?? []
  } catch (error) {
    options.logger.warn({ error: (error as Error).message }, 'cannot read the pending stories of the onStories hook')
  }
  // what a failed call did not deliver comes first; a story still pending as new stays new
  const all = new Map<string, StoryChange>()
  for (const p of pending) all.set(p.id, p.change)
  for (const [id, change] of changed) if (!all.has(id)) all.set(id, change)
  if (all.size === 0) return undefined
  const retried = pending.length

  let stories: Story[] = []
  let failure: TonghopError | undefined
  try {
    const records = await store.getStories([...all.keys()])
    const byId = new Map(records.map((r) => [r.story.id, r.story]))
    // pruned stories are gone: nothing to deliver for them
    for (const id of all.keys()) if (!byId.has(id)) all.delete(id)
    const ids = [...all.keys()]
    const newIds = ids.filter((id) => all.get(id) === 'new')
    const updatedIds = ids.filter((id) => all.get(id) === 'updated')
    stories = [...newIds, ...updatedIds].map((id) => byId.get(id)!)
    if (stories.length === 0) return undefined
    await callHook(options, { new: newIds, updated: updatedIds, stories })
  } catch (error) {
    failure = toTonghopError(error, 'ERR_HOOK_FAILED')
    options.logger.warn({ hook: 'onStories', code: failure.code }, failure.message)
  }

  const keep = failure
    ? [...all].slice(-MAX_PENDING).map(([id, change]) => ({ id, change }))
    : ([] as NonNullable<SourceState['pending']>)
  // nothing to write when nothing was pending and nothing is now
  if (keep.length > 0 || pending.length > 0) {
    try {
      const tx = await store.begin()
      try {
        await tx.write({ sources: [{ key: HOOK_STATE_KEY, pending: keep, lastFetchedAt: options.now() }] })
        await tx.commit()
      } catch (error) {
        await tx.rollback().catch(() => {})
        throw error
      }
    } catch (error) {
      options.logger.warn({ error: (error as Error).message }, 'cannot remember the pending stories of the hook')
    }
  }
  return {
    status: failure ? 'failed' : 'delivered',
    stories: failure ? all.size : stories.length,
    retried: Math.min(retried, all.size),
    ...(failure ? { code: failure.code, message: failure.message } : {}),
    durationMs: Date.now() - started,
  }
}

async function callHook(options: ResolvedOptions, content: Omit<StoriesHookPayload, 'tonghop'>): Promise<void> {
  const timeoutMs = options.hooks.timeoutMs
  const controller = new AbortController()
  const timeoutError = new HookError('ERR_HOOK_TIMEOUT', `The onStories hook did not finish within ${timeoutMs} ms`)
  const timer = setTimeout(() => controller.abort(timeoutError), timeoutMs)
  const onAbort = () => controller.abort(new HookError('ERR_HOOK_FAILED', 'The run was aborted'))
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const signal = controller.signal
  const aborted = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
  aborted.catch(() => {})
  try {
    const config = options.hooks.onStories
    let work: Promise<void>
    if (options.onStories) {
      const event: StoriesHookEvent = { ...content, signal }
      work = Promise.resolve().then(() => options.onStories!(event))
    } else if (config && 'command' in config) {
      work = runCommand(config.command, payload(content), options.baseDir, signal)
    } else if (config && 'url' in config) {
      work = postJson(config.url, payload(content), options, signal)
    } else return
    work.catch(() => {})
    // a callback that never settles is left behind at the deadline; commands and requests are cut by the signal
    await Promise.race([work, aborted])
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }
}

function payload(content: Omit<StoriesHookPayload, 'tonghop'>): string {
  const body: StoriesHookPayload = { tonghop: VERSION, ...content }
  return JSON.stringify(body)
}

function tail(chunks: Buffer[]): string {
  return Buffer.concat(chunks).toString('utf8').slice(-TAIL_BYTES).trim()
}

/** `/bin/sh -c command` in its own process group (so the whole group is killed at the deadline), JSON on stdin. */
function runCommand(command: string, json: string, cwd: string, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd,
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, TONGHOP_HOOK: 'onStories' },
    })
    const stderr: Buffer[] = []
    let size = 0
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk)
      size += chunk.length
      while (size > TAIL_BYTES * 2 && stderr.length > 1) size -= stderr.shift()!.length
    })
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }
    const onAbort = () => {
      kill()
      reject(signal.reason)
    }
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    child.on('error', (error) => {
      signal.removeEventListener('abort', onAbort)
      reject(new HookError('ERR_HOOK_FAILED', `The onStories command could not start: ${error.message}`))
    })
    child.on('close', (code, killedBy) => {
      signal.removeEventListener('abort', onAbort)
      if (code === 0) return resolve()
      const why = killedBy ? `was killed by ${killedBy}` : `exited with code ${code}`
      const said = tail(stderr)
      reject(new HookError('ERR_HOOK_FAILED', `The onStories command ${why}${said ? `: ${said}` : ''}`))
    })
    // a command that does not read its stdin is not an error of ours
    child.stdin?.on('error', () => {})
    child.stdin?.end(json)
  })
}

/** Whether `url`'s host[:port] is in `allowHosts` (an entry without a port matches every port), as for feeds. */
function isExempt(url: URL, allowHosts: readonly string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return allowHosts.some((entry) => {
    const value = entry.trim().toLowerCase()
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(value) ?? /^([^:]+)(?::(\d+))?$/.exec(value)
    if (!m) return value === host
    return m[1] === host && (m[2] === undefined || m[2] === port)
  })
}

function blocked(host: string, address: string): HookError {
  return new HookError(
    'ERR_HOOK_BLOCKED_ADDRESS',
    `Refusing to POST the onStories hook to ${host} (${address}): loopback, private or reserved address (see fetch.allowHosts)`,
  )
}

/** dns.lookup, refusing any address the SSRF guard refuses: the address checked is the one connected to. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, options, (error, address, family) => {
    if (error) return callback(error, address, family)
    const list = Array.isArray(address) ? address : [{ address, family }]
    const bad = list.find((a) => isBlockedAddress(a.address))
    if (bad) return callback(Object.assign(blocked(hostname, bad.address), { errno: 0, syscall: 'lookup' }), '', 0)
    callback(null, address, family)
  })
}

/** POST the JSON; 2xx is success. Redirects are not followed (a hook endpoint does not move). */
function postJson(target: string, json: string, options: ResolvedOptions, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const url = new URL(target)
    const guard = !options.fetch.allowPrivateNetwork && !isExempt(url, options.fetch.allowHosts)
    const literal = url.hostname.replace(/^\[|\]$/g, '')
    if (guard && isIP(literal) && isBlockedAddress(literal)) return reject(blocked(url.hostname, literal))
    const body = Buffer.from(json)
    const requestOptions: RequestOptions = {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(body.length),
        'user-agent': options.fetch.userAgent,
      },
      signal,
      ...(guard ? { lookup: guardedLookup } : {}),
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(url, requestOptions, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        if (size < TAIL_BYTES) chunks.push(chunk)
        size += chunk.length
      })
      res.on('error', (error) => reject(toHookError(error, signal)))
      res.on('end', () => {
        const status = res.statusCode ?? 0
        if (status >= 200 && status < 300) return resolve()
        const said = tail(chunks)
        reject(
          new HookError(
            'ERR_HOOK_FAILED',
            `The onStories hook ${url.origin}${url.pathname} answered HTTP ${status}${said ? `: ${said.slice(0, 200)}` : ''}`,
          ),
        )
      })
    })
    req.on('error', (error) => reject(toHookError(error, signal)))
    req.end(body)
  })
}

function toHookError(error: unknown, signal: AbortSignal): TonghopError {
  if (signal.aborted && signal.reason instanceof TonghopError) return signal.reason
  if (error instanceof TonghopError) return error
  const code: ErrorCode = 'ERR_HOOK_FAILED'
  return new HookError(code, `The onStories hook request failed: ${(error as Error).message}`, { cause: error })
}
