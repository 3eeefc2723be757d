import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { detach } from '../../src/internal/detach.js'
import { normalizeFeed } from '../../src/normalize/index.js'
import { findOutlet } from '../../src/normalize/outlets.js'
import { parseFeed } from '../../src/parse/index.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const heapMiB = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed / 2 ** 20
}

/** A distinct ~2 MiB string (two bytes per character: Vietnamese) with `needle` inside it. */
const big = (i: number, needle: string) => `${'Tin tức tỉnh Thái Bình hôm nay. '.repeat(32_000)}${needle} ${i}`

// Long-lived caches keyed by text from a feed must not keep the feed's whole document alive: V8 represents a
// substring as a view into its parent, and a 1,000-feed run's worker grew by 0.3 MiB per feed until its heap cap.
describe('caches keep no feed document alive', () => {
  it('detach() returns an equal string that does not hold its parent', () => {
    const kept: string[] = []
    const before = heapMiB()
    for (let i = 0; i < 30; i++) {
      const text = big(i, `Báo Nam Định số ${i}`)
      const slice = text.slice(text.length - 30)
      const copy = detach(slice)
      expect(copy).toBe(slice)
      kept.push(copy)
    }
    expect(heapMiB() - before).toBeLessThan(5)
    expect(kept.length).toBe(30)
  })

  it('findOutlet remembers names without the documents they were sliced from', () => {
    const before = heapMiB()
    for (let i = 0; i < 30; i++) {
      const text = big(i, `Báo Thái Bình miền ${i}`)
      findOutlet(text.slice(text.length - 25))
    }
    // 30 documents of ~2 MiB each: a cache holding slices would keep ~60 MiB
    expect(heapMiB() - before).toBeLessThan(10)
  })

  it('normalizing many feeds does not keep their documents', async () => {
    const feedXml = (i: number) => {
      // class, id and style values unique to the feed: the body's class / style memos see new keys in every feed
      const filler = `<div id="khung-noi-dung-${i}" class="noi-dung-bai-viet-${i}"><p style="text-align: justify; margin: ${i}px 0">${'Hội nghị triển khai nhiệm vụ phát triển kinh tế xã hội của tỉnh. '.repeat(400)}</p></div>`
      const items = Array.from(
        { length: 5 },
        (_, k) => `<item><title>Tin ${i}-${k}</title><link>https://a${i}.example.vn/${k}</link>
        <pubDate>Fri, 10 Mar 2017 08:15:00 +0700</pubDate>
        <description><![CDATA[${filler}<p>Nội dung chính của bài số ${k} với nhiều chi tiết khác nhau.</p><p>Theo Báo Tỉnh Mới Số ${i}${k}</p>]]></description></item>`,
      )
      return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Báo ${i}</title>
        <link>https://a${i}.example.vn/</link><language>vi-vn-x-tonghop-${i}</language>${items.join('')}</channel></rss>`
    }
    const run = async (i: number) => {
      const url = `https://a${i}.example.vn/rss`
      const feed = await parseFeed(feedXml(i), { url })
      normalizeFeed(feed, { source: { id: `a${i}`, url } })
    }
    await run(-1)
    const before = heapMiB()
    for (let i = 0; i < 40; i++) await run(i)
    // 40 documents of ~300 KiB (UTF-16: ~600 KiB each in memory): holding them would add ~24 MiB
    expect(heapMiB() - before).toBeLessThan(6)
  })
})
