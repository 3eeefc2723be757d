import { describe, expect, it } from 'vitest'

// Its own file, so that this module graph has made no Parser before the first assertion.
describe('internal/markup.ts: the tokenizer self-check runs on first use, not at import', () => {
  it('importing the library (and markup.ts) runs no check; the first Parser runs it once', async () => {
    await import('../../src/index.js')
    const markup = await import('../../src/internal/markup.js')
    expect(markup.tokenizerCheck()).toBe('unchecked')

    const texts: string[] = []
    const parser = new markup.Parser({ ontext: (text) => texts.push(text) })
    parser.end('<p>a</p>')
    expect(texts).toEqual(['a'])
    expect(markup.tokenizerCheck()).toBe('fast')
    expect(markup.fastTokenizer()).toBe(true)
  })
})
