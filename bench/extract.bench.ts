/**
 * Extract benchmark (issue 14): `extractArticle` on 1,000 article pages of about 150 KB — the fixtures of
 * tests/fixtures/extract/ padded with realistic boilerplate (menus, most-read lists, inline state scripts, comment
 * threads, footers) — against bare Readability over linkedom and Defuddle over linkedom, in the same run.
 *
 *   node --import tsx --expose-gc bench/extract.bench.ts [--pages 1000] [--reps 3] [--kb 150] [--defuddle-pages 200]
 *
 * Defuddle is some 20x slower than extractArticle here, so it gets fewer pages (the same pages, from the first);
 * its rates are per page all the same.
 *
 * Each pass runs in its own child process (one core, main thread) so its peak RSS is its own; pages are made one
 * at a time inside the child, and only the extraction calls are timed (CPU time, user + system). Medians of
 * `reps` passes. Quality: paragraph F1 of each extractor against the fixtures' expected paragraphs.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Readability } from '@mozilla/readability'
import { parseHTML } from 'linkedom'
import { extractArticle } from '../src/extract/index.js'
import { blocksOf, type Fixture, fixtures, paragraphF1 } from '../tests/helpers/extract-fixtures.js'
import { median } from './corpus.js'
import { peakRssMiB } from './peak-rss.mjs'

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '1000' },
    reps: { type: 'string', default: '3' },
    kb: { type: 'string', default: '150' },
    'defuddle-pages': { type: 'string', default: '200' },
    child: { type: 'string' },
  },
})
const allPages = Number(values.pages)
const pages = values.child === 'defuddle' ? Math.min(allPages, Number(values['defuddle-pages'])) : allPages
const reps = Math.max(1, Number(values.reps))
const targetBytes = Number(values.kb) * 1024

type Mode = 'extract' | 'readability' | 'defuddle'
const MODES: Mode[] = ['extract', 'readability', 'defuddle']

const articles = fixtures().filter((f) => f.expected.method !== undefined)

// ---------------------------------------------------------------------------------------------------------------
// Pages

const WORDS =
  'tỉnh huyện xã nhân dân kinh tế xã hội văn hóa giáo dục y tế giao thông nông nghiệp du lịch đầu tư công trình dự án hội nghị chính quyền doanh nghiệp người dân phát triển'.split(
    ' ',
  )

function phrase(seed: number, n: number): string {
  let out = ''
  for (let i = 0; i < n; i++) out += `${i === 0 ? '' : ' '}${WORDS[(seed * 7 + i * 13) % WORDS.length]}`
  return out
}

function menu(seed: number): string {
  let items = ''
  for (let i = 0; i < 60; i++)
    items += `<li class="menu-item"><a href="/chuyen-muc/${seed}-${i}">${phrase(seed + i, 2)}</a></li>`
  return `<nav class="mega-menu"><ul>${items}</ul></nav>`
}

function mostRead(seed: number): string {
  let items = ''
  for (let i = 0; i < 20; i++)
    items += `<li><a href="/tin/${seed}-${i}.html"><img src="/thumb/${seed}-${i}.jpg" alt="">${phrase(seed * 3 + i, 12)}</a><span class="time">07/12/2026</span></li>`
  return `<div class="box-most-read"><h3>Đọc nhiều</h3><ul>${items}</ul></div>`
}

function stateScript(seed: number): string {
  const entries: string[] = []
  for (let i = 0; i < 40; i++)
    entries.push(
      `{"id":${seed * 100 + i},"title":"${phrase(seed + i, 10)}","url":"/tin/${seed}-${i}.html","views":${i * 37}}`,
    )
  return `<script>window.__STATE__ = {"latest":[${entries.join(',')}]};</script>`
}

function commentThread(seed: number): string {
  let items = ''
  for (let i = 0; i < 10; i++)
    items += `<div class="comment-item"><b>Bạn đọc ${seed}-${i}</b><p>${phrase(seed + i * 5, 25)}.</p><a href="#reply" class="reply">Trả lời</a></div>`
  return `<div class="box-comment">${items}</div>`
}

function footer(seed: number): string {
  return `<footer class="footer"><p>Giấy phép số ${seed}/GP-BTTTT. ${phrase(seed, 30)}.</p><ul>${'<li><a href="/gioi-thieu">Giới thiệu</a></li>'.repeat(30)}</ul></footer>`
}

/** Page `i`: a fixture with boilerplate added before and after its article until it is about `targetBytes`. */
function page(i: number): { html: string; url: string } {
  const f = articles[i % articles.length] as Fixture
  let before = ''
  let after = ''
  let k = 0
  const base = Buffer.byteLength(f.html)
  while (base + Buffer.byteLength(before) + Buffer.byteLength(after) < targetBytes) {
    const seed = i * 31 + k
    before += k % 2 === 0 ? menu(seed) + stateScript(seed) : mostRead(seed)
    after += k % 2 === 0 ? mostRead(seed + 1) + commentThread(seed) : footer(seed)
    k++
  }
  const html = f.html.replace('<body>', `<body>${before}`).replace('</body>', `${after}</body>`)
  // A distinct URL per page: nothing can be cached across pages by URL.
  const url = f.expected.url.replace(/(\.html?|\/)?$/, (m) => `-p${i}${m}`)
  return { html, url }
}

// ---------------------------------------------------------------------------------------------------------------
// Extractors

