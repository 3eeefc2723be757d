/**
 * Body benchmark (issues 4 and 8): `processBody` — the whole body pass (parse, captions, credits, byline, text,
 * rebuilt HTML, sanitize) — on every item body of the shared corpus, against bare sanitize-html with the same
 * allowlist (the cost of "just sanitizing") and an htmlparser2 tokenize floor, measured in the same run.
 *
 *   node --import tsx bench/body.bench.ts [--feeds 200] [--items 50] [--reps 5]
 *
 * Rates use the CPU time (user + system) of each pass; medians of `reps` passes. One core, main thread.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { Parser as HtmlParser } from 'htmlparser2'
import sanitize from 'sanitize-html'
import { processBody } from '../src/normalize/body/index.js'
import { sanitizeHtml, sanitizeRebuiltHtmlAll } from '../src/normalize/html/index.js'
import { parseFeed } from '../src/parse/index.js'
import { ensureCorpus, median } from './corpus.js'

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '200' },
    items: { type: 'string', default: '50' },
    reps: { type: 'string', default: '5' },
  },
})
const reps = Math.max(3, Number(values.reps))
const { files } = ensureCorpus(Number(values.feeds), Number(values.items))

const bodies: { html: string; baseUrl?: string; title?: string }[] = []
for (const f of files) {
  const feed = await parseFeed(readFileSync(f.path), { ...(f.url === undefined ? {} : { url: f.url }) })
  for (const item of feed.items) {
    const html = item.contentHtml ?? item.summary ?? ''
    bodies.push({
      html,
      ...(item.link === undefined ? {} : { baseUrl: item.link }),
      ...(item.title === undefined ? {} : { title: item.title }),
    })
  }
}
const bytes = bodies.reduce((n, b) => n + Buffer.byteLength(b.html), 0)

const SANITIZE: sanitize.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'h2', 'h3', 'h4', 'blockquote', 'ul', 'ol', 'li'].concat([
    'figure',
    'figcaption',
    'img',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ]),
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'width', 'height'] },
  allowedSchemes: ['http', 'https', 'mailto'],
}

function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

function measure(name: string, run: () => void): { name: string; cpu: number; wall: number } {
  run() // warm-up
  const cpu: number[] = []
  const wall: number[] = []
  for (let i = 0; i < reps; i++) {
    const c = cpuMs()
    const w = performance.now()
    run()
    wall.push(performance.now() - w)
    cpu.push(cpuMs() - c)
  }
  return { name, cpu: median(cpu), wall: median(wall) }
}

const floor = measure('floor: htmlparser2 tokenize (no-op handlers)', () => {
  for (const b of bodies) {
    const p = new HtmlParser({})
    p.write(b.html)
    p.end()
  }
})
const bare = measure('baseline: bare sanitize-html, same allowlist', () => {
  for (const b of bodies) sanitize(b.html, SANITIZE)
})
const ours = measure('tonghop processBody (everything)', () => {
  for (const b of bodies) {
    processBody(b.html, {
      ...(b.baseUrl === undefined ? {} : { baseUrl: b.baseUrl }),
      ...(b.title === undefined ? {} : { title: b.title }),
    })
  }
})

// The final gate's own share: tonghop's sanitize-html pass (normalize/html/sanitize.ts options) over the HTML
// processBody rebuilt (its output is a fixed point of the gate, the same size and shape as what the gate sees).
const rebuilt = bodies.map(
  (b) =>
    processBody(b.html, {
      ...(b.baseUrl === undefined ? {} : { baseUrl: b.baseUrl }),
      ...(b.title === undefined ? {} : { title: b.title }),
    }).contentHtml,
)
const full = measure('sanitize-html over the whole rebuilt HTML (the gate before)', () => {
  for (const html of rebuilt) sanitizeHtml(html)
})
// normalizeFeed gates a feed's bodies together: batches of 50, as in the corpus.
const batches: string[][] = []
for (let i = 0; i < rebuilt.length; i += 50) batches.push(rebuilt.slice(i, i + 50))
const gate = measure('the gate alone (sanitizeRebuiltHtmlAll), per feed of 50', () => {
  for (const batch of batches) sanitizeRebuiltHtmlAll(batch)
})

const mb = bytes / 1024 / 1024
console.log(`\n${bodies.length} bodies, ${mb.toFixed(1)} MiB of HTML, ${reps} reps, medians (rates on CPU time)\n`)
console.log('| pass | CPU ms | wall ms | items/s | MB/s | vs bare sanitize-html |')
console.log('|---|---:|---:|---:|---:|---:|')
for (const r of [floor, bare, full, gate, ours]) {
  const rate = bodies.length / (r.cpu / 1000)
  console.log(
    `| ${r.name} | ${r.cpu.toFixed(0)} | ${r.wall.toFixed(0)} | ${rate.toFixed(0)} | ${(mb / (r.cpu / 1000)).toFixed(1)} | ${(bare.cpu / r.cpu).toFixed(2)}× |`,
  )
}
