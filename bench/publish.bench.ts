/**
 * Publishing 100k synthetic stories with `writeFeed` (no limit) to RSS, Atom, JSON Feed and HTML: wall time and
 * peak RSS, each measured in its own child process (peak = the child's VmHWM), medians of REPS runs.
 *
 * Rows:
 * - `<format> stream`: the stories arrive newest first from a generator (as `store.listStories()` streams them) with
 *   `presorted: true` — nothing is buffered; memory must stay bounded (target ≤ 300 MiB).
 * - `rss array`: the same stories handed over as one unsorted array (writeFeed buffers and sorts them), for scale.
 * - baseline `feed naive`: what the issue calls the naive pipeline — every story through `feed`'s `addItem`, then
 *   `rss2()` as one string and one writeFile. Its memory grows with the feed (≈2 GB peak at 100k of these ~1.7 KB
 *   stories); once the document passes V8's string limit (~512 Mi chars: bigger stories, or ~93k of the issue's) it
 *   dies with `RangeError: Invalid string length` — the row says so when it happens.
 *
 * Run: node --import tsx bench/publish.bench.ts   (STORIES=… REPS=… to change the size)
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Story } from '../src/types.js'
import { median } from './corpus.js'
import { peakRssMiB } from './peak-rss.mjs'

const STORIES = Number(process.env.STORIES ?? 100_000)
const REPS = Number(process.env.REPS ?? 3)
const self = fileURLToPath(import.meta.url)

const PARAGRAPHS = [
  'Chiều ngày 9/3, UBND tỉnh tổ chức họp tổng kết hoạt động năm 2016, triển khai nhiệm vụ năm 2017 của Ban Hội nhập kinh tế quốc tế tỉnh.',
  'Năm 2016, Ban Hội nhập kinh tế quốc tế tỉnh triển khai thực hiện công tác hội nhập kinh tế quốc tế trên tinh thần vừa bám sát chỉ đạo của cơ quan trung ương.',
  'Công tác hội nhập kinh tế quốc tế triển khai ở các cấp, các ngành địa phương được nâng lên một bước, góp phần đưa tổng sản phẩm trong tỉnh tăng 10,12%.',
  'Kết luận cuộc họp, đồng chí Phó Chủ tịch UBND tỉnh đánh giá cao vai trò của công tác hội nhập kinh tế quốc tế đối với sự phát triển kinh tế, xã hội.',
]
const OUTLETS = ['Báo Thái Bình', 'Báo Nam Định', 'Báo Hưng Yên', 'Báo Hà Nam', 'Báo Ninh Bình', 'Báo Hải Dương']

/** Story i, newest first as i grows: ~1.7 KB of body, one image with caption and credit, a copy every third story. */
function story(i: number): Story {
  const outlet = OUTLETS[i % OUTLETS.length]!
  const url = `https://bao${i % 40}.vn/tin-tuc/${i}-hop-ban-hoi-nhap.html`
  const image = `https://bao${i % 40}.vn/anh/${i}.jpg`
  const primary = {
    id: url,
    url,
    title: `Tin ${i}: Họp Ban Hội nhập kinh tế quốc tế tỉnh`,
    published: new Date(Date.UTC(2026, 10, 1) - i * 60_000),
    summary: PARAGRAPHS[0]!,
    contentHtml: `${PARAGRAPHS.map((p) => `<p>${p}</p>`).join('')}<figure><img src="${image}"><figcaption>Quang cảnh cuộc họp.</figcaption></figure>`,
    text: PARAGRAPHS,
    images: [{ url: image, caption: 'Quang cảnh cuộc họp.', credit: 'Thu Thủy' }],
    enclosures: [],
    credit: { text: `Theo ${outlet}`, name: outlet },
    categories: ['Kinh tế', 'Thời sự'],
    source: { id: `bao${i % 40}`, feedUrl: `https://bao${i % 40}.vn/rss/home.rss`, title: outlet },
    language: 'vi',
  }
  const duplicates =
    i % 3 === 0
      ? [
          {
            ...primary,
            id: `${url}?copy`,
            url: `https://cong${i % 7}.gov.vn/tin/${i}`,
            credit: { text: 'Cổng TTĐT tỉnh' },
            source: { id: `cong${i % 7}`, feedUrl: `https://cong${i % 7}.gov.vn/rss`, title: 'Cổng TTĐT tỉnh' },
          },
        ]
      : []
  return { id: url, primary, duplicates }
}

function* stories(n: number): Generator<Story> {
  for (let i = 0; i < n; i++) yield story(i)
}

