/** The XML tree (src/parse/xml.ts): text in pieces (ChunkedText) and the same tree from pieces as from the whole. */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decodeBytes, decodeBytesInChunks } from '../../src/internal/charset.js'
import { parseFeed } from '../../src/parse/index.js'
import { ChunkedText, parseXml, type XmlElement, type XmlNode } from '../../src/parse/xml.js'

const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/parse')

const files = readdirSync(fixtures).filter((f) => /\.(xml|rdf|cdf|html|json)$/.test(f))

/** The tree without parent links, to compare. */
function plainTree(node: XmlNode): unknown {
  if (typeof node === 'string') return node
  const { name, attrs, complete, hasElements, innerStart, innerEnd } = node
  return { name, attrs, complete, hasElements, innerStart, innerEnd, children: node.children.map(plainTree) }
}

const roots = (roots: XmlElement[]) => roots.map(plainTree)

describe('ChunkedText', () => {
  it('slices like the joined string, across any number of pieces', () => {
    const pieces = ['Báo ', 'Thái', '', ' Bình', ' — tổng ', 'hợp']
    const text = new ChunkedText(pieces)
    const joined = pieces.join('')
    expect(text.length).toBe(joined.length)
    for (let start = 0; start <= joined.length + 1; start++)
      for (let end = start; end <= joined.length + 2; end++)
        expect(text.slice(start, end)).toBe(joined.slice(start, end))
  })
})

describe('parseXml and parseFeed on pieces', () => {
  it('builds the same tree from pieces as from the whole text, for every XML fixture', () => {
    for (const file of files.filter((f) => !f.endsWith('.json'))) {
      const bytes = readFileSync(join(fixtures, file))
      const whole = parseXml(decodeBytes(bytes).text)
      for (const chunkBytes of [5, 97]) {
        const pieces = parseXml(decodeBytesInChunks(bytes, { chunkBytes }).chunks)
        expect(roots(pieces.roots), `${file} in ${chunkBytes}-byte pieces`).toEqual(roots(whole.roots))
        expect(pieces.truncated).toBe(whole.truncated)
        expect(pieces.doctype).toBe(whole.doctype)
      }
    }
  })

  it('reads a feed larger than one piece from bytes exactly as from its text', async () => {
    const item = (i: number) => `<item><title>Tin ${i}: Báo Thái Bình &amp; tổng hợp</title>
      <link>https://baothaibinh.example.vn/tin/${i}.html</link><guid>tin-${i}</guid>
      <pubDate>Fri, 10 Mar 2017 08:15:00 +0700</pubDate>
      <description><![CDATA[<p>Nguyễn Thị Thu Thủy đưa tin: ${'lễ hội đền Trần, '.repeat(30)}</p>]]></description>
      <content:encoded>&lt;p&gt;${'Đoạn văn tổng hợp về quê lúa. '.repeat(40)}&lt;/p&gt;</content:encoded></item>`
    const xml = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Báo Thái Bình</title><link>https://baothaibinh.example.vn/</link>${Array.from({ length: 60 }, (_, i) => item(i)).join('\n')}</channel></rss>`
    const bytes = new TextEncoder().encode(xml)
    expect(decodeBytesInChunks(bytes).chunks.length).toBeGreaterThan(3)
    const fromBytes = await parseFeed(bytes)
    expect(fromBytes.items).toHaveLength(60)
    expect(fromBytes).toEqual(await parseFeed(xml))
    // and a document cut inside a piece keeps the same complete items either way
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.7))
    expect(await parseFeed(cut)).toEqual(await parseFeed(decodeBytes(cut).text))
  })
})
