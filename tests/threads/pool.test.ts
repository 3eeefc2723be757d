import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeStory, encodeStory } from '../../src/store/codec.js'
import type { ProcessJob } from '../../src/threads/index.js'
import { createFeedProcessor, createInlineProcessor } from '../../src/threads/index.js'
import type { Article } from '../../src/types.js'

const xml = readFileSync(new URL('../../examples/feeds/thaibinh-portal-tin-tong-hop.rss.xml', import.meta.url), 'utf8')
const job: ProcessJob = {
  text: xml,
  url: 'https://thaibinh.gov.vn/rss/tin-tong-hop.rss',
  source: { id: 'portal', url: 'https://thaibinh.gov.vn/rss/tin-tong-hop.rss', name: 'Cổng TTĐT tỉnh Thái Bình' },
  timeZone: 'Asia/Ho_Chi_Minh',
  nowMs: Date.parse('2026-11-26T00:00:00Z'),
}

describe('feed processor', () => {
  const threaded = createFeedProcessor(2)
  afterAll(() => threaded.close())

  it('runs in worker threads when asked to', () => {
    expect(threaded.threads).toBe(2)
    expect(createFeedProcessor(0).threads).toBe(0)
  })

  it('gives the same articles in a worker as in the main thread, Dates included', async () => {
    const [inThread, inWorker] = await Promise.all([createInlineProcessor().run(job), threaded.run(job)])
    expect(inWorker).toEqual(inThread)
    expect(inWorker.itemCount).toBe(3)
    expect(inWorker.articles[0]?.published).toBeInstanceOf(Date)
    expect(inWorker.articles[0]?.published.toISOString()).toBe('2017-03-09T17:00:00.000Z')
  })

  it('encodes the articles for the store in the worker when the job asks for it: the same story JSON', async () => {
    const inWorker = await threaded.run({ ...job, json: true })
    expect(inWorker.json).toHaveLength(3)
    expect((await threaded.run(job)).json).toBeUndefined()
    const plain = await createInlineProcessor().run(job)
    const [primary, ...duplicates] = inWorker.articles as [Article, ...Article[]]
    const story = { id: 'story-1', primary, duplicates }
    const expected = JSON.stringify(story)
    const encoded = new Map(inWorker.articles.map((a, i) => [a, inWorker.json![i]!]))
    expect(encodeStory(story, encoded)).toBe(expected)
    expect(decodeStory(encodeStory(story, encoded))).toEqual({
      id: 'story-1',
      primary: plain.articles[0],
      duplicates: plain.articles.slice(1),
    })
    // a story whose articles have no remembered JSON is encoded the same way
    expect(encodeStory({ id: 'story-2', primary: plain.articles[1]!, duplicates: [] })).toBe(
      JSON.stringify({ id: 'story-2', primary: plain.articles[1], duplicates: [] }),
    )
  })

  it('prepares the articles for dedupe in the worker when the job asks for it', async () => {
    const [inThread, inWorker] = await Promise.all([
      createInlineProcessor().run({ ...job, dedupe: {} }),
      threaded.run({ ...job, dedupe: {} }),
    ])
    expect(inWorker.prepared?.items).toHaveLength(3)
    expect(inWorker).toEqual(inThread)
    expect((await threaded.run(job)).prepared).toBeUndefined()
  })

  it('returns a feed error from a worker with its code', async () => {
    await expect(threaded.run({ ...job, text: '<html><body>not a feed</body></html>' })).rejects.toMatchObject({
      code: 'ERR_PARSE_INVALID_FEED',
      url: job.url,
      sourceId: 'portal',
    })
  })

  it('keeps many jobs in flight across workers', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => threaded.run(job)))
    expect(results.map((r) => r.articles.length)).toEqual(Array(12).fill(3))
  })

  it('fails only the feed that exhausts a worker heap; the jobs queued behind it run on a fresh worker', async () => {
    const p = createFeedProcessor(1, { heapMb: 64 })
    try {
      // ~14 MiB, under parse/'s 15 MiB input limit, but its articles need well over 64 MiB of heap
      const body = `<p>${'Tỉnh Thái Bình tổ chức hội nghị tổng kết công tác năm. '.repeat(20)}</p>`
      const items = Array.from(
        { length: 8_000 },
        (_, i) =>
          `<item><title>Tin ${i}</title><link>https://example.vn/${i}</link><description><![CDATA[${body}]]></description></item>`,
      ).join('')
      const huge: ProcessJob = { ...job, text: `<rss version="2.0"><channel><title>x</title>${items}</channel></rss>` }
      const [big, ...rest] = await Promise.allSettled([p.run(huge), p.run(job), p.run(job)])
      expect(big).toMatchObject({ status: 'rejected', reason: { code: 'ERR_PARSE_TOO_LARGE', url: job.url } })
      expect(rest.map((r) => r.status === 'fulfilled' && r.value.articles.length)).toEqual([3, 3])
      // the replacement worker keeps serving
      expect((await p.run(job)).articles).toHaveLength(3)
    } finally {
      await p.close()
    }
  }, 60_000)

  it("runs a feed's first pass before the extraction jobs waiting for the worker", async () => {
    const p = createFeedProcessor(1)
    try {
      const order: string[] = []
      const second: ProcessJob = { ...job, fullText: { mode: 'auto', teaserLength: 0 }, pages: {} }
      const track = (name: string, j: ProcessJob) => p.run(j).then(() => void order.push(name))
      await Promise.all([
        track('running', second),
        track('next', second),
        track('extract1', second),
        track('extract2', second),
        track('first', job),
      ])
      // the worker had the first two; the first pass, queued last, went before the two still waiting
      expect(order).toEqual(['running', 'next', 'first', 'extract1', 'extract2'])
    } finally {
      await p.close()
    }
  })

  it('refuses work once closed', async () => {
    const p = createFeedProcessor(1)
    await p.close()
    await expect(p.run(job)).rejects.toMatchObject({ code: 'ERR_INTERNAL' })
  })
})
