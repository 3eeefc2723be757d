/**
 * The onStories hook over real runs: a loopback server serves the feeds and receives the hook's POSTs; commands are
 * real shell commands; the store is SQLite on a temp file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAggregator } from '../src/aggregator.js'
import type { StoriesHookPayload } from '../src/hooks.js'
import type { AggregatorOptions } from '../src/options.js'
import { createSqliteStore } from '../src/store/index.js'
import type { StateStore } from '../src/store/types.js'
import type { Story } from '../src/types.js'
import { type FeedItem, rssFeed } from './helpers/feeds.js'
import { serve, startServer, type TestServer } from './helpers/server.js'
import { tempDir } from './helpers/tmp.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const HOUR = 3_600_000
let route = 0

/** A feed whose items the test sets, at a path of its own. */
function feed() {
  const name = `f${++route}`
  const path = `/${name}.rss`
  let items: FeedItem[] = []
  server.route(path, (req, res) => serve(rssFeed(server.origin, name, items))(req, res))
  return {
    name,
    url: `${server.origin}${path}`,
    set(ns: number[], edits: Record<number, string> = {}) {
      items = ns.map((n) => ({
        n,
        published: new Date(Date.now() - (n % 10) * HOUR - HOUR),
        ...(edits[n] ? { edit: edits[n] } : {}),
      }))
    },
  }
}

/** A hook endpoint that records each call's payload and answers with `status()`. */
function endpoint(status: () => number | 'hang' = () => 204) {
  const path = `/hook-${++route}`
  const calls: StoriesHookPayload[] = []
  server.route(path, async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    calls.push(JSON.parse(body) as StoriesHookPayload)
    const s = status()
    if (s === 'hang') return // never answers
    res.writeHead(s).end()
  })
  return { url: `${server.origin}${path}`, calls }
}

const titles = (stories: Story[]) => stories.map((s) => s.primary.title.split(':')[0]).sort()

function setup(extra: Partial<AggregatorOptions>, store: StateStore) {
  const f = feed()
  const aggregator = createAggregator({
    sources: [{ id: 'f', url: f.url }],
    store,
    fetch: { allowHosts: [server.host], minHostInterval: 0, retries: 0 },
    retention: { days: 0 },
    ...extra,
  })
  return { f, aggregator }
}

const sqlite = () => createSqliteStore({ path: join(tempDir(), 'state.sqlite') })

