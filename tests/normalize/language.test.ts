import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { guessLanguage, guessLanguageOf } from '../../src/normalize/language.js'

const VI = 'Thủ tướng chủ trì cuộc họp với các bộ ngành về phát triển kinh tế xã hội năm nay'
const EN = 'The minister said that the plan will be carried out by the ministry after the meeting with local officials'

describe('guessLanguage', () => {
  it('reads Vietnamese and English text', () => {
    expect(guessLanguage(VI)).toBe('vi')
    expect(guessLanguage(EN)).toBe('en')
    expect(guessLanguage('Hà Nội hôm nay')).toBeUndefined()
  })

  it('reads decomposed (NFD) text as its NFC form', () => {
    expect(guessLanguage(VI.normalize('NFD'))).toBe('vi')
    const mixed = `${EN} Nguyễn Văn An`.normalize('NFD')
    expect(guessLanguage(mixed)).toBe(guessLanguage(mixed.normalize('NFC')))
  })

  it('reads only the first 1,000 characters, a word cut at the end counted as the reference split does', () => {
    const filler = 'x '.repeat(497) // 994 characters
    for (const tail of ['the of and is', 'thehe of', 'chủ trì cuộc họp']) {
      const text = `${filler}${tail} ${EN}`
      const reference = text.normalize('NFC').slice(0, 1000)
      expect(guessLanguage(text)).toBe(guessLanguage(reference))
    }
    // A combining mark right after the cut composes with the last character of the sample.
    const cut = `${'a '.repeat(499)}e\u0302 ${VI}`
    expect(guessLanguage(cut)).toBe(guessLanguage(cut.normalize('NFC').slice(0, 1000)))
  })

  it('counts words with astral letters and apostrophes as words', () => {
    const text = `𝐀𝐁 ${EN} it’s don't`
    expect(guessLanguage(text)).toBe('en')
    expect(guessLanguage('𝐀 𝐁 𝐂 𝐃 𝐄 𝐅 the of')).toBe('en')
  })
})

describe('guessLanguage against its reference form (NFC, cut to 1,000, split on non-letters)', () => {
  it('property: the same verdict on any mix of words, marks, cases, apostrophes and separators', () => {
    const piece = fc.oneof(
      fc.constantFrom('the', 'The', 'THE', 'of', 'And', 'which', 'Which', 'whichx', 'thé', 'said', "it's", 'It’s'),
      fc.constantFrom('chủ', 'trì', 'cuộc', 'họp', 'Đà', 'Nẵng', 'tin', 'cho', 'la', 'e\u0302', '\u0301', 'K', 'İs'),
      fc.constantFrom(' ', '  ', ', ', '. ', '-', '1', '\u00a0', '𝐀', '\ud835', '\u212a', 'x'.repeat(990)),
      fc.string({ maxLength: 5 }),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = parts.join('')
        expect(guessLanguage(text)).toBe(guessLanguageOf(text.normalize('NFC').slice(0, 1000)))
      }),
      { numRuns: 3000 },
    )
  })
})
