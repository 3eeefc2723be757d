import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { renderFeed } from '../../src/publish/index.js'
import { makeArticle, makeStory } from './fixtures.js'
import { child, findAll, jsonFeedErrors, parseXml } from './validate.js'

// Strings full of what breaks feeds: markup, CDATA terminators, entities, controls, sentinels, lone surrogates.
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        ']]>',
        '<',
        '>',
        '&',
        '"',
        "'",
        '&amp;',
        '<script>',
        '\u0000',
        '\u001b',
        '\uE000',
        '\uE002',
        '\uD800',
        'ả',
        ' ',
        'x',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
)

const base = { title: 'T', link: 'https://t.example/', feedUrl: 'https://t.example/f' }

describe('any text, every format', () => {
  it('RSS and Atom stay well-formed and give every value back; JSON stays schema-valid; HTML makes no tags', () => {
    fc.assert(
      fc.property(nasty, nasty, nasty, nasty, nasty, (title, category, author, credit, feedTitle) => {
        const story = makeStory(
          makeArticle({
            title,
            categories: [category],
            author,
            credit: { text: credit, name: credit },
            contentHtml: `<p>${title}</p>`,
          }),
        )
        const opts = { ...base, title: `${feedTitle} & &amp; co`, description: feedTitle }
        const rss = parseXml(renderFeed([story], { ...opts, format: 'rss' }))
        const atom = parseXml(renderFeed([story], { ...opts, format: 'atom' }))
        const json = JSON.parse(renderFeed([story], { ...opts, format: 'json' }))
        const html = renderFeed([story], { ...opts, format: 'html' })
        expect(child(child(rss, 'channel')!, 'title')!.text).toBe(json.title)
        expect(child(atom, 'title')!.text).toBe(json.title)
        expect(json.title).toContain('& &amp; co')
        expect(jsonFeedErrors(json)).toEqual([])
        const rssTitle = child(findAll(rss, 'item')[0]!, 'title')!.text
        expect(rssTitle).toBe(json.items[0].title)
        // every plain-text value reads back the same in every format (no lost or doubled escaping)
        const item = findAll(rss, 'item')[0]!
        const entry = findAll(atom, 'entry')[0]!
        // An author only for a real byline; else none anywhere, and the outlet is the Atom source's author.
        const name: string | undefined = json.items[0].authors?.[0]?.name
        expect(child(item, 'dc:creator')?.text).toBe(name)
        expect(child(child(entry, 'author') ?? entry, 'name')?.text).toBe(name)
        if (name === undefined) {
          expect(child(child(child(entry, 'source')!, 'author')!, 'name')!.text).toBe(
            json.items[0]._tonghop.credit.name,
          )
        }
        expect(child(item, 'source')!.text).toBe(json.items[0]._tonghop.credit.name)
        expect(child(child(entry, 'source')!, 'title')!.text).toBe(json.items[0]._tonghop.credit.name)
        const tags = json.items[0].tags ?? []
        expect(item.children.filter((c) => c.name === 'category').map((c) => c.text)).toEqual(tags)
        expect(entry.children.filter((c) => c.name === 'category').map((c) => c.attributes.term)).toEqual(tags)
        expect(html.match(/<script/gi)).toBeNull()
        expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/)
      }),
      { numRuns: 300 },
    )
  })
})
