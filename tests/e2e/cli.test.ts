/**
 * The built `tonghop` binary (dist/cli.js, from `npm run build`) against a real loopback server.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serve, startServer, type TestServer } from '../helpers/server.js'
import { tempDir } from '../helpers/tmp.js'

const root = resolve(import.meta.dirname, '../..')
/** The built binary; TONGHOP_CLI may point at another build of it (a private build while others rebuild dist/). */
const cli = process.env.TONGHOP_CLI ? resolve(process.env.TONGHOP_CLI) : join(root, 'dist/cli.js')
const fixtures = join(root, 'tests/fixtures/cli')

interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

function start(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
  })
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
  })
  const done = new Promise<CliResult>((resolveDone) =>
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr })),
  )
  return { child, done }
}

function tonghop(args: string[], cwd: string): Promise<CliResult> {
  return start(args, cwd).done
}

const HOUR = 3_600_000

/** A fixture feed with the loopback origin and recent dates filled in. */
function feed(name: string, server: TestServer, extra = ''): string {
  const now = Date.now()
  const rss = name.endsWith('.rss.xml')
  const date = (ms: number) => (rss ? new Date(ms).toUTCString() : new Date(ms).toISOString())
  return readFileSync(join(fixtures, name), 'utf8')
    .replaceAll('{{ORIGIN}}', server.origin)
    .replaceAll('{{DATE1}}', date(now - 2 * HOUR))
    .replaceAll('{{DATE2}}', date(now - 5 * HOUR))
    .replaceAll('{{EXTRA}}', extra)
}

let server: TestServer

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` before the e2e tests`)
  server = await startServer()
  server.route('/thai-binh.rss', serve(feed('thai-binh.rss.xml', server)))
  server.route(
    '/kien-xuong.atom',
    serve(feed('kien-xuong.atom.xml', server), { 'content-type': 'application/atom+xml' }),
  )
})

afterAll(async () => {
  await server?.close()
})

interface Setup {
  dir: string
  config: string
  out: string
  state: string
}

/** A project directory with a config: the two good feeds (plus `sources`), three outputs, SQLite state. */
function project(options: { sources?: string[]; extra?: Record<string, unknown> } = {}): Setup {
  const dir = tempDir('tonghop-e2e-')
  const config = join(dir, 'tonghop.config.json')
  const data = {
    sources: options.sources ?? [`${server.origin}/thai-binh.rss`, `${server.origin}/kien-xuong.atom`],
    feed: { title: 'Tin tổng hợp Thái Bình', link: 'https://tin.example.vn/', language: 'vi' },
    outputs: [{ path: 'out/merged.xml' }, { path: 'out/merged.atom' }, { path: 'out/merged.json' }],
    store: { sqlite: 'state/tonghop.sqlite' },
    fetch: { allowHosts: [server.host], retries: 0, timeout: 10_000 },
    ...options.extra,
  }
  writeFileSync(config, JSON.stringify(data, null, 2))
  return { dir, config, out: join(dir, 'out'), state: join(dir, 'state') }
}

const OUTPUTS = ['merged.xml', 'merged.atom', 'merged.json']

function readReport(setup: Setup) {
  return JSON.parse(readFileSync(join(setup.out, 'tonghop-report.json'), 'utf8'))
}

