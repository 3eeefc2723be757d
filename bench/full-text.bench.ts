/**
 * Issue 14's full-text pipeline benchmark: `tonghop run` on teaser feeds (VnExpress-shaped RSS, a one-sentence
 * description with a thumbnail) whose article pages (~150 KB) it fetches and extracts, served by loopback servers
 * (one port per host) with `--latency` ms before every response. Reports the first run (fresh store) against the
 * bound the fetch limits set, and a second run (feed bodies changed, every page already stored).
 *
 *   npm run build && node --import tsx bench/full-text.bench.ts [--feeds 200 --items 50 --hosts 20 --latency 50 --reps 3]
 *     [--per-host 2 --interval 250 --concurrency 8 --feeds-in-flight 32] [--threads n] [--rule | --fallback]
 *
 * Bound, per host h with n_h = 1 (robots.txt) + feeds + pages requests, perHost c, minHostInterval i, latency L:
 *   T_h = max((n_h − 1)·i + L, ceil(n_h / c)·L); global: ceil(N / concurrency)·L; bound = max(max_h T_h, global).
 * The pages are VnExpress-shaped (`article.fck_detail`) on 127.0.0.1, a host no shipped rule names: by default they
 * are recognised by their markup (`layout:vnexpress`), as a real VnExpress page is by its host rule. `--rule` adds a
 * copy of the shipped VnExpress rule for 127.0.0.1 (config `rules.extract`). `--fallback` renames the article's
 * class so that neither a rule nor a layout matches: the pages then go through Readability (JSON-LD has no
 * articleBody here), the cost of a site tonghop knows nothing about.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { median, rng } from './corpus.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
const cli = join(root, 'dist/cli.js')
const measure = join(here, 'e2e/measure.mjs')

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '200' },
    items: { type: 'string', default: '50' },
    hosts: { type: 'string', default: '20' },
    latency: { type: 'string', default: '50' },
    reps: { type: 'string', default: '3' },
    'per-host': { type: 'string' },
    interval: { type: 'string' },
    concurrency: { type: 'string' },
    'feeds-in-flight': { type: 'string' },
    threads: { type: 'string' },
    rule: { type: 'boolean', default: false },
    fallback: { type: 'boolean', default: false },
  },
})
const FEEDS = Number(values.feeds)
const ITEMS = Number(values.items)
const HOSTS = Math.min(Number(values.hosts), FEEDS)
const LATENCY = Number(values.latency)
const REPS = Number(values.reps)
// src/fetch/defaults.ts FETCH_DEFAULTS
const PER_HOST = values['per-host'] ? Number(values['per-host']) : 2
const INTERVAL = values.interval ? Number(values.interval) : 250
const CONCURRENCY = values.concurrency ? Number(values.concurrency) : 8

// ---- text ------------------------------------------------------------------------------------------------------

const WORDS = (
  'người dân chính quyền tỉnh huyện xã thôn công trình dự án đường giao thông nông nghiệp lúa gạo cá tôm mùa mưa ' +
  'bão lũ sạt lở khắc phục hỗ trợ kinh phí triệu đồng tỷ học sinh trường học giáo viên bệnh viện bác sĩ y tế ' +
  'khám chữa bệnh doanh nghiệp đầu tư khu công nghiệp việc làm lao động thu nhập xuất khẩu thị trường giá cả ' +
  'hội nghị triển khai kế hoạch năm nhiệm vụ trọng tâm đại biểu ý kiến cử tri kiến nghị giải quyết kịp thời ' +
  'văn hóa lễ hội truyền thống du lịch du khách di tích thể thao giải đấu vận động viên huy chương công an ' +
  'điều tra vụ việc xử lý vi phạm an toàn phòng cháy chữa cháy môi trường rác thải nước sạch điện lưới ' +
  'chuyển đổi số dịch vụ công trực tuyến cán bộ đảng viên mặt trận đoàn thể thanh niên phụ nữ cựu chiến binh'
).split(' ')
const PLACES = 'Hà Nội,Nghệ An,Thanh Hóa,Quảng Trị,Long An,Cần Thơ,Đắk Nông,Ninh Bình,Hưng Yên,Bắc Giang'.split(',')

function sentence(r: () => number, min: number, max: number): string {
  const n = min + Math.floor(r() * (max - min))
  const w: string[] = []
  for (let k = 0; k < n; k++) w.push(WORDS[Math.floor(r() * WORDS.length)]!)
  w.push(PLACES[Math.floor(r() * PLACES.length)]!)
  const s = w.join(' ')
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`
}
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

interface Item {
  title: string
  lead: string
  paragraphs: string[]
  date: Date
  link: string
}
const T0 = Date.now()
function itemOf(origin: string, feed: number, item: number): Item {
  const r = rng(feed * 100_003 + item * 7 + 1)
  const title = `${sentence(r, 8, 12).slice(0, -1)} (${feed}-${item})`
  const paragraphs = Array.from({ length: 10 }, () => Array.from({ length: 3 }, () => sentence(r, 14, 24)).join(' '))
  return {
    title,
    lead: sentence(r, 18, 26),
    paragraphs,
    date: new Date(T0 - (item * FEEDS + feed) * 60_000),
    link: `${origin}/thoi-su/bai-${feed}-${item}.html`,
  }
}

// ---- responses -------------------------------------------------------------------------------------------------

function feedXml(origin: string, feed: number, generation: number): string {
  const items: string[] = []
  for (let k = 0; k < ITEMS; k++) {
    const it = itemOf(origin, feed, k)
    const thumb = `${origin}/img/${feed}-${k}.jpg`
    items.push(
      `<item><title>${esc(it.title)}</title><description><![CDATA[<a href="${it.link}"><img src="${thumb}"></a></br>${it.lead}]]></description>` +
        `<pubDate>${it.date.toUTCString()}</pubDate><link>${it.link}</link><guid>${it.link}</guid>` +
        `<enclosure type="image/jpeg" length="1200" url="${thumb}"/></item>`,
    )
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Thời sự ${feed} - VnExpress RSS</title>` +
    `<description>VnExpress RSS</description><link>${origin}/thoi-su-${feed}</link>` +
    `<lastBuildDate>${new Date(T0 + generation * 60_000).toUTCString()}</lastBuildDate><generator>bench gen ${generation}</generator>` +
    `${items.join('')}</channel></rss>`
  )
}

const template = readFileSync(join(root, 'tests/fixtures/extract/vnexpress.html'), 'utf8')
const [head, afterHead] = template.split('</head>') as [string, string]
const figure = /<figure[\s\S]*?<\/figure>/.exec(template)![0]
const related = /<div class="box-tinlienquanv2">[\s\S]*?<\/div><div class="ads-inread">[\s\S]*?<\/div>/.exec(
  template,
)![0]
const [bodyStart, bodyRest] = afterHead.split(/<h1 class="title-detail">[\s\S]*?<\/article>/) as [string, string]
// realistic padding: an inline bundle/state script in <head>, a mega menu, long sidebars and comment threads
const padScript = `<script>window.__STATE__=${JSON.stringify(
  Array.from({ length: 260 }, (_, k) => ({
    id: 4800000 + k,
    title: `Tin liên quan số ${k} về ${WORDS[k % WORDS.length]} ${WORDS[(k * 7) % WORDS.length]}`,
    url: `/tin-${k}.html`,
    thumb: `https://i1-vnexpress.vnecdn.net/thumb/${k}.jpg`,
    category: PLACES[k % PLACES.length],
  })),
)};</script>`
const megaMenu = `<nav class="mega-menu"><ul>${Array.from(
  { length: 120 },
  (_, k) =>
    `<li class="sub"><a href="/muc-${k}" title="Chuyên mục ${k}">Chuyên mục ${WORDS[k % WORDS.length]} ${k}</a></li>`,
).join('')}</ul></nav>`
const sidebar = Array.from(
  { length: 6 },
  (_, b) =>
    `<div class="box-news-sidebar"><h3 class="box-title">Tin mới nhất ${b}</h3><ul>${Array.from(
      { length: 40 },
      (_, k) =>
        `<li class="item-news"><a href="/tin-moi-${b}-${k}.html"><img src="/thumb/${b}-${k}.jpg" alt="">Tin mới số ${k} của mục ${b}: ${WORDS[(k * 3 + b) % WORDS.length]} ${WORDS[(k * 5 + b) % WORDS.length]}</a><span class="time">${k} phút trước</span></li>`,
    ).join('')}</ul></div>`,
).join('')
const comments = Array.from(
  { length: 60 },
  (_, k) =>
    `<div class="comment-item"><b>Bạn đọc ${k}</b><p>Bình luận của bạn đọc số ${k}: mong chính quyền sớm ${WORDS[k % WORDS.length]} ${WORDS[(k * 11) % WORDS.length]}.</p><a href="#" class="like">Thích</a> <a href="#" class="reply">Trả lời</a></div>`,
).join('')
const padHead = padScript + padScript.replace('__STATE__', '__RELATED__')
const padBodyStart = bodyStart.replace('</header>', `${megaMenu}</header>`)
const padBodyRest = bodyRest
  .replace('<aside class="sidebar">', `<aside class="sidebar">${sidebar}`)
  .replace('<div class="comment-item">', `${comments}<div class="comment-item">`)

function pageHtml(origin: string, feed: number, item: number): string {
  const it = itemOf(origin, feed, item)
  const iso = it.date.toISOString()
  const h = head
    .replace(/<title>[^<]*<\/title>/, `<title>${esc(it.title)} - VnExpress</title>`)
    .replace(/(og:title" content=")[^"]*/, `$1${esc(it.title)}`)
    .replace(/(rel="canonical" href=")[^"]*/, `$1${it.link}`)
    .replace(/"@id":"[^"]*"/, `"@id":"${it.link}"`)
    .replace(/"headline":"[^"]*"/, `"headline":${JSON.stringify(it.title)}`)
    .replace(/"datePublished":"[^"]*"/, `"datePublished":"${iso}"`)
  const ps = it.paragraphs.map((p) => `<p class="Normal">${p}</p>`)
  ps.splice(2, 0, figure)
  ps.splice(6, 0, related)
  const article =
    `<h1 class="title-detail">${esc(it.title)}</h1><p class="description">${it.lead}</p>` +
    `<article class="${values.fallback ? 'article-body' : 'fck_detail '}">${ps.join('')}<p class="Normal" style="text-align:right;"><strong>Võ Hải</strong></p></article>`
  return `${h}${padHead}</head>${padBodyStart}${article}${padBodyRest}`
}