interface Sample {
  ms: number
  peakMiB: number
  bytes: number
  items: number
  error?: string
}

async function child(mode: string): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'tonghop-bench-publish-'))
  const started = performance.now()
  try {
    if (mode === 'naive') {
      const { Feed } = await import('feed')
      const feed = new Feed({ id: 'https://t.example/', title: 'Tổng hợp', link: 'https://t.example/', copyright: '' })
      for (const s of stories(STORIES)) {
        const a = s.primary
        feed.addItem({
          title: a.title,
          id: a.id,
          link: a.url,
          date: a.published,
          content: a.contentHtml,
          description: a.summary ?? '',
        })
      }
      const path = join(dir, 'naive.xml')
      writeFileSync(path, feed.rss2())
      return { ms: performance.now() - started, peakMiB: peak(), bytes: statSync(path).size, items: STORIES }
    }
    const { writeFeed } = await import('../src/publish/index.js')
    const [format, input] = mode.split(':') as ['rss' | 'atom' | 'json' | 'html', 'stream' | 'array']
    const options = {
      path: join(dir, `out.${format}`),
      format,
      title: 'Tổng hợp',
      link: 'https://t.example/',
      limit: 0,
    }
    const result =
      input === 'array'
        ? await writeFeed(shuffle([...stories(STORIES)]), options)
        : await writeFeed(stories(STORIES), { ...options, presorted: true })
    return { ms: performance.now() - started, peakMiB: peak(), bytes: result.bytes, items: result.items }
  } catch (error) {
    return {
      ms: performance.now() - started,
      peakMiB: peak(),
      bytes: 0,
      items: 0,
      error: String((error as Error).message ?? error).slice(0, 80),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function shuffle<T>(items: T[]): T[] {
  let seed = 1
  for (let i = items.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    const j = seed % (i + 1)
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
  return items
}

const peak = peakRssMiB

function run(mode: string): Sample {
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', mode], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 600_000,
    })
    return JSON.parse(out.trim().split('\n').at(-1)!) as Sample
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '')
    const reason =
      /RangeError[^\n]*/.exec(stderr)?.[0] ?? /heap out of memory|Allocation failed[^\n]*/.exec(stderr)?.[0]
    return {
      ms: Number.NaN,
      peakMiB: Number.NaN,
      bytes: 0,
      items: 0,
      error: reason ?? `child failed (${(error as Error).message.slice(0, 60)})`,
    }
  }
}

async function main() {
  const childAt = process.argv.indexOf('--child')
  if (childAt >= 0) {
    process.stdout.write(`${JSON.stringify(await child(process.argv[childAt + 1]!))}\n`)
    return
  }
  const modes = ['rss:stream', 'atom:stream', 'json:stream', 'html:stream', 'rss:array', 'naive']
  const rows: string[] = []
  const medians = new Map<string, number>()
  for (const mode of modes) {
    const samples: Sample[] = []
    for (let r = 0; r < (mode === 'naive' ? 1 : REPS); r++) samples.push(run(mode))
    const ok = samples.filter((s) => !s.error)
    const ms = ok.length ? median(ok.map((s) => s.ms)) : Number.NaN
    const mib = ok.length ? median(ok.map((s) => s.peakMiB)) : Number.NaN
    medians.set(mode, ms)
    const failed = samples.find((s) => s.error)
    rows.push(
      `| ${mode === 'naive' ? 'baseline: feed naive (rss2() to one string)' : mode.replace(':', ' ')} | ${ok[0]?.items ?? 0} | ${ok.length ? (ok[0]!.bytes / 2 ** 20).toFixed(0) : '—'} | ${Number.isNaN(ms) ? '—' : (ms / 1000).toFixed(1)} | ${Number.isNaN(mib) ? '—' : mib.toFixed(0)} | ${ok.length}/${samples.length}${failed ? ` (${failed.error})` : ''} |`,
    )
    console.error(`done ${mode}`)
  }
  console.log(
    `\n### publish: ${STORIES.toLocaleString('en')} stories, limit 0, medians of ${REPS} runs (child process each)\n`,
  )
  console.log('| output | items | MiB written | seconds | peak RSS MiB | runs ok |')
  console.log('|---|---:|---:|---:|---:|---|')
  for (const row of rows) console.log(row)
  const naive = medians.get('naive')!
  const rss = medians.get('rss:stream')!
  console.log(
    Number.isNaN(naive)
      ? '\nBaseline ratio: the naive pipeline produced no feed at this size (see its row); writeFeed streams it.'
      : `\nBaseline ratio (rss stream / naive): ${(rss / naive).toFixed(2)}× time`,
  )
}

void main()