describe('tonghop run (built binary)', () => {
  it('exits 0, writes every output and the report', async () => {
    const p = project()
    const result = await tonghop(['run', '--config', p.config], p.dir)
    expect(result.stderr).not.toContain('"level":"error"')
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('')
    for (const name of OUTPUTS) expect(statSync(join(p.out, name)).size).toBeGreaterThan(0)
    const rss = readFileSync(join(p.out, 'merged.xml'), 'utf8')
    expect(rss).toContain('Họp Ban Hội nhập kinh tế quốc tế tỉnh')
    expect(rss).toContain('Kiến Xương ra quân làm thủy lợi nội đồng')
    const json = JSON.parse(readFileSync(join(p.out, 'merged.json'), 'utf8'))
    expect(json.items).toHaveLength(3)
    // JSON lines on stderr (not a terminal), ending with the summary
    const lines = result.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.at(-1)).toMatchObject({ msg: 'tonghop run finished', status: 'ok', exitCode: 0 })
    // the lock is gone
    expect(existsSync(join(p.state, 'tonghop.sqlite.lock'))).toBe(false)
  })

  it('writes a report with per-source status, HTTP status, items, duration and totals', async () => {
    const p = project()
    await tonghop(['run', '--config', p.config], p.dir)
    const report = readReport(p)
    expect(report).toMatchObject({ status: 'ok', exitCode: 0, dryRun: false, config: p.config })
    expect(report.sources).toHaveLength(2)
    expect(report.sources[0]).toMatchObject({
      id: expect.any(String),
      url: `${server.origin}/thai-binh.rss`,
      status: 'ok',
      httpStatus: 200,
      items: { total: 2, new: 2, updated: 0, duplicates: 0, skipped: 0 },
    })
    expect(report.sources[0].durationMs).toBeGreaterThanOrEqual(0)
    expect(report.sources[1]).toMatchObject({ status: 'ok', httpStatus: 200, items: { new: 1 } })
    expect(report.totals).toMatchObject({
      sources: 2,
      byStatus: { ok: 2, failed: 0 },
      items: { new: 3 },
      outputs: { total: 3, written: 3, failed: 0 },
    })
    expect(report.outputs.map((o: { format: string }) => o.format)).toEqual(['rss', 'atom', 'json'])
  })

  it('leaves unchanged outputs alone on a second run (mtime kept)', async () => {
    const p = project()
    expect((await tonghop(['run', '--config', p.config], p.dir)).code).toBe(0)
    const before = OUTPUTS.map((name) => statSync(join(p.out, name)).mtimeMs)
    const contents = OUTPUTS.map((name) => readFileSync(join(p.out, name), 'utf8'))
    await sleep(50) // so a rewrite would show in the mtime
    const second = await tonghop(['run', '--config', p.config], p.dir)
    expect(second.code).toBe(0)
    expect(OUTPUTS.map((name) => statSync(join(p.out, name)).mtimeMs)).toEqual(before)
    expect(OUTPUTS.map((name) => readFileSync(join(p.out, name), 'utf8'))).toEqual(contents)
    const report = readReport(p)
    expect(report.totals.items.new).toBe(0)
    expect(report.outputs.every((o: { written: boolean }) => !o.written)).toBe(true)
  })

  it('prints the report on stdout with --json', async () => {
    const p = project()
    const result = await tonghop(['run', '--config', p.config, '--json', '--quiet'], p.dir)
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    const report = JSON.parse(result.stdout)
    expect(report).toEqual(readReport(p))
  })

  it('writes nothing with --dry-run', async () => {
    const p = project()
    const result = await tonghop(['run', '--config', p.config, '--dry-run', '--json'], p.dir)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ dryRun: true, totals: { items: { new: 3 } } })
    expect(existsSync(p.out)).toBe(false)
    // the store was left as it was: a real run afterwards still finds 3 new stories
    await tonghop(['run', '--config', p.config], p.dir)
    expect(readReport(p).totals.items.new).toBe(3)
  })
})