// ---- servers ---------------------------------------------------------------------------------------------------

interface Hit {
  host: number
  kind: 'robots' | 'feed' | 'page'
  start: number
  feed?: number
}
const hits: Hit[] = []
let generation = 0
let inFlight = 0
let maxInFlight = 0

async function startHost(h: number): Promise<{ server: Server; host: string }> {
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host}`
    const path = (req.url ?? '/').split('?')[0]!
    const start = performance.now()
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    const send = (status: number, type: string, body: string) =>
      setTimeout(() => {
        inFlight--
        res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(body) })
        res.end(body)
      }, LATENCY)
    const feedMatch = /^\/rss\/feed-(\d+)\.rss$/.exec(path)
    const pageMatch = /^\/thoi-su\/bai-(\d+)-(\d+)\.html$/.exec(path)
    if (path === '/robots.txt') {
      hits.push({ host: h, kind: 'robots', start })
      send(200, 'text/plain', 'User-agent: *\nAllow: /\n')
    } else if (feedMatch) {
      hits.push({ host: h, kind: 'feed', start, feed: Number(feedMatch[1]) })
      send(200, 'application/rss+xml', feedXml(origin, Number(feedMatch[1]), generation))
    } else if (pageMatch) {
      hits.push({ host: h, kind: 'page', start, feed: Number(pageMatch[1]) })
      send(200, 'text/html', pageHtml(origin, Number(pageMatch[1]), Number(pageMatch[2])))
    } else send(404, 'text/plain', 'not found')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}` }
}