describe('the onStories hook', () => {
  it('POSTs exactly the new and updated stories once per run, and nothing when there are none', async () => {
    const hook = endpoint()
    const store = sqlite()
    const { f, aggregator } = setup({ hooks: { onStories: { url: hook.url } } }, store)
    f.set([1, 2])
    const first = await aggregator.run()
    expect(first.hook).toMatchObject({ status: 'delivered', stories: 2, retried: 0 })
    expect(hook.calls).toHaveLength(1)
    expect(titles(hook.calls[0]!.stories)).toEqual([`Tin ${f.name} 1`, `Tin ${f.name} 2`])
    expect(hook.calls[0]!.new).toHaveLength(2)
    expect(hook.calls[0]!.updated).toEqual([])

    const second = await aggregator.run() // same feed: nothing new
    expect(second.hook).toBeUndefined()
    expect(hook.calls).toHaveLength(1)

    f.set([1, 2, 3])
    await aggregator.run()
    expect(hook.calls).toHaveLength(2)
    expect(titles(hook.calls[1]!.stories)).toEqual([`Tin ${f.name} 3`])

    f.set([1, 2, 3], { 2: 'Cập nhật: thêm hai xã được công nhận nông thôn mới.' })
    const edited = await aggregator.run()
    expect(edited.stories).toMatchObject({ new: 0, updated: 1 })
    expect(hook.calls).toHaveLength(3)
    expect(hook.calls[2]).toMatchObject({ new: [], updated: [hook.calls[0]!.stories[1]!.id] })
    expect(hook.calls[2]!.stories[0]!.primary.text.join(' ')).toContain('nông thôn mới')
    await aggregator.close()
    await store.close()
  })

  it('reports a failing hook, never fails the run, and gives its stories again on the next run', async () => {
    let status = 500
    const hook = endpoint(() => status)
    const store = sqlite()
    const dir = tempDir()
    const { f, aggregator } = setup(
      {
        hooks: { onStories: { url: hook.url } },
        feed: { title: 'T', link: 'https://example.com/' },
        outputs: [{ path: join(dir, 'out.json') }],
      },
      store,
    )
    f.set([1, 2])
    const failed = await aggregator.run()
    expect(failed.hook).toMatchObject({ status: 'failed', code: 'ERR_HOOK_FAILED', stories: 2 })
    expect(failed.hook?.message).toMatch(/HTTP 500/)
    expect(failed.sources[0]?.status).toBe('ok')
    expect(failed.outputs[0]?.written).toBe(true)

    status = 200
    f.set([1, 2, 3])
    const retried = await aggregator.run()
    expect(retried.hook).toMatchObject({ status: 'delivered', stories: 3, retried: 2 })
    expect(hook.calls).toHaveLength(2)
    expect(hook.calls[1]!.new.slice(0, 2)).toEqual(hook.calls[0]!.new) // the pending ones first
    expect(hook.calls[1]!.stories.map((s) => s.id)).toEqual(hook.calls[1]!.new)
    expect(hook.calls[1]!.stories.map((s) => s.id).sort()).toEqual(
      [
        ...hook.calls[0]!.stories.map((s) => s.id),
        ...hook.calls[1]!.new.filter((id) => !hook.calls[0]!.new.includes(id)),
      ].sort(),
    )
    expect(hook.calls[1]!.new).toHaveLength(3)

    await aggregator.run() // delivered: nothing pending any more
    expect(hook.calls).toHaveLength(2)
    await aggregator.close()
    await store.close()
  })

  it('cuts a hanging request at its timeout, and the run finishes', async () => {
    const hook = endpoint(() => 'hang')
    const store = sqlite()
    const { f, aggregator } = setup({ hooks: { onStories: { url: hook.url }, timeoutMs: 300 } }, store)
    f.set([1])
    const report = await aggregator.run()
    expect(report.hook).toMatchObject({ status: 'failed', code: 'ERR_HOOK_TIMEOUT', stories: 1 })
    expect(hook.calls).toHaveLength(1)
    await aggregator.close()
    await store.close()
  })

  it('refuses a hook URL on a private address unless fetch.allowHosts lets it through', async () => {
    const hook = endpoint()
    const file = join(tempDir(), 'feed.rss')
    writeFileSync(file, rssFeed(server.origin, 'local', [{ n: 1, published: new Date(Date.now() - HOUR) }]))
    const store = sqlite()
    const options = { sources: [{ id: 'local', url: file }], store, retention: { days: 0 } }
    const refused = createAggregator({ ...options, hooks: { onStories: { url: hook.url } } })
    const report = await refused.run()
    expect(report.hook).toMatchObject({ status: 'failed', code: 'ERR_HOOK_BLOCKED_ADDRESS' })
    expect(hook.calls).toHaveLength(0)
    await refused.close()
    // the same stories, once the operator allows the host
    const allowed = createAggregator({
      ...options,
      fetch: { allowHosts: [server.host] },
      hooks: { onStories: { url: hook.url } },
    })
    expect((await allowed.run()).hook).toMatchObject({ status: 'delivered', stories: 1, retried: 1 })
    expect(hook.calls).toHaveLength(1)
    await allowed.close()
    await store.close()
  })
  it('pipes the JSON to a command, and kills a command that hangs at the timeout', async () => {
    const dir = tempDir()
    const out = join(dir, 'payload.json')
    const store = sqlite()
    const { f, aggregator } = setup({ hooks: { onStories: { command: `cat > '${out}'` } } }, store)
    f.set([4, 5])
    expect((await aggregator.run()).hook).toMatchObject({ status: 'delivered', stories: 2 })
    const payload = JSON.parse(readFileSync(out, 'utf8')) as StoriesHookPayload
    expect(payload.stories).toHaveLength(2)
    expect(payload.new).toEqual(payload.stories.map((s) => s.id))
    await aggregator.close()

    const pidFile = join(dir, 'pid')
    const hanging = setup(
      { hooks: { onStories: { command: `echo $$ > '${pidFile}'; exec sleep 60` }, timeoutMs: 300 } },
      store,
    )
    hanging.f.set([6])
    const report = await hanging.aggregator.run()
    expect(report.hook).toMatchObject({ status: 'failed', code: 'ERR_HOOK_TIMEOUT' })
    expect(existsSync(pidFile)).toBe(true)
    const pid = Number(readFileSync(pidFile, 'utf8'))
    // killed (SIGKILL to its process group): give the kernel a moment to reap it
    let alive = true
    for (let i = 0; i < 50 && alive; i++) {
      try {
        process.kill(pid, 0)
        await new Promise((r) => setTimeout(r, 20))
      } catch {
        alive = false
      }
    }
    expect(alive).toBe(false)

    const failing = setup({ hooks: { onStories: { command: 'echo nope >&2; exit 3' } } }, store)
    failing.f.set([7])
    expect((await failing.aggregator.run()).hook).toMatchObject({
      status: 'failed',
      code: 'ERR_HOOK_FAILED',
      message: 'The onStories command exited with code 3: nope',
    })
    await hanging.aggregator.close()
    await failing.aggregator.close()
    await store.close()
  })

  it('calls the library callback with the stories; a rejection is retried, a callback that never settles is cut', async () => {
    const store = sqlite()
    const seen: string[][] = []
    let mode: 'ok' | 'reject' | 'hang' = 'reject'
    const { f, aggregator } = setup(
      {
        hooks: { timeoutMs: 300 },
        onStories: ({ stories, signal }) => {
          seen.push(stories.map((s) => s.id))
          if (mode === 'reject') return Promise.reject(new Error('downstream is down'))
          if (mode === 'hang') return new Promise<void>(() => signal.addEventListener('abort', () => {}))
          return undefined
        },
      },
      store,
    )
    f.set([1])
    expect((await aggregator.run()).hook).toMatchObject({ status: 'failed', message: 'downstream is down' })
    mode = 'hang'
    f.set([1, 2])
    expect((await aggregator.run()).hook).toMatchObject({ status: 'failed', code: 'ERR_HOOK_TIMEOUT', stories: 2 })
    mode = 'ok'
    await aggregator.run()
    expect(seen.map((ids) => ids.length)).toEqual([1, 2, 2])
    expect(seen[2]).toEqual(seen[1])
    expect(seen[2]).toContain(seen[0]![0])
    await aggregator.close()
    await store.close()
  })
})