describe('bad input', () => {
  it('exits 2 for an invalid config, naming file, line, field and expectation, and writes nothing', async () => {
    const p = project({ extra: { fetch: { concurrency: 0 } } })
    const result = await tonghop(['run', '--config', p.config], p.dir)
    expect(result.code).toBe(2)
    const line = JSON.parse(result.stderr.trim())
    expect(line).toMatchObject({
      level: 'error',
      code: 'ERR_CONFIG_INVALID',
      file: p.config,
      path: 'fetch.concurrency',
    })
    expect(line.msg).toMatch(
      /^.+tonghop\.config\.json:\d+:\d+: Expected `fetch\.concurrency` to be an integer ≥ 1, got `0`$/,
    )
    expect(existsSync(p.out)).toBe(false)
    expect(existsSync(p.state)).toBe(false)
  })

  it('exits 2 for a YAML syntax error and for a missing config', async () => {
    const dir = tempDir('tonghop-e2e-')
    writeFileSync(join(dir, 'tonghop.config.yaml'), 'sources:\n  - [unclosed\n')
    const bad = await tonghop(['run'], dir)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('ERR_CONFIG_PARSE')
    expect(bad.stderr).toContain('tonghop.config.yaml:')
    const missing = await tonghop(['run', '--config', 'nope.json'], dir)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('ERR_CONFIG_NOT_FOUND')
  })

  it('writes the outputs when one source 404s, reports it, exits 0 (3 with --strict)', async () => {
    const p = project({
      sources: [`${server.origin}/thai-binh.rss`, `${server.origin}/gone-missing.rss`],
    })
    const result = await tonghop(['run', '--config', p.config], p.dir)
    expect(result.code).toBe(0)
    for (const name of OUTPUTS) expect(existsSync(join(p.out, name))).toBe(true)
    const report = readReport(p)
    expect(report.status).toBe('partial')
    expect(report.sources[0]).toMatchObject({ status: 'ok', httpStatus: 200 })
    expect(report.sources[1]).toMatchObject({ status: 'failed', httpStatus: 404, code: 'ERR_FETCH_HTTP_STATUS' })
    expect(report.totals.byStatus).toMatchObject({ ok: 1, failed: 1 })

    const strict = await tonghop(['run', '--config', p.config, '--strict'], p.dir)
    expect(strict.code).toBe(3)
    expect(readReport(p)).toMatchObject({ status: 'partial', exitCode: 3 })
  })

  it('fails only the output whose directory cannot be written; the others are written', async () => {
    const p = project()
    // a regular file where the json output's directory should be: that directory can never be created
    const blocker = join(p.dir, 'blocked')
    writeFileSync(blocker, 'not a directory')
    const data = JSON.parse(readFileSync(p.config, 'utf8'))
    data.outputs.push({ path: 'blocked/merged.json' })
    writeFileSync(p.config, JSON.stringify(data))
    const result = await tonghop(['run', '--config', p.config], p.dir)
    expect(result.code).toBe(0)
    for (const name of OUTPUTS) expect(statSync(join(p.out, name)).size).toBeGreaterThan(0)
    expect(readFileSync(blocker, 'utf8')).toBe('not a directory')
    const report = readReport(p)
    expect(report.status).toBe('partial')
    expect(report.outputs[3]).toMatchObject({
      path: join(blocker, 'merged.json'),
      written: false,
      code: 'ERR_PUBLISH_WRITE',
    })
    expect(report.totals.outputs).toMatchObject({ total: 4, written: 3, failed: 1 })
    expect((await tonghop(['run', '--config', p.config, '--strict'], p.dir)).code).toBe(3)
  })

  it('exits 1 when every source fails', async () => {
    const p = project({ sources: [`${server.origin}/nothing-here.rss`] })
    const result = await tonghop(['run', '--config', p.config], p.dir)
    expect(result.code).toBe(1)
    expect(readReport(p)).toMatchObject({ status: 'failed', exitCode: 1 })
  })

  it('exits 2 for a command-line mistake', async () => {
    const dir = tempDir('tonghop-e2e-')
    expect((await tonghop(['run', '--no-such-flag'], dir)).code).toBe(2)
    expect((await tonghop(['frobnicate'], dir)).code).toBe(2)
    expect((await tonghop(['run', '--interval', '5'], dir)).code).toBe(2)
  })
})