// ---- measuring -------------------------------------------------------------------------------------------------

interface Sample {
  code: number
  wallMs: number
  cpuMs: number
  maxRssMiB: number
}
async function runMeasured(args: string[]): Promise<Sample & { stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tonghop-measure-'))
  const file = join(dir, 'sample.jsonl')
  const child = spawn(process.execPath, ['--import', measure, ...args], {
    env: { ...process.env, TONGHOP_BENCH_MEASURE: file },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000)
  })
  const status = await new Promise<number | null>((r) => child.on('close', (code) => r(code)))
  let sample: Sample = { code: status ?? -1, wallMs: Number.NaN, cpuMs: Number.NaN, maxRssMiB: Number.NaN }
  try {
    sample = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').pop()!)
  } catch {}
  rmSync(dir, { recursive: true, force: true })
  return { ...sample, code: status ?? sample.code, stderr: stderr.slice(-2000) }
}

interface Pages {
  fetched: number
  extracted: number
  reused: number
  failed: number
  skipped: number
  newItems: number
  duplicates: number
  failedCodes: string
}
function pagesOf(reportFile: string): Pages {
  const out: Pages = {
    fetched: 0,
    extracted: 0,
    reused: 0,
    failed: 0,
    skipped: 0,
    newItems: 0,
    duplicates: 0,
    failedCodes: '',
  }
  const codes = new Map<string, number>()
  try {
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
      totals: { items: { new: number; duplicates: number } }
      sources: { pages?: Record<string, number>; warnings: { code: string }[] }[]
    }
    out.newItems = report.totals.items.new
    out.duplicates = report.totals.items.duplicates
    for (const s of report.sources) {
      for (const k of ['fetched', 'extracted', 'reused', 'failed', 'skipped'] as const) out[k] += s.pages?.[k] ?? 0
      for (const w of s.warnings) codes.set(w.code, (codes.get(w.code) ?? 0) + 1)
    }
  } catch {}
  out.failedCodes = [...codes].map(([c, n]) => `${c}×${n}`).join(' ')
  return out
}

