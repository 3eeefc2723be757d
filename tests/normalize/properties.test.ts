import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  canonicalUrl,
  cleanText,
  foldText,
  normalizeFeed,
  parseDate,
  repairMojibake,
} from '../../src/normalize/index.js'
import { foldStartsWith, foldsEqual } from '../../src/normalize/text/index.js'
import type { ParsedFeed } from '../../src/parse/index.js'

/** Strings that look like what feeds carry: Vietnamese, entities, mojibake, markup, control and odd Unicode. */
const pieces = fc.constantFrom(
  'Hà Nội',
  'Hoà',
  'Thủy'.normalize('NFD'),
  'Khuyáº¿n',
  'Ð',
  '&amp;quot;',
  '&#7871;',
  '&',
  '<b>',
  '<p>',
  '</p>',
  '<img src="x" alt="Ảnh: Thu Thủy">',
  'Theo Baothaibinh.com.vn',
  'Ảnh: ',
  '\u00a0',
  '\u200b',
  '\u0000',
  '\ud800',
  '😀',
  ' ',
  '\n',
  '10/03/2017',
  '08:15',
  'GMT+7',
  'https://x.vn/a?utm_source=1#f',
  '//x.vn',
  '%zz',
)
const messy = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join('')),
)

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
const anyValue = fc.oneof(messy, fc.integer(), fc.constant(null), fc.constant(undefined), fc.boolean())
const oddDate = fc.oneof(
  fc.date(),
  fc.constant(new Date(Number.NaN)),
  fc.constant(new Date(8.64e15)),
  fc.constant(new Date(-8.64e15)),
)

