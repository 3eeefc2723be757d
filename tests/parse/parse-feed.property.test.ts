import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ParseError } from '../../src/errors.js'
import { type ParsedFeed, parseFeed } from '../../src/parse/index.js'
import { fixtureText } from '../helpers/parse-fixtures.js'

const validFeeds = [
  'rss-2.0.xml',
  'rss-1.0.rdf',
  'atom-1.0.xml',
  'atom-0.3.xml',
  'json-feed-1.1.json',
  'cdata.xml',
  'media-rss.xml',
].map(fixtureText)

function assertSane(feed: ParsedFeed): void {
  const dates = [feed.updated, ...feed.items.flatMap((i) => [i.published, i.updated])]
  for (const date of dates) {
    if (date !== undefined) {
      expect(date).toBeInstanceOf(Date)
      expect(Number.isNaN(date.getTime())).toBe(false)
    }
  }
  for (const item of feed.items) {
    expect(Array.isArray(item.categories) && Array.isArray(item.enclosures) && Array.isArray(item.media)).toBe(true)
    for (const e of item.enclosures) if (e.length !== undefined) expect(Number.isInteger(e.length)).toBe(true)
  }
}

/** parseFeed either returns a sane feed or rejects with a ParseError — nothing else. */
async function check(input: string | Uint8Array): Promise<void> {
  let feed: ParsedFeed
  try {
    feed = await parseFeed(input, { url: 'https://baothaibinh.com.vn/rss/kinh-te.rss' })
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError)
    expect(['ERR_PARSE_INVALID_FEED', 'ERR_PARSE_UNKNOWN_FORMAT', 'ERR_PARSE_TOO_LARGE']).toContain(
      (error as ParseError).code,
    )
    return
  }
  assertSane(feed)
}

describe('parseFeed properties', () => {
  it('never throws anything but a ParseError on arbitrary strings', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), check), { numRuns: 300 })
  })

  it('never throws anything but a ParseError on arbitrary markup-ish strings', async () => {
    const token = fc.constantFrom(
      '<rss>',
      '<rss version="2.0">',
      '<channel>',
      '<item>',
      '</item>',
      '<entry>',
      '<feed xmlns="http://www.w3.org/2005/Atom">',
      '<title>',
      '</title>',
      '<link href="x"/>',
      '<pubDate>',
      'Fri, 10 Mar 2017 08:15:00 +0700',
      '2017-02-30T08:00:00Z',
      '<![CDATA[',
      ']]>',
      '&amp;',
      '&nbsp;',
      '&',
      '<',
      '>',
      'Hà Nội',
      '{"version":"https://jsonfeed.org/version/1.1","items":[',
      '{"date_published":',
      '"x"',
      '}',
      ']',
      '\u0000',
      '<enclosure url="" length="-1"/>',
      '<media:content url="a.jpg">',
      'xml:base="::"',
    )
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 40 }), (tokens) => check(tokens.join(''))),
      { numRuns: 300 },
    )
  })

  it('never throws anything but a ParseError on any truncation of a valid feed', async () => {
    for (const text of validFeeds) {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: text.length }), (n) => check(text.slice(0, n))),
        {
          numRuns: 80,
        },
      )
    }
  })

  it('keeps only complete items from a truncated feed, and says so', async () => {
    const text = fixtureText('rss-2.0.xml')
    const whole = await parseFeed(text)
    const firstEnd = text.indexOf('</item>') + '</item>'.length
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: firstEnd, max: text.lastIndexOf('</item>') - 1 }), async (n) => {
        const feed = await parseFeed(text.slice(0, n))
        expect(feed.items).toHaveLength(1)
        expect(feed.items[0]).toEqual(whole.items[0])
        expect(feed.warnings.map((w) => w.code)).toEqual(['ERR_PARSE_TRUNCATED'])
      }),
      { numRuns: 60 },
    )
  })

  it('never throws anything but a ParseError on arbitrary bytes and on corrupted feeds', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), check), { numRuns: 200 })
    const bytes = Buffer.from(validFeeds[0]!)
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }),
        async (edits) => {
          const copy = Buffer.from(bytes)
          for (const [at, value] of edits) copy[at] = value
          await check(copy)
        },
      ),
      { numRuns: 150 },
    )
  })
})