/** Where the first run's time went, from the servers' request log. */
function profile(log: Hit[], wallStart: number): string[] {
  const t = (x: number) => ((x - wallStart) / 1000).toFixed(1)
  const byHost = new Map<number, Hit[]>()
  for (const hit of log) byHost.set(hit.host, [...(byHost.get(hit.host) ?? []), hit])
  const spans: number[] = []
  const gaps: number[] = []
  let busyHostSeconds = 0
  for (const list of byHost.values()) {
    list.sort((a, b) => a.start - b.start)
    spans.push((list.at(-1)!.start - list[0]!.start) / 1000)
    for (let k = 1; k < list.length; k++) gaps.push(list[k]!.start - list[k - 1]!.start)
    busyHostSeconds += ((list.length - 1) * INTERVAL) / 1000
  }
  const first = Math.min(...log.map((x) => x.start))
  const last = Math.max(...log.map((x) => x.start))
  // hosts with a request start in each second: how many hosts the run keeps busy at once
  const perSecond = new Map<number, Set<number>>()
  for (const hit of log) {
    const s = Math.floor((hit.start - first) / 1000)
    if (!perSecond.has(s)) perSecond.set(s, new Set())
    perSecond.get(s)!.add(hit.host)
  }
  const active = [...perSecond.values()].map((s) => s.size)
  // per feed: its request to its last page request
  const feedStart = new Map<number, number>()
  const feedLast = new Map<number, number>()
  for (const hit of log) {
    if (hit.feed === undefined) continue
    if (hit.kind === 'feed') feedStart.set(hit.feed, hit.start)
    else feedLast.set(hit.feed, Math.max(feedLast.get(hit.feed) ?? 0, hit.start))
  }
  const feedSpans = [...feedStart].map(([f, s]) => ((feedLast.get(f) ?? s) - s) / 1000)
  gaps.sort((a, b) => a - b)
  return [
    `requests ${log.length}, first at ${t(first)} s, last at ${t(last)} s after the child started`,
    `per-host span (first → last request start) median ${median(spans).toFixed(1)} s, max ${Math.max(...spans).toFixed(1)} s; ideal per host (n−1)·i = ${(busyHostSeconds / byHost.size).toFixed(1)} s`,
    `hosts with a request start in a second: median ${median(active)}, max ${Math.max(...active)} of ${byHost.size}`,
    `gap between two request starts to one host: median ${median(gaps).toFixed(0)} ms, p90 ${gaps[Math.floor(gaps.length * 0.9)]?.toFixed(0)} ms (interval ${INTERVAL} ms)`,
    `per feed, feed request → its last page request: median ${median(feedSpans).toFixed(1)} s`,
    `max requests in flight at the servers: ${maxInFlight} (concurrency ${CONCURRENCY})`,
  ]
}

