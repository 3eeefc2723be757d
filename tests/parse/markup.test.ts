import fc from 'fast-check'
import { Parser as Htmlparser2Parser } from 'htmlparser2'
import { describe, expect, it } from 'vitest'
import { fastTokenizer, Parser } from '../../src/internal/markup.js'

type Options = ConstructorParameters<typeof Parser>[1]

/** Every tokenizer event with its positions, as a list to compare. */
function events(ParserClass: typeof Htmlparser2Parser, input: string, options: Options): unknown[] {
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
  parser.write(input)
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
    expect(fastTokenizer).toBe(true)
  })
})
