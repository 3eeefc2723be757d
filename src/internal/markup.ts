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

class FastTokenizer extends Tokenizer {}
Object.defineProperty(FastTokenizer.prototype, 'fastForwardTo', {
  value: fastForwardTo,
  writable: true,
  configurable: true,
})

/** htmlparser2's Parser, with the indexOf tokenizer unless the options name another one. */
export class Parser extends Htmlparser2Parser {
  constructor(cbs?: Partial<Handler> | null, options: ParserOptions = {}) {
    super(cbs, options.Tokenizer === undefined ? { ...options, Tokenizer: FastTokenizer } : options)
  }
}