/**
 * Per host, the time between two request starts beyond the interval, summed: what kept the hosts from the bound;
 * split into short delays (a gap under twice the interval: timers and the event loop late under load) and stalls
 * (longer: the host's queue ran dry, e.g. between two feeds), with what the request after a stall was.
 */
function idleBeyond(log: Hit[]): string {
  const byHost = new Map<number, Hit[]>()
  for (const hit of log) byHost.set(hit.host, [...(byHost.get(hit.host) ?? []), hit])
  const short: number[] = []
  const long: number[] = []
  const after = new Map<string, number>()
  for (const list of byHost.values()) {
    list.sort((x, y) => x.start - y.start)
    let s = 0
    let l = 0
    for (let k = 1; k < list.length; k++) {
      const gap = list[k]!.start - list[k - 1]!.start
      if (gap < 2 * INTERVAL) s += Math.max(0, gap - INTERVAL)
      else {
        l += gap - INTERVAL
        const kind = `${list[k - 1]!.kind}→${list[k]!.kind}`
        after.set(kind, (after.get(kind) ?? 0) + 1)
      }
    }
    short.push(s / 1000)
    long.push(l / 1000)
  }
  const kinds = [...after].map(([k, n]) => `${k} ${n}`).join(', ')
  return `per host, time between requests beyond the interval: median ${median(short).toFixed(1)} s in short delays, ${median(long).toFixed(1)} s in stalls ≥ 2 intervals (${kinds || 'none'})`
}

// ---- main ------------------------------------------------------------------------------------------------------

const servers = await Promise.all(Array.from({ length: HOSTS }, (_, h) => startHost(h)))
const hostOfFeed = (f: number) => f % HOSTS
const work = mkdtempSync(join(tmpdir(), 'tonghop-fulltext-'))
const vnexpressRule = {
  host: '127.0.0.1',
  body: 'article.fck_detail, .fck_detail',
  lead: 'p.description',
  title: 'h1.title-detail, h1.title_news_detail',
  byline: 'p.author_mail, article.fck_detail > p.Normal[align=right], article.fck_detail > p.Normal[style*="right"]',
  date: 'span.date',
  remove: ['.box-tinlienquanv2', '.box_tinlienquan', '.list-news', '.box_brief_info', '.footer-content'],
}
const config = {
  feed: { title: 'bench full text', link: 'https://example.com/' },
  sources: Array.from({ length: FEEDS }, (_, f) => `http://${servers[hostOfFeed(f)]!.host}/rss/feed-${f}.rss`),
  fetch: {
    allowHosts: servers.map((s) => s.host),
    perHost: PER_HOST,
    minHostInterval: INTERVAL,
    concurrency: CONCURRENCY,
    ...(values['feeds-in-flight'] ? { feedsInFlight: Number(values['feeds-in-flight']) } : {}),
  },
  extract: { pagesPerRun: 20_000, pagesPerHost: 2_000 },
  ...(values.rule ? { rules: { extract: [vnexpressRule] } } : {}),
  ...(values.threads ? { threads: Number(values.threads) } : {}),
  store: { sqlite: join(work, 'state.sqlite') },
  outputs: [{ path: join(work, 'out', 'merged.json'), format: 'json', limit: 0 }],
}
writeFileSync(join(work, 'tonghop.config.json'), JSON.stringify(config))
const reportFile = join(work, 'out', 'tonghop-report.json')
const fresh = () => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(work, `state.sqlite${suffix}`), { force: true })
}

// the bound
const perHostCount = new Map<number, number>()
for (let f = 0; f < FEEDS; f++) perHostCount.set(hostOfFeed(f), (perHostCount.get(hostOfFeed(f)) ?? 0) + 1 + ITEMS)
let hostBound = 0
let total = 0
for (const feedsAndPages of perHostCount.values()) {
  const n = 1 + feedsAndPages
  total += n
  hostBound = Math.max(hostBound, (n - 1) * INTERVAL + LATENCY, Math.ceil(n / PER_HOST) * LATENCY)
}
const globalBound = Math.ceil(total / CONCURRENCY) * LATENCY
const bound = Math.max(hostBound, globalBound)

