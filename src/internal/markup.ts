/**
 * The one file that imports the markup libraries shared by parse/ (XML feeds) and normalize/ (HTML bodies):
 * htmlparser2's tokenizer and the `entities` decoder. Swap them here.
 */
import { type Handler, Parser as Htmlparser2Parser, type ParserOptions, Tokenizer } from 'htmlparser2'

export { DecodingMode, decodeHTML, decodeHTMLAttribute } from 'entities'

/** The tokenizer fields fastForwardTo reads and moves (private in htmlparser2's typings). */
interface TokenizerCursor {
  buffer: string
  index: number
  offset: number
}

const CHARS: string[] = []

function charOf(c: number): string {
  let char = CHARS[c]
  if (char === undefined) {
    char = String.fromCharCode(c)
    CHARS[c] = char
  }
  return char
}

/**
 * htmlparser2's `fastForwardTo`, with `indexOf` instead of a per-character loop: with `decodeEntities: false` the
 * tokenizer spends most of its time here, skipping text to the next `<`, attribute values to their closing quote,
 * comments and CDATA to their first end character. Same contract: true with `index` on the next `c` after the
 * current index; else false with `index` on the last character of the buffer.
 */
function fastForwardTo(this: TokenizerCursor, c: number): boolean {
  const offset = this.offset
  const buffer = this.buffer
  const found = buffer.indexOf(charOf(c), this.index + 1 - offset)
  if (found !== -1) {
    this.index = found + offset
    return true
  }
  this.index = buffer.length + offset - 1
  return false
}

/** Tag-section ends: htmlparser2's `isWhitespace` (space, LF, tab, FF, CR), `/` and `>`; `=` too for attribute
 * names. */
const END_OF_NAME = new Uint8Array(128)
for (const c of [0x20, 0x0a, 0x09, 0x0c, 0x0d, 0x2f, 0x3e]) END_OF_NAME[c] = 1
const END_OF_ATTRIBUTE_NAME = END_OF_NAME.slice()
END_OF_ATTRIBUTE_NAME[0x3d] = 1
const END_OF_CLOSING_NAME = END_OF_NAME.slice()
END_OF_CLOSING_NAME[0x2f] = 0

type StateHandler = (this: TokenizerCursor, c: number) => void

/**
 * A name state (tag name, attribute name, closing tag name) does nothing for a character that does not end the
 * name: skip those in one loop, to the last one, and let the tokenizer's main loop hand the ending character to
 * htmlparser2's own handler as before.
 */
function skippingName(original: StateHandler, ends: Uint8Array): StateHandler {
  return function (this: TokenizerCursor, c: number): void {
    if (c < 128 && ends[c] === 1) {
      original.call(this, c)
      return
    }
    const buffer = this.buffer
    const offset = this.offset
    let i = this.index + 1 - offset
    for (; i < buffer.length; i++) {
      const next = buffer.charCodeAt(i)
      if (next < 128 && ends[next] === 1) break
    }
    this.index = i - 1 + offset
  }
}

class FastTokenizer extends Tokenizer {}
/** The private tokenizer methods replaced above: if a later htmlparser2 lacks one, its own tokenizer is used. */
const HOOKED = ['fastForwardTo', 'stateInTagName', 'stateInAttributeName', 'stateInClosingTagName'] as const

/** Puts the indexOf methods on FastTokenizer; false when htmlparser2 lacks one of the methods they replace. */
function installHooks(): boolean {
  const hookable = HOOKED.every(
    (name) => typeof (Tokenizer.prototype as unknown as Record<string, unknown>)[name] === 'function',
  )
  if (!hookable) return false
  const prototype = FastTokenizer.prototype as unknown as Record<string, StateHandler>
  const define = (name: string, value: StateHandler) =>
    Object.defineProperty(prototype, name, { value, writable: true, configurable: true })
  define('fastForwardTo', fastForwardTo as unknown as StateHandler)
  define('stateInTagName', skippingName(prototype.stateInTagName as StateHandler, END_OF_NAME))
  define('stateInAttributeName', skippingName(prototype.stateInAttributeName as StateHandler, END_OF_ATTRIBUTE_NAME))
  define('stateInClosingTagName', skippingName(prototype.stateInClosingTagName as StateHandler, END_OF_CLOSING_NAME))
  return true
}

/** Every event htmlparser2 reports for `input`, as text, with the given tokenizer. */
function events(input: string, xmlMode: boolean, tokenizer: typeof Tokenizer): string {
  const out: string[] = []
  const parser = new Htmlparser2Parser(
    {
      onopentag: (name, attributes) => out.push(`<${name}${JSON.stringify(attributes)}`),
      onclosetag: (name, implied) => out.push(`/${name}${implied}`),
      ontext: (text) => out.push(`"${text}`),
      oncomment: (text) => out.push(`!${text}`),
      oncdatastart: () => out.push('[['),
      onprocessinginstruction: (name, data) => out.push(`?${name}${data}`),
    },
    { xmlMode, decodeEntities: false, Tokenizer: tokenizer },
  )
  parser.end(input)
  return out.join('\n')
}

const SELF_CHECK =
  '<?xml version="1.0"?><rss version="2.0"><channel><title a=\'1\' b="x y" c=z d>T &amp; <b>x</b></title>' +
  '<item><description><![CDATA[<p class="a">x</p>]]></description><!-- c --><br/></item></channel></rss>' +
  '<p data-src=a.jpg>text<img src="x.png" alt="&quot;"><a href=\'/y\'>y</a></p></ unclosed'

/** The self-check's verdict: undefined until the first Parser is made (importing this module parses nothing). */
let checked: boolean | undefined

/**
 * Whether the indexOf tokenizer is in use: it relies on htmlparser2's private methods, so on first use it must give
 * the same events as htmlparser2's own tokenizer on a sample in both modes, or htmlparser2's own is used instead.
 */
export function fastTokenizer(): boolean {
  checked ??=
    installHooks() &&
    events(SELF_CHECK, true, FastTokenizer) === events(SELF_CHECK, true, Tokenizer) &&
    events(SELF_CHECK, false, FastTokenizer) === events(SELF_CHECK, false, Tokenizer)
  return checked
}

/** 'unchecked' until the first Parser (or fastTokenizer()) runs the self-check; then its outcome. */
export function tokenizerCheck(): 'unchecked' | 'fast' | 'fallback' {
  return checked === undefined ? 'unchecked' : checked ? 'fast' : 'fallback'
}

/** htmlparser2's Parser, with the indexOf tokenizer (when it passed its check) unless the options name another. */
export class Parser extends Htmlparser2Parser {
  constructor(cbs?: Partial<Handler> | null, options: ParserOptions = {}) {
    super(cbs, options.Tokenizer === undefined && fastTokenizer() ? { ...options, Tokenizer: FastTokenizer } : options)
  }
}
