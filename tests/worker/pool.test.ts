import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { createFeedProcessor, createInlineProcessor } from '../../src/worker/pool.js'
import type { ProcessJob } from '../../src/worker/process-feed.js'

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

  it('returns a feed error from a worker with its code', async () => {
    await expect(threaded.run({ ...job, text: '<html><body>not a feed</body></html>' })).rejects.toMatchObject({
      code: 'ERR_PARSE_INVALID_FEED',
    })
  })

  it('keeps many jobs in flight across workers', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => threaded.run(job)))
    expect(results.map((r) => r.articles.length)).toEqual(Array(12).fill(3))
  })

  it('refuses work once closed', async () => {
    const p = createFeedProcessor(1)
    await p.close()
    await expect(p.run(job)).rejects.toMatchObject({ code: 'ERR_INTERNAL' })
  })
})
