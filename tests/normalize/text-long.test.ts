import { describe, expect, it } from 'vitest'
import { cleanText, foldText } from '../../src/normalize/text/index.js'

// cleanText's first pass reads strings of 32+ characters from a copy of their code units: the same answers as for
// short strings, wherever the character that needs work stands.
const CLEAN = 'Ủy ban nhân dân tỉnh Tây Ninh tổ chức hội nghị sơ kết công tác năm 2025, “đạt kết quả” – tốt.'

describe('cleanText on long strings', () => {
  it('returns clean text as it is', () => {
    expect(cleanText(CLEAN)).toBe(CLEAN)
    expect(cleanText(CLEAN.repeat(50))).toBe(CLEAN.repeat(50))
  })

  const cases: [string, string, string][] = [
    ['zero-width space', '\u200b', ''],
    ['soft hyphen', '\u00ad', ''],
    ['control character', '\u0007', ''],
    ['lone surrogate', '\ud800', ''],
    ['newline', '\n', ' '],
    ['tab', '\t', ' '],
    ['no-break space', '\u00a0', ' '],
    ['double space', '  ', ' '],
    ['entity', '&amp;', '&'],
    ['mojibake', 'Khuyáº¿n', 'Khuyến'],
  ]
  for (const [name, dirty, fixed] of cases) {
    it(`repairs a ${name} at the start, middle and end`, () => {
      const half = CLEAN.slice(0, 40)
      const rest = CLEAN.slice(40)
      expect(cleanText(`${half}${dirty}${rest}`)).toBe(cleanText(`${half}${fixed}${rest}`))
      expect(cleanText(`${half} x${dirty}x ${rest}`)).toBe(`${half} x${fixed}x ${rest}`.replace(/ {2,}/g, ' '))
      expect(cleanText(`${CLEAN} x${dirty}`)).toBe(`${CLEAN} x${fixed}`.trim())
    })
  }

  it('composes decomposed Vietnamese (NFC)', () => {
    const decomposed = CLEAN.normalize('NFD')
    expect(decomposed).not.toBe(CLEAN)
    expect(cleanText(decomposed)).toBe(CLEAN)
    expect(cleanText(`${CLEAN}${decomposed}`)).toBe(`${CLEAN}${CLEAN}`)
  })

  it('finds a leading or trailing space on long text', () => {
    expect(cleanText(` ${CLEAN}`)).toBe(CLEAN)
    expect(cleanText(`${CLEAN} `)).toBe(CLEAN)
  })

  it('reads Đ written as Ð in long Vietnamese text', () => {
    expect(cleanText(`Ðà Nẵng ${CLEAN}`)).toBe(`Đà Nẵng ${CLEAN}`)
  })

  it('gives long and short strings the same fold', () => {
    expect(foldText(CLEAN.repeat(3))).toBe(`${foldText(CLEAN)} `.repeat(3).trim())
  })
})