describe('the lock', () => {
  it('exits 75 at once when another live run holds the lock', async () => {
    const p = project()
    mkdirSync(p.state, { recursive: true })
    const lock = join(p.state, 'tonghop.sqlite.lock')
    // this test process is alive: its lock is held
    writeFileSync(lock, JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() }))
    const result = await tonghop(['run', '--config', p.config], p.dir)
    expect(result.code).toBe(75)
    expect(result.stderr).toContain('ERR_STORE_LOCKED')
    expect(result.stderr).toContain(lock)
    expect(existsSync(p.out)).toBe(false)
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid) // not taken from its owner
  })

  it('lets one of two simultaneous runs run; the other exits 75', async () => {
    let release!: () => void
    const held = new Promise<void>((r) => {
      release = r
    })
    let arrived!: () => void
    const fetching = new Promise<void>((r) => {
      arrived = r
    })
    server.route('/slow.rss', async (req, res) => {
      arrived()
      await held
      serve(feed('thai-binh.rss.xml', server))(req, res)
    })
    const p = project({ sources: [`${server.origin}/slow.rss`] })
    const first = start(['run', '--config', p.config], p.dir)
    await fetching // the first run holds the lock and is fetching
    const second = await tonghop(['run', '--config', p.config], p.dir)
    release()
    expect(second.code).toBe(75)
    expect(second.stderr).toContain('ERR_STORE_LOCKED')
    expect((await first.done).code).toBe(0)
  })

  it('recovers from kill -9 mid-run: outputs stay complete, the stale lock is taken over, the next run completes', async () => {
    let stall = true
    let arrived!: () => void
    const fetching = new Promise<void>((r) => {
      arrived = r
    })
    const extra = `<item><title>Tin mới: khánh thành cầu Trà Lý</title><link>${server.origin}/thoi-su/cau-tra-ly-1300.html</link><guid isPermaLink="false">tb-1300</guid><pubDate>${new Date(Date.now() - HOUR).toUTCString()}</pubDate><description>Cầu Trà Lý chính thức thông xe.</description></item>`
    server.route('/stalls.rss', (_req, res) => {
      if (!stall) return serve(feed('thai-binh.rss.xml', server, extra))(_req, res)
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
      res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>') // and never more
      arrived()
    })
    const p = project({ sources: [`${server.origin}/kien-xuong.atom`, `${server.origin}/thai-binh.rss`] })
    expect((await tonghop(['run', '--config', p.config], p.dir)).code).toBe(0)
    const old = OUTPUTS.map((name) => readFileSync(join(p.out, name), 'utf8'))

    // the same project now also reads the stalling feed; kill the run while it waits for it
    const data = JSON.parse(readFileSync(p.config, 'utf8'))
    data.sources.push(`${server.origin}/stalls.rss`)
    writeFileSync(p.config, JSON.stringify(data))
    const victim = start(['run', '--config', p.config], p.dir)
    await fetching
    victim.child.kill('SIGKILL')
    expect((await victim.done).signal).toBe('SIGKILL')
    expect(existsSync(join(p.state, 'tonghop.sqlite.lock'))).toBe(true) // left behind by the dead run
    expect(OUTPUTS.map((name) => readFileSync(join(p.out, name), 'utf8'))).toEqual(old)

    stall = false
    const next = await tonghop(['run', '--config', p.config], p.dir)
    expect(next.code).toBe(0)
    const rss = readFileSync(join(p.out, 'merged.xml'), 'utf8')
    expect(rss).toContain('Tin mới: khánh thành cầu Trà Lý')
    expect(rss.trimEnd().endsWith('</rss>')).toBe(true)
    JSON.parse(readFileSync(join(p.out, 'merged.json'), 'utf8'))
    expect(readReport(p).totals.byStatus.failed).toBe(0)
    expect(existsSync(join(p.state, 'tonghop.sqlite.lock'))).toBe(false)
  })
})

/** A feed at `path` that starts and never ends; resolves once a client is reading it. */
function neverEnding(path: string): Promise<void> {
  return new Promise<void>((arrived) => {
    server.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
      res.write('<?xml version="1.0"?><rss version="2.0"><channel>')
      arrived()
    })
  })
}

describe('--store and signals', () => {
  it('--store overrides the config store, and the lock follows it', async () => {
    const p = project()
    const other = join(p.dir, 'elsewhere', 'state.sqlite')
    mkdirSync(join(p.dir, 'elsewhere'))
    writeFileSync(
      `${other}.lock`,
      JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() }),
    )
    const locked = await tonghop(['run', '--config', p.config, '--store', 'elsewhere/state.sqlite'], p.dir)
    expect(locked.code).toBe(75)
    expect(locked.stderr).toContain(`${other}.lock`)
    const free = await tonghop(['run', '--config', p.config, '--store', 'memory'], p.dir)
    expect(free.code).toBe(0)
    expect(existsSync(p.state)).toBe(false) // the config's SQLite store was not used
    expect(existsSync(join(p.dir, 'tonghop.config.json.lock'))).toBe(false) // released
  })

  it('stops a run on SIGTERM: fetches are aborted, what was fetched is published, the lock is released', async () => {
    const fetching = neverEnding('/never.rss')
    const p = project({ sources: [`${server.origin}/thai-binh.rss`, `${server.origin}/never.rss`] })
    const run = start(['run', '--config', p.config], p.dir)
    await fetching
    run.child.kill('SIGTERM')
    const result = await run.done
    expect(result.signal).toBe(null)
    expect(result.stderr).toContain('stopping: aborting the run')
    expect(existsSync(join(p.state, 'tonghop.sqlite.lock'))).toBe(false)
    const report = readReport(p)
    expect(report.sources[1]).toMatchObject({ status: 'failed' })
    expect(readFileSync(join(p.out, 'merged.xml'), 'utf8')).toContain('Họp Ban Hội nhập kinh tế quốc tế tỉnh')
  })
})