async function loadDefuddle(): Promise<((html: string, url: string) => Promise<string>) | undefined> {
  try {
    const { Defuddle } = await import('defuddle/node')
    return async (html, url) => {
      const { document } = parseHTML(html)
      // Defuddle logs the JSON-LD it cannot parse (one fixture has broken JSON-LD on purpose).
      const error = console.error
      console.error = () => {}
      try {
        const result = await Defuddle(document as never, url, { markdown: false })
        return result.content ?? ''
      } finally {
        console.error = error
      }
    }
  } catch {
    return undefined
  }
}

function bareReadability(html: string): string {
  const { document } = parseHTML(html)
  return new Readability(document as never).parse()?.content ?? ''
}

async function extractor(mode: Mode): Promise<((html: string, url: string) => Promise<string>) | undefined> {
  if (mode === 'extract')
    return async (html, url) => {
      const r = extractArticle(html, { url })
      return r.ok ? r.html : ''
    }
  if (mode === 'readability') return async (html) => bareReadability(html)
  return loadDefuddle()
}

function cpuMs(): number {
  const u = process.resourceUsage()
  return (u.userCPUTime + u.systemCPUTime) / 1000
}

// ---------------------------------------------------------------------------------------------------------------
// Child: one pass of one mode

if (values.child !== undefined) {
  const mode = values.child as Mode
  const run = await extractor(mode)
  if (run === undefined) {
    console.log(JSON.stringify({ mode, unavailable: true }))
    process.exit(0)
  }
  // Warm up on a few pages, then measure.
  for (let i = 0; i < 20; i++) {
    const p = page(pages + i)
    await run(p.html, p.url)
  }
  globalThis.gc?.()
  const baseline = process.memoryUsage().rss / 1024 / 1024
  let cpu = 0
  let bytes = 0
  let empty = 0
  for (let i = 0; i < pages; i++) {
    const p = page(i)
    bytes += Buffer.byteLength(p.html)
    const start = cpuMs()
    const out = await run(p.html, p.url)
    cpu += cpuMs() - start
    if (out === '') empty++
  }
  console.log(JSON.stringify({ mode, cpu, bytes, empty, baseline, peak: peakRssMiB() }))
  process.exit(0)
}

// ---------------------------------------------------------------------------------------------------------------
// Parent

interface Pass {
  mode: Mode
  cpu: number
  bytes: number
  empty: number
  baseline: number
  peak: number
  unavailable?: boolean
}

function pass(mode: Mode): Pass {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--expose-gc',
      fileURLToPath(import.meta.url),
      '--child',
      mode,
      '--pages',
      String(allPages),
      '--defuddle-pages',
      String(values['defuddle-pages']),
      '--kb',
      String(values.kb),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  )
  if (r.status !== 0) throw new Error(`${mode} pass failed: ${r.stderr}`)
  const last = r.stdout.trim().split('\n').pop() ?? '{}'
  return JSON.parse(last) as Pass
}

// Quality on the fixtures themselves (unpadded).
const defuddle = await loadDefuddle()
const quality: Record<Mode, number[]> = { extract: [], readability: [], defuddle: [] }
for (const f of articles) {
  const want = f.expected.paragraphs
  const ours = extractArticle(f.html, { url: f.expected.url })
  quality.extract.push(paragraphF1(ours.ok ? blocksOf(ours.html).paragraphs : [], want).f1)
  quality.readability.push(paragraphF1(blocksOf(bareReadability(f.html)).paragraphs, want).f1)
  if (defuddle !== undefined)
    quality.defuddle.push(paragraphF1(blocksOf(await defuddle(f.html, f.expected.url)).paragraphs, want).f1)
}
const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length)

const sample = page(0)
console.log(
  `${allPages} pages (Defuddle: the first ${Math.min(allPages, Number(values['defuddle-pages']))}) of ~${Math.round(Buffer.byteLength(sample.html) / 1024)} KB (${articles.length} fixtures padded), medians of ${reps} passes, one core`,
)
console.log('')
console.log('| extractor | pages/s | MB/s | ms/page | peak RSS MiB | (baseline) | empty | paragraph F1 (fixtures) |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
const rates: Partial<Record<Mode, number>> = {}
for (const mode of MODES) {
  const passes: Pass[] = []
  for (let r = 0; r < reps; r++) passes.push(pass(mode))
  if (passes[0]?.unavailable === true) {
    console.log(`| ${mode} | unavailable | | | | | | |`)
    continue
  }
  const cpu = median(passes.map((p) => p.cpu))
  const n = mode === 'defuddle' ? Math.min(allPages, Number(values['defuddle-pages'])) : allPages
  const rate = n / (cpu / 1000)
  rates[mode] = rate
  const mbps = (passes[0]?.bytes ?? 0) / 1e6 / (cpu / 1000)
  console.log(
    `| ${mode} | ${rate.toFixed(0)} | ${mbps.toFixed(1)} | ${(cpu / n).toFixed(2)} | ${median(passes.map((p) => p.peak)).toFixed(0)} | ${median(passes.map((p) => p.baseline)).toFixed(0)} | ${passes[0]?.empty ?? 0} | ${mean(quality[mode]).toFixed(3)} |`,
  )
}
console.log('')
if (rates.extract !== undefined && rates.readability !== undefined)
  console.log(`extractArticle / bare Readability: ${(rates.extract / rates.readability).toFixed(2)}x pages/s`)
if (rates.extract !== undefined && rates.defuddle !== undefined)
  console.log(`extractArticle / Defuddle: ${(rates.extract / rates.defuddle).toFixed(2)}x pages/s`)
