// The naive baseline of issue 8: rss-parser + feed, nothing else. Fetch every feed (8 at a time), parse, dedupe by
// link, sort newest first, render one RSS 2.0 with `feed`. Usage: node naive.mjs <manifest-url-list.json> <out> [limit]
import { readFileSync, writeFileSync } from 'node:fs'
import { Feed } from 'feed'
import Parser from 'rss-parser'

const [, , listFile, out, limitArg] = process.argv
const urls = JSON.parse(readFileSync(listFile, 'utf8'))
const limit = limitArg === undefined ? Infinity : Number(limitArg)
const parser = new Parser()
const items = []
let next = 0
let failed = 0
async function worker() {
  while (next < urls.length) {
    const url = urls[next++]
    try {
      const res = await fetch(url)
      const text = await res.text()
      const feed = await parser.parseString(text)
      for (const item of feed.items) items.push(item)
    } catch {
      failed++
    }
  }
}
await Promise.all(Array.from({ length: 8 }, worker))
const seen = new Set()
const unique = items.filter((i) => (i.link && !seen.has(i.link) ? seen.add(i.link) : false))
unique.sort((a, b) => new Date(b.isoDate ?? b.pubDate ?? 0) - new Date(a.isoDate ?? a.pubDate ?? 0))
const feed = new Feed({ title: 'naive', id: 'http://127.0.0.1/', link: 'http://127.0.0.1/', copyright: '' })
for (const i of unique.slice(0, limit)) {
  feed.addItem({
    title: i.title ?? '',
    id: i.guid ?? i.link,
    link: i.link,
    date: new Date(i.isoDate ?? i.pubDate ?? 0),
    description: i.contentSnippet,
    content: i['content:encoded'] ?? i.content,
  })
}
writeFileSync(out, feed.rss2())
console.error(JSON.stringify({ feeds: urls.length, failed, items: items.length, unique: unique.length }))
