/**
 * Issue 7's "Done when": three `tonghop run --worker` processes against one PostgreSQL database and a loopback
 * server with 200 feeds, 40 stories of which are carried by five feeds each.
 *
 * Runs the built CLI (`npm run build` first; TONGHOP_E2E_CLI points at another build) against the test database
 * (TONGHOP_TEST_PG, default postgres://postgres@127.0.0.1:5432/test), each test in its own schema.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PG_URL, schemaFactory } from '../helpers/postgres.js'
import { startServer, type TestServer } from '../helpers/server.js'
import { tempDir } from '../helpers/tmp.js'

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const cli = resolve(process.env.TONGHOP_E2E_CLI ?? join(root, 'dist', 'cli.js'))
const newSchema = schemaFactory()

const FEEDS = 200
const GROUPS = 40 // stories carried by several feeds: feed f carries a copy of story f % 40
const UNIQUE_PER_FEED = 2
const NOW = Date.now()

// ---- a deterministic Vietnamese-looking corpus ------------------------------------------------------------------

const SYLLABLES = (
  'tỉnh huyện xã thành phố nhân dân ủy ban hội nghị triển khai kế hoạch năm kinh tế xã hội phát triển nông nghiệp ' +
  'công nghiệp dịch vụ du lịch giáo dục y tế văn hóa thể thao an ninh quốc phòng giao thông xây dựng môi trường ' +
  'tài nguyên nước biển đảo lúa gạo thủy sản đầu tư doanh nghiệp lao động việc làm thu nhập người dân cán bộ đảng ' +
  'chính quyền đoàn thể mặt trận thanh niên phụ nữ cựu chiến binh nông dân học sinh sinh viên giáo viên bác sĩ bệnh ' +
  'viện trường học cầu đường điện chiếu sáng chợ siêu thị ngân hàng tín dụng thuế ngân sách dự án công trình khởi ' +
  'công khánh thành nghiệm thu bàn giao kiểm tra giám sát thanh tra tuyên truyền vận động khen thưởng kỷ luật'
).split(' ')

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 2 ** 32
  }
}

function paragraphs(seed: number): string[] {
  const next = rng(seed * 2654435761)
  return Array.from({ length: 3 }, () =>
    Array.from({ length: 45 }, () => SYLLABLES[Math.floor(next() * SYLLABLES.length)]).join(' '),
  ).map((p) => `${p.charAt(0).toUpperCase()}${p.slice(1)}.`)
}

const xmlEscape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

interface Item {
  guid: string
  link: string
  title: string
  body: string[]
  published: Date
}

function feedItems(f: number, origin: string): Item[] {
  const items: Item[] = []
  for (let k = 0; k < UNIQUE_PER_FEED; k++) {
    const n = 10_000 + f * UNIQUE_PER_FEED + k
    items.push({
      guid: `site-${f}-tin-${k}`,
      link: `${origin}/site-${f}/tin-${k}.html`,
      title: `Tin ${n}: ${paragraphs(n)[0]!.split(' ').slice(0, 8).join(' ')}`,
      body: paragraphs(n),
      published: new Date(NOW - (f * 7 + k) * 60_000),
    })
  }
  const g = f % GROUPS
  items.push({
    guid: `site-${f}-ban-tin-${g}`,
    link: `${origin}/site-${f}/ban-tin-${g}.html`,
    title: `Bản tin ${g}: ${paragraphs(g)[0]!.split(' ').slice(0, 8).join(' ')}`,
    body: paragraphs(g),
    // the copies differ in time: the earliest one (the lowest f) is the original
    published: new Date(NOW - 3 * 3_600_000 + f * 1_000),
  })
  return items
}

function rss(f: number, origin: string): string {
  const items = feedItems(f, origin)
    .map(
      (i) => `<item><title>${xmlEscape(i.title)}</title><link>${i.link}</link><guid isPermaLink="false">${i.guid}</guid>
<pubDate>${i.published.toUTCString()}</pubDate>
<description>${xmlEscape(i.body.map((p) => `<p>${p}</p>`).join(''))}</description></item>`,
    )
    .join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Trang ${f}</title><link>${origin}/site-${f}/</link><description>Trang ${f}</description>
${items}
</channel></rss>`
}

// ---- processes -----------------------------------------------------------------------------------------------------

interface Worker {
  child: ChildProcess
  log: string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function startCli(args: string[], cwd: string): Worker {
  const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  const worker: Worker = {
    child,
    log: '',
    exited: new Promise((done) => child.on('exit', (code, signal) => done({ code, signal }))),
  }
  child.stdout?.on('data', (d) => {
    worker.log += String(d)
  })
  child.stderr?.on('data', (d) => {
    worker.log += String(d)
  })
  return worker
}

const rounds = (w: Worker) => w.log.split('\n').filter((l) => l.includes('"tonghop run finished"')).length

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

function writeConfig(dir: string, server: TestServer, extra: Record<string, unknown> = {}): string {
  mkdirSync(join(dir, 'out'), { recursive: true })
  const file = join(dir, 'tonghop.config.json')
  writeFileSync(
    file,
    JSON.stringify({
      feed: { title: 'Tổng hợp', link: 'https://example.com/tonghop/' },
      sources: Array.from({ length: FEEDS }, (_, f) => ({ id: `feed-${f}`, url: `${server.origin}/feeds/${f}.xml` })),
      fetch: { allowHosts: [server.host], perHost: 8, minHostInterval: 0 },
      extract: { fullText: 'never' }, // the items link to real sites: stay on loopback
      outputs: [{ path: 'out/merged.json', format: 'json', limit: 1_000 }],
      ...extra,
    }),
  )
  return file
}

/** The published feed without what differs by the clock (none expected for JSON Feed, but be explicit). */
function published(dir: string): unknown {
  const feed = JSON.parse(readFileSync(join(dir, 'out', 'merged.json'), 'utf8')) as Record<string, unknown>
  return feed
}