describe('the run thread', () => {
  it('a second SIGTERM ends a stuck run at once (143) and releases the lock', async () => {
    const fetching = neverEnding('/stuck.rss')
    const p = project({ sources: [`${server.origin}/stuck.rss`] })
    // a worker finishes its round after the first signal: this round waits on a feed that never ends
    const run = start(['run', '--config', p.config, '--worker'], p.dir)
    await fetching
    run.child.kill('SIGTERM')
    await sleep(300)
    run.child.kill('SIGTERM')
    const result = await run.done
    expect(result.code).toBe(143)
    expect(result.stderr).toContain('stopping after the current round')
    expect(existsSync(join(p.state, 'tonghop.sqlite.lock'))).toBe(false)
  })

  // A preload that tells, on stderr, each Worker the CLI's main thread starts: whether the run got its own thread.
  const workerProbe = (dir: string): Record<string, string> => {
    const probe = join(dir, 'worker-probe.cjs')
    writeFileSync(
      probe,
      `const wt = require('node:worker_threads'); const { syncBuiltinESMExports } = require('node:module')
if (wt.isMainThread) {
  const Original = wt.Worker
  wt.Worker = class extends Original { constructor(url, options) { process.stderr.write('probe: worker ' + url + '\\n'); super(url, options) } }
  syncBuiltinESMExports()
}
`,
    )
    return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${probe}` }
  }

  it('runs in a thread of its own by default, in the main thread with --no-thread, the same either way', async () => {
    const [a, b] = [project(), project()]
    const threaded = await start(['run', '--config', a.config, '--json', '--quiet'], a.dir, workerProbe(a.dir)).done
    expect(threaded.code).toBe(0)
    expect(threaded.stderr).toMatch(/probe: worker \S*run-thread\.js/)
    const args = ['run', '--config', b.config, '--json', '--quiet', '--no-thread']
    const main = await start(args, b.dir, workerProbe(b.dir)).done
    expect(main.code).toBe(0)
    expect(main.stderr).not.toContain('probe: worker')
    expect(JSON.parse(main.stdout).totals.byStatus.ok).toBeGreaterThan(0)
    expect(JSON.parse(main.stdout).totals.byStatus).toEqual(JSON.parse(threaded.stdout).totals.byStatus)
    expect(readFileSync(join(b.out, 'merged.xml'), 'utf8')).toBe(readFileSync(join(a.out, 'merged.xml'), 'utf8'))
  })

  it('still runs in the main thread with the deprecated TONGHOP_RUN_THREAD=0', async () => {
    const p = project()
    const env = { ...workerProbe(p.dir), TONGHOP_RUN_THREAD: '0' }
    const result = await start(['run', '--config', p.config, '--json', '--quiet'], p.dir, env).done
    expect(result.code).toBe(0)
    expect(result.stderr).not.toContain('probe: worker')
    expect(JSON.parse(result.stdout).totals.byStatus.ok).toBeGreaterThan(0)
    expect(readFileSync(join(p.out, 'merged.xml'), 'utf8')).toContain('</rss>')
  })

  it('--no-thread is for `run` only', async () => {
    const dir = tempDir('tonghop-e2e-')
    const result = await tonghop(['status', '--no-thread'], dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--no-thread only applies to `run`')
  })
})

describe('SIGKILL at any moment', () => {
  it('leaves every output either absent, old or new, but always complete; the next run completes', async () => {
    let n = 0
    server.route('/changing.rss', (req, res) => {
      n++
      const item = `<item><title>Bản tin số ${n}</title><link>${server.origin}/ban-tin/${n}.html</link><guid isPermaLink="false">bt-${n}</guid><pubDate>${new Date(Date.now() - HOUR).toUTCString()}</pubDate><description>Bản tin thứ ${n} trong ngày.</description></item>`
      serve(feed('thai-binh.rss.xml', server, item))(req, res)
    })
    const p = project({
      sources: [`${server.origin}/changing.rss`, `${server.origin}/kien-xuong.atom`],
      extra: {
        outputs: [
          { path: 'out/merged.xml' },
          { path: 'out/merged.atom' },
          { path: 'out/merged.json' },
          { path: 'out/index.html' },
        ],
      },
    })
    const complete = () => {
      for (const name of OUTPUTS) {
        const path = join(p.out, name)
        if (!existsSync(path)) continue
        const text = readFileSync(path, 'utf8')
        if (name.endsWith('.json')) JSON.parse(text)
        else expect(text.trimEnd()).toMatch(name.endsWith('.xml') ? /<\/rss>$/ : /<\/feed>$/)
      }
      const html = join(p.out, 'index.html')
      if (existsSync(html)) expect(readFileSync(html, 'utf8').trimEnd()).toMatch(/<\/html>$/i)
    }
    // kill points spread over a run's life: start-up, fetching, storing, publishing
    for (const delay of [100, 250, 400, 550, 700, 850, 1000, 1200]) {
      const run = start(['run', '--config', p.config], p.dir)
      await sleep(delay)
      run.child.kill('SIGKILL')
      await run.done
      complete()
    }
    const final = await tonghop(['run', '--config', p.config], p.dir)
    expect(final.code).toBe(0)
    complete()
    const json = JSON.parse(readFileSync(join(p.out, 'merged.json'), 'utf8'))
    expect(json.items.map((i: { title: string }) => i.title)).toContain(`Bản tin số ${n}`)
  }, 90_000)
})

describe('tonghop run --worker', () => {
  it('runs rounds until SIGTERM, finishes cleanly and releases the lock', async () => {
    const p = project()
    const worker = start(['run', '--config', p.config, '--worker', '--interval', '60'], p.dir)
    const report = join(p.out, 'tonghop-report.json')
    while (!existsSync(report)) {
      if (worker.child.exitCode !== null) break
      await sleep(50)
    }
    expect(existsSync(join(p.state, 'tonghop.sqlite.lock'))).toBe(true)
    worker.child.kill('SIGTERM')
    const result = await worker.done
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('stopping after the current round')
    expect(existsSync(join(p.state, 'tonghop.sqlite.lock'))).toBe(false)
    expect(readReport(p).status).toBe('ok')
  })
})

describe('the other commands', () => {
  it('prints the version and the help', async () => {
    const dir = tempDir('tonghop-e2e-')
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    const version = await tonghop(['--version'], dir)
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` })
    const help = await tonghop(['--help'], dir)
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('tonghop run')
    expect(help.stdout).toMatch(/^ +--no-thread +run in the main thread/m)
    expect(help.stdout).toContain('75')
  })

  it('init writes a starter config that loads and validates, and never overwrites one', async () => {
    const dir = tempDir('tonghop-e2e-')
    expect((await tonghop(['init'], dir)).code).toBe(0)
    expect(readFileSync(join(dir, 'tonghop.config.yaml'), 'utf8')).toContain('sources:')
    expect((await tonghop(['init'], dir)).code).toBe(1) // never overwrites
    expect((await tonghop(['init', '--format', 'json'], dir)).code).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'tonghop.config.json'), 'utf8')).$schema).toBeDefined()
    const exported = await tonghop(['export-opml'], dir) // loads and validates the JSON starter
    expect(exported.code).toBe(0)
    expect(exported.stdout).toContain('xmlUrl="https://www.example.com/rss/thoi-su.rss"')
  })

  it('check prints the normalized articles of one feed', async () => {
    const dir = tempDir('tonghop-e2e-')
    const json = await tonghop(['check', `${server.origin}/thai-binh.rss`, '--json', '--allow-private'], dir)
    expect(json.code).toBe(0)
    const result = JSON.parse(json.stdout)
    expect(result.feed).toMatchObject({ format: 'rss', title: 'Báo Thái Bình - Thời sự', items: 2 })
    expect(result.articles.map((a: { title: string }) => a.title)).toEqual([
      'Họp Ban Hội nhập kinh tế quốc tế tỉnh',
      'Xã Vũ Ninh hoàn thành tiêu chí nông thôn mới kiểu mẫu',
    ])
    writeFileSync(join(dir, 'kien-xuong.atom'), feed('kien-xuong.atom.xml', server))
    const text = await tonghop(['check', 'kien-xuong.atom'], dir) // a local file, relative to the working directory
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('ATOM 1.0 · Huyện Kiến Xương - Tin tức')
    expect(text.stdout).toContain('1 items → 1 articles, 0 skipped')
    expect(text.stdout).toContain('1. Kiến Xương ra quân làm thủy lợi nội đồng')
    // a private address without --allow-private is refused by the SSRF guard
    const refused = await tonghop(['check', `${server.origin}/thai-binh.rss`], dir)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('ERR_FETCH_BLOCKED_ADDRESS')
    const missing = await tonghop(['check', `${server.origin}/no-such-feed.rss`, '--allow-private'], dir)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('ERR_FETCH_HTTP_STATUS')
    expect(missing.stdout).toBe('')
  })

  it('discover lists the feeds a page links to', async () => {
    server.route('/trang-chu.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(
        '<!doctype html><html><head><title>Báo Thái Bình</title>' +
          '<link rel="alternate" type="application/rss+xml" title="Thời sự" href="/thai-binh.rss">' +
          '</head><body>Trang chủ</body></html>',
      )
    })
    const dir = tempDir('tonghop-e2e-')
    const result = await tonghop(['discover', `${server.origin}/trang-chu.html`, '--json', '--allow-private'], dir)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toContainEqual(
      expect.objectContaining({ url: `${server.origin}/thai-binh.rss`, via: 'link' }),
    )
    const text = await tonghop(['discover', `${server.origin}/trang-chu.html`, '--allow-private'], dir)
    expect(text.stdout).toContain(`${server.origin}/thai-binh.rss`)
  })

  it('export-opml and import-opml round-trip the sources', async () => {
    const p = project()
    const exported = await tonghop(['export-opml', '--config', p.config], p.dir)
    expect(exported.code).toBe(0)
    writeFileSync(join(p.dir, 'feeds.opml'), exported.stdout)
    const imported = await tonghop(['import-opml', 'feeds.opml'], p.dir)
    expect(imported.code).toBe(0)
    const urls = JSON.parse(imported.stdout).sources.map((s: string | { url: string }) =>
      typeof s === 'string' ? s : s.url,
    )
    expect(urls).toEqual([`${server.origin}/thai-binh.rss`, `${server.origin}/kien-xuong.atom`])

    // merged into a config that has only one of them: one is added
    const other = join(p.dir, 'other.yaml')
    writeFileSync(other, `# keep me\nsources:\n  - ${server.origin}/thai-binh.rss\n`)
    const merged = await tonghop(['import-opml', 'feeds.opml', '--merge', '--config', 'other.yaml'], p.dir)
    expect(merged.code).toBe(0)
    const text = readFileSync(other, 'utf8')
    expect(text).toContain('# keep me')
    expect(text).toContain(`${server.origin}/kien-xuong.atom`)
  })

  it('`extract <saved page>` prints its Article under the canonical URL, extracted by the site rule', async () => {
    const page = join(root, 'examples/feeds/pages/tin-tuc/4/212345/khoi-cong-cau-hung-ha.html')
    const result = await tonghop(['extract', page], root)
    expect(result.code, result.stderr).toBe(0)
    const { extraction, article } = JSON.parse(result.stdout)
    expect(extraction).toMatchObject({ method: 'rule', rule: 'baothaibinh.com.vn' })
    expect(article.url).toBe('https://baothaibinh.com.vn/tin-tuc/4/212345/khoi-cong-cau-hung-ha')
    expect(article.images[0]).toMatchObject({ credit: 'Thu Thủy' })
  })
})
