import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { Parser as Htmlparser2Parser } from 'htmlparser2'
import { describe, expect, it } from 'vitest'
import { decodeBytes } from '../../src/internal/charset.js'
import { fastTokenizer, Parser } from '../../src/internal/markup.js'

type Options = ConstructorParameters<typeof Parser>[1]

/** Every tokenizer event with its positions, as a list to compare. */
function events(ParserClass: typeof Htmlparser2Parser, input: string, options: Options, chunk?: number): unknown[] {
  const out: unknown[] = []
  const parser: Htmlparser2Parser = new ParserClass(
    {
      onopentag: (name, attribs) => out.push(['open', name, attribs, parser.startIndex, parser.endIndex]),
      onclosetag: (name, implied) => out.push(['close', name, implied, parser.startIndex, parser.endIndex]),
      ontext: (text) => out.push(['text', text, parser.startIndex, parser.endIndex]),
      oncomment: (text) => out.push(['comment', text]),
      oncdatastart: () => out.push(['cdata']),
      onprocessinginstruction: (name, data) => out.push(['pi', name, data]),
    },
    options,
  )
  if (chunk === undefined) parser.write(input)
  else for (let i = 0; i < input.length; i += chunk) parser.write(input.slice(i, i + chunk))
  parser.end()
  return out
}

const HTML: Options = {
  decodeEntities: false,
  lowerCaseTags: true,
  lowerCaseAttributeNames: true,
  recognizeCDATA: false,
}
const XML: Options = { xmlMode: true, decodeEntities: false, recognizeCDATA: true, recognizeSelfClosing: true }

describe('internal/markup Parser (indexOf fast-forward, names skipped in one loop)', () => {
  const cases = [
    '',
    'plain text',
    '<p>a &amp; b</p><img src="x.jpg" alt=\'y\'>tail',
    '<a href="unterminated',
    "<a title='unterminated",
    'text <!-- comment -- still --> after',
    '<!-- unterminated comment',
    '<![CDATA[ a ]] b ]]> c',
    '<![CDATA[ unterminated',
    '</p  junk > x',
    '</p junk',
    '<script>if (a < b) x()</script>after',
    '<title>a &lt; b</title>',
    '<p>ends with <',
  ]
  for (const input of cases) {
    it(`gives htmlparser2's events for ${JSON.stringify(input)}`, () => {
      for (const options of [HTML, XML])
        expect(events(Parser, input, options)).toEqual(events(Htmlparser2Parser, input, options))
    })
  }

  it("gives htmlparser2's events for any mix of markup characters", () => {
    const piece = fc.constantFrom(
      '<',
      '>',
      '"',
      "'",
      '/',
      '!',
      '-',
      ']',
      '[',
      '=',
      ' ',
      'p',
      'a',
      'CDATA',
      '&amp;',
      'ệ',
      '\n',
      '\t',
      '\f',
      'script',
      'title',
      'IMG',
      'x:y',
      'src',
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const input = pieces.join('')
        for (const options of [HTML, XML])
          expect(events(Parser, input, options)).toEqual(events(Htmlparser2Parser, input, options))
      }),
      { numRuns: 2000 },
    )
  })
})

describe('the indexOf tokenizer self-check', () => {
  it('passes with the installed htmlparser2 (else Parser falls back to htmlparser2’s own tokenizer)', () => {
    expect(fastTokenizer()).toBe(true)
  })
})

const root = fileURLToPath(new URL('../..', import.meta.url))

function filesUnder(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...filesUnder(path))
    else if (/\.(xml|rss|atom|rdf|cdf|html?|json|opml|txt)$/i.test(entry.name)) out.push(path)
  }
  return out
}

describe('the patched tokenizer against htmlparser2’s own, on the whole fixture corpus', () => {
  const corpus = [...filesUnder(join(root, 'tests/fixtures')), ...filesUnder(join(root, 'examples'))]

  it('has a corpus to check', () => {
    expect(corpus.length).toBeGreaterThan(50)
  })

  for (const file of corpus) {
    it(`gives the same events for ${relative(root, file)} (XML and HTML mode, whole and in chunks)`, () => {
      const { text } = decodeBytes(readFileSync(file))
      for (const options of [XML, HTML]) {
        expect(events(Parser, text, options)).toEqual(events(Htmlparser2Parser, text, options))
        expect(events(Parser, text, options, 777)).toEqual(events(Htmlparser2Parser, text, options, 777))
      }
    })
  }
})

describe('htmlparser2 is pinned while the tokenizer patch exists', () => {
  it('package.json names the exact version that is installed', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    const wanted = manifest.dependencies.htmlparser2
    expect(wanted).toMatch(/^\d+\.\d+\.\d+$/)
    const installed = (
      JSON.parse(readFileSync(join(root, 'node_modules/htmlparser2/package.json'), 'utf8')) as { version: string }
    ).version
    expect(installed).toBe(wanted)
  })
})