async function query<R>(sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    return (await client.query(sql)).rows as R[]
  } finally {
    await client.end()
  }
}

describe.skipIf(!existsSync(cli))('three workers on one PostgreSQL database', () => {
  let server: TestServer
  const fetches = new Map<number, number>()

  beforeAll(async () => {
    server = await startServer()
    for (let f = 0; f < FEEDS; f++) {
      server.route(`/feeds/${f}.xml`, (_req, res) => {
        fetches.set(f, (fetches.get(f) ?? 0) + 1)
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(rss(f, server.origin))
      })
    }
  })
  afterAll(() => server?.close())

  it('fetches every feed once per round, stores no story twice, and publishes what one worker would', async () => {
    // the single-worker output on the same input
    const single = tempDir()
    const singleSchema = newSchema()
    writeConfig(single, server)
    const one = startCli(
      ['run', '--config', 'tonghop.config.json', '--store', `${PG_URL}?schema=${singleSchema}`],
      single,
    )
    const oneExit = await one.exited
    expect(oneExit.code, one.log.slice(-2_000)).toBe(0)
    const expected = published(single)
    fetches.clear()

    // three workers, one round each (a long interval), on a fresh schema
    const shared = tempDir()
    const schema = newSchema()
    writeConfig(shared, server)
    const store = `${PG_URL}?schema=${schema}`
    const workers = Array.from({ length: 3 }, () =>
      startCli(['run', '--worker', '--interval', '3600', '--config', 'tonghop.config.json', '--store', store], shared),
    )
    try {
      await until('a round from every worker', () => workers.every((w) => rounds(w) >= 1), 240_000)
    } finally {
      for (const w of workers) w.child.kill('SIGTERM')
    }
    const exits = await Promise.all(workers.map((w) => w.exited))
    for (const [i, e] of exits.entries()) expect(e.code, workers[i]!.log.slice(-2_000)).toBe(0)

    // every feed fetched exactly once in the round
    expect(fetches.size).toBe(FEEDS)
    expect([...fetches.values()].filter((n) => n !== 1)).toEqual([])

    // no story twice: 2 unique stories per feed + 40 stories carried by 5 feeds each
    const stories = (await query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".stories`))[0]?.n
    expect(stories).toBe(FEEDS * UNIQUE_PER_FEED + GROUPS)
    const copies = await query<{ n: number }>(
      `SELECT jsonb_array_length(story->'duplicates')::int AS n FROM "${schema}".stories WHERE id IN
         (SELECT story_id FROM "${schema}".story_keys WHERE key LIKE '%ban-tin%')`,
    )
    expect(copies.length).toBe(GROUPS)
    expect(copies.every((c) => c.n === FEEDS / GROUPS - 1)).toBe(true)

    // the published output is the single worker's
    expect(published(shared)).toEqual(expected)
  }, 300_000)

  it('loses no source when a worker is SIGKILLed mid-round', async () => {
    fetches.clear()
    const dir = tempDir()
    const schema = newSchema()
    // a short lease, so the killed worker's chunk is taken over within the test
    writeConfig(dir, server, { share: { leaseMs: 5_000 } })
    const store = `${PG_URL}?schema=${schema}`
    const workers = Array.from({ length: 3 }, () =>
      startCli(['run', '--worker', '--interval', '3600', '--config', 'tonghop.config.json', '--store', store], dir),
    )
    // kill the first worker that holds leases, once some feeds were fetched
    await until(
      'leases and fetches',
      async () => {
        const rows = await query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${schema}".source_leases WHERE expires_at > now()`,
        ).catch(() => [{ n: 0 }])
        return rows[0]!.n > 0 && fetches.size > 10
      },
      120_000,
    )
    const owner = (await query<{ owner: string }>(`SELECT owner FROM "${schema}".source_leases LIMIT 1`))[0]?.owner
    const pid = Number(owner?.split(':')[1])
    const victim = workers.find((w) => w.child.pid === pid)!
    victim.child.kill('SIGKILL')
    const alive = workers.filter((w) => w !== victim)
    try {
      await until(
        'every feed stored',
        async () => {
          const rows = await query<{ n: number }>(
            `SELECT count(*)::int AS n FROM "${schema}".source_states WHERE key LIKE 'feed-%'`,
          )
          return rows[0]?.n === FEEDS
        },
        240_000,
      )
    } finally {
      for (const w of alive) w.child.kill('SIGTERM')
    }
    await Promise.all(alive.map((w) => w.exited))
    expect(fetches.size).toBe(FEEDS)
    const stories = (await query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".stories`))[0]?.n
    expect(stories).toBe(FEEDS * UNIQUE_PER_FEED + GROUPS)
  }, 300_000)
})