const first: Sample[] = []
const second: Sample[] = []
let firstPages: Pages | undefined
let secondPages: Pages | undefined
let profiled: string[] = []
const perRep: string[] = []
const args = [cli, 'run', '--config', join(work, 'tonghop.config.json'), '--quiet']
for (let rep = 0; rep < REPS; rep++) {
  fresh()
  generation++
  hits.length = 0
  maxInFlight = 0
  const started = performance.now()
  const loadBefore = loadavg()[0]!
  const a = await runMeasured(args)
  if (a.code !== 0) console.error('first run exit', a.code, a.stderr)
  first.push(a)
  perRep.push(
    `rep ${rep + 1}: first run ${(a.wallMs / 1000).toFixed(2)} s = ${(a.wallMs / bound).toFixed(2)}× the bound, CPU ${(a.cpuMs / 1000).toFixed(1)} s, peak RSS ${a.maxRssMiB.toFixed(0)} MiB; load average (1 min) ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after; ${idleBeyond(hits)}`,
  )
  firstPages ??= pagesOf(reportFile)
  if (rep === 0) profiled = profile(hits, started)
  generation++ // feed bodies change: the second run processes them, its pages are all stored
  const b = await runMeasured(args)
  if (b.code !== 0) console.error('second run exit', b.code, b.stderr)
  second.push(b)
  secondPages ??= pagesOf(reportFile)
}
for (const s of servers) s.server.close()
rmSync(work, { recursive: true, force: true })

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a')
const m = (s: Sample[], k: keyof Sample) => median(s.map((x) => x[k]))
const pagesCell = (p: Pages | undefined) =>
  p ? `${p.fetched} / ${p.extracted} / ${p.reused} / ${p.failed} / ${p.skipped}` : 'n/a'
console.log(
  `\n${FEEDS} feeds × ${ITEMS} items on ${HOSTS} hosts, latency ${LATENCY} ms, perHost ${PER_HOST}, minHostInterval ${INTERVAL} ms, ` +
    `concurrency ${CONCURRENCY}${values['feeds-in-flight'] ? `, feedsInFlight ${values['feeds-in-flight']}` : ''}${values.threads ? `, threads ${values.threads}` : ''}, ${values.rule ? 'VnExpress rule (config copy)' : values.fallback ? 'fallback extraction (Readability)' : 'no rule for the host (layout:vnexpress)'}; median of ${REPS}`,
)
console.log(
  `bound: per host max((n−1)·i + L, ceil(n/c)·L) = ${fmt(hostBound / 1000, 2)} s (n = ${Math.max(...perHostCount.values()) + 1}), ` +
    `global ceil(${total}/${CONCURRENCY})·L = ${fmt(globalBound / 1000, 2)} s → ${fmt(bound / 1000, 2)} s`,
)
console.log(
  '\n| run | wall s | wall ÷ bound | CPU s | peak RSS MiB | pages fetched / extracted / reused / failed / skipped | new items | exit codes |',
)
console.log('|---|---|---|---|---|---|---|---|')
console.log(
  `| first (fresh store) | ${fmt(m(first, 'wallMs') / 1000, 2)} | ${fmt(m(first, 'wallMs') / bound, 2)} | ${fmt(m(first, 'cpuMs') / 1000, 2)} | ${fmt(m(first, 'maxRssMiB'))} | ${pagesCell(firstPages)} | ${firstPages?.newItems ?? 'n/a'} | ${first.map((x) => x.code).join(',')} |`,
)
console.log(
  `| second (feeds changed, pages stored) | ${fmt(m(second, 'wallMs') / 1000, 2)} | – | ${fmt(m(second, 'cpuMs') / 1000, 2)} | ${fmt(m(second, 'maxRssMiB'))} | ${pagesCell(secondPages)} | ${secondPages?.newItems ?? 'n/a'} | ${second.map((x) => x.code).join(',')} |`,
)
console.log(`\n${perRep.map((l) => `- ${l}`).join('\n')}`)
if (firstPages?.failedCodes) console.log(`\nfirst-run warnings: ${firstPages.failedCodes}`)
console.log(`\nfirst run, from the servers' request log (rep 1):\n${profiled.map((l) => `- ${l}`).join('\n')}`)