const item = fc.record(
  {
    id: maybe(messy),
    title: maybe(messy),
    link: maybe(fc.oneof(messy, fc.webUrl({ withFragments: true, withQueryParameters: true }))),
    published: maybe(oddDate),
    updated: maybe(oddDate),
    author: maybe(messy),
    summary: maybe(messy),
    contentHtml: maybe(messy),
    categories: fc.array(messy, { maxLength: 4 }),
    enclosures: fc.array(
      fc.record({ url: messy, type: maybe(messy), length: maybe(fc.oneof(fc.integer(), fc.double())) }),
      { maxLength: 3 },
    ),
    source: maybe(fc.record({ title: maybe(messy), url: maybe(messy) }, { requiredKeys: [] })),
    media: fc.array(fc.record({ url: messy, credit: maybe(messy), title: maybe(messy) }, { requiredKeys: ['url'] }), {
      maxLength: 2,
    }),
    raw: fc.record({ published: maybe(messy), updated: maybe(messy) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
)

const feed = fc.record(
  {
    format: fc.constantFrom('rss', 'atom', 'rdf', 'json'),
    title: maybe(messy),
    link: maybe(messy),
    language: maybe(messy),
    items: fc.array(fc.oneof({ weight: 9, arbitrary: item }, { weight: 1, arbitrary: anyValue }), { maxLength: 6 }),
    warnings: fc.constant([]),
  },
  { requiredKeys: ['items'] },
)

describe('properties', () => {
  it('normalizeFeed never throws on arbitrary ParsedFeed-shaped input and accounts for every item', () => {
    fc.assert(
      fc.property(feed, messy, maybe(fc.constantFrom('Asia/Ho_Chi_Minh', 'UTC', 'Nowhere/City', '')), (f, id, tz) => {
        const input = f as unknown as ParsedFeed
        const result = normalizeFeed(input, {
          source: { id: id || 's', url: 'https://x.vn/rss', ...(tz === undefined ? {} : { timeZone: tz }) },
          now: () => new Date('2026-01-01T00:00:00Z'),
        })
        expect(result.articles.length + result.skipped.length).toBe(input.items.length)
        for (const article of result.articles) {
          expect(Number.isNaN(article.published.getTime())).toBe(false)
          expect(article.title).not.toBe('')
          expect(article.url).toMatch(/^https?:\/\//)
          expect(article.title).toBe(article.title.normalize('NFC'))
        }
      }),
      { numRuns: 300 },
    )
  })

  it('normalizeFeed never throws on garbage that is not even feed-shaped', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = normalizeFeed(value as ParsedFeed, { source: { id: 's', url: 'x' } })
        expect(Array.isArray(result.articles)).toBe(true)
      }),
      { numRuns: 200 },
    )
  })

  it('foldText is idempotent', () => {
    fc.assert(
      fc.property(messy, (value) => {
        const once = foldText(value)
        expect(foldText(once)).toBe(once)
      }),
      { numRuns: 2000 },
    )
  })

  it('foldText ignores tone-mark placement, case and Unicode form', () => {
    const word = fc.constantFrom('hoà', 'hòa', 'HOÀ', 'HÒA', 'thuỷ', 'thủy', 'Thuỷ'.normalize('NFD'), 'THỦY')
    fc.assert(
      fc.property(word, (value) => {
        expect(['hoa', 'thuy']).toContain(foldText(value))
      }),
    )
  })

  it('foldsEqual(a, b) is foldText(a) === foldText(b) for a non-empty fold', () => {
    const variant = (value: string) =>
      fc.constantFrom(
        value,
        value.toUpperCase(),
        value.normalize('NFD'),
        `${value}!`,
        ` ${value}`,
        value.replace(/ /g, ' - '),
        value.slice(1),
        value.replace(/ò/g, 'o\u0300'),
        `${value}ﷺ`,
      )
    const pair = fc.oneof(
      fc.tuple(messy, messy),
      messy.chain((value) => fc.tuple(fc.constant(value), variant(value))),
      fc.constantFrom(['Hòa Bình', 'HOÀ BÌNH'], ['thuỷ', 'Thủy!'], ['', ' '], ['ﷺ', 'ﷺ'], ['a b', 'ab'], ['a', 'a ']),
    )
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const expected = foldText(a) !== '' && foldText(a) === foldText(b)
        expect(foldsEqual(a, b)).toBe(expected)
        expect(foldsEqual(b, a)).toBe(expected)
      }),
      { numRuns: 3000 },
    )
  })

  it('foldStartsWith(text, prefix) is foldText(text).startsWith(foldText(prefix))', () => {
    const prefixed = fc
      .tuple(messy, messy, fc.constantFrom('', ' - Ảnh 1', ' ảnh', '!', 'x', ' ﷺ'))
      .chain(([a, b, tail]) =>
        fc.constantFrom(
          [a, b],
          [`${a}${tail}`, a],
          [`${a.toUpperCase()}${tail}`, a],
          [a.normalize('NFD'), a],
          [a, `${a}${tail}`],
        ),
      )
    fc.assert(
      fc.property(prefixed, ([text, prefix]) => {
        expect(foldStartsWith(text, prefix)).toBe(foldText(text).startsWith(foldText(prefix)))
      }),
      { numRuns: 3000 },
    )
  })

  it('cleanText is idempotent', () => {
    fc.assert(
      fc.property(messy, (value) => {
        const once = cleanText(value)
        expect(cleanText(once)).toBe(once)
      }),
      { numRuns: 2000 },
    )
  })

  it('cleanText of text with no other fault than its Unicode form is its NFC form', () => {
    const char = fc.oneof(
      fc.constantFrom('a', 'O', 'u', ' ', 'ă', 'ơ', 'Ư', 'ế', 'ộ', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323'),
      fc.constantFrom('\u0302', '\u0306', '\u031b', '\u1100', '\u1161', '\u11a8', '\uac00', '\u212b', 'Å', 'ǻ'),
      fc.integer({ min: 0x300, max: 0x2fff }).map((code) => String.fromCharCode(code)),
    )
    const text = fc
      .array(char, { maxLength: 30 })
      .map((chars) => chars.join('').replace(/ {2,}/g, ' ').trim())
      .filter(
        (value) =>
          !/[\u0000-\u001f&\u007f-\u00a0\u00ad\u00d0\u00f0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f\u2060\u3000]/.test(
            value,
          ),
      )
    fc.assert(
      fc.property(text, (value) => {
        const clean = cleanText(value)
        if (repairMojibake(value) === value) expect(clean).toBe(value.normalize('NFC'))
        expect(clean).toBe(clean.normalize('NFC'))
      }),
      { numRuns: 3000 },
    )
  })

  it('cleanText output is NFC, trimmed, single-spaced, without invisible or control characters', () => {
    fc.assert(
      fc.property(messy, (value) => {
        const clean = cleanText(value)
        expect(clean).toBe(clean.normalize('NFC'))
        expect(clean).toBe(clean.trim())
        expect(clean).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u00a0\u00ad\u200b-\u200d\u2060\ufeff]|\s{2}/)
        expect(clean).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
      }),
      { numRuns: 2000 },
    )
  })

  it('canonicalUrl is idempotent', () => {
    const url = fc.oneof(
      fc.webUrl({ withFragments: true, withQueryParameters: true, validSchemes: ['http', 'https'] }),
      fc
        .tuple(
          fc.webUrl({ validSchemes: ['http', 'https'] }),
          fc.array(fc.tuple(fc.constantFrom('utm_source', 'fbclid', 'id', 'p', 'zarsrc', 'a%5Fb', 'Q'), messy), {
            maxLength: 4,
          }),
          messy,
        )
        .map(([base, params, hash]) => `${base}?${params.map(([k, v]) => `${k}=${v}`).join('&')}#${hash}`),
      messy,
    )
    fc.assert(
      fc.property(url, maybe(fc.webUrl()), (value, base) => {
        const once = canonicalUrl(value, base)
        if (once === undefined) return
        expect(canonicalUrl(once)).toBe(once)
      }),
      { numRuns: 2000 },
    )
  })

  it('parseDate returns a valid Date or undefined, never throws on any string', () => {
    fc.assert(
      fc.property(messy, (value) => {
        const date = parseDate(value)
        if (date !== undefined) expect(Number.isNaN(date.getTime())).toBe(false)
      }),
      { numRuns: 2000 },
    )
  })

  it('parseDate reads every valid day-first date back to the same calendar day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1995-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        (d) => {
          const day = d.getUTCDate()
          const month = d.getUTCMonth() + 1
          const year = d.getUTCFullYear()
          const date = parseDate(`${day}/${month}/${year}`, { timeZone: 'UTC' })
          expect(date?.toISOString().slice(0, 10)).toBe(d.toISOString().slice(0, 10))
        },
      ),
    )
  })
})
