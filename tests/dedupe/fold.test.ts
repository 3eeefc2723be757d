import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fastFold, foldCodes, foldedCodes } from '../../src/dedupe/fold.js'
import { digest, digestCodes } from '../../src/dedupe/hash.js'
import { foldText } from '../../src/normalize/index.js'

const pieces = [
  ...'aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY0123456789',
  ...'àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ',
  ...'ÀÁẢÃẠÈÉẺẼẸÌÍỈĨỊÒÓỎÕỌÙÚỦŨỤỲÝỶỸỴ',
  ' ',
  '  ',
  '\n',
  ', ',
  '. ',
  '%',
  '/',
  '-',
  '(',
  ')',
  'hoà',
  'thuỷ',
  'Hòa',
  'khoẻ',
]

describe('fastFold', () => {
  it('equals foldText on clean Vietnamese text, NFC or NFD', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 80 }), fc.boolean(), (parts, nfd) => {
        // Clean text only, as in an Article: foldText first repairs what looks like mojibake (`Ù–`, or a tone mark
        // followed by typographic punctuation in NFD), fastFold does not; so such punctuation is not among the pieces.
        const text = nfd ? parts.join('').normalize('NFD') : parts.join('')
        expect(fastFold(text)).toBe(foldText(text))
      }),
      { numRuns: 300 },
    )
  })

  it('folds tone placement, case, Unicode form and punctuation to one form', () => {
    expect(fastFold('Hoà Bình – THUỶ lợi')).toBe(fastFold('hòa bình, thủy lợi'.normalize('NFD')))
    expect(fastFold('Đắk Lắk: 45.150 tỷ')).toBe('dak lak 45 150 ty')
  })

  it('folds bodies longer than its buffer, and characters that fold to several letters, like foldText', () => {
    const paragraph = 'Ủy ban nhân dân tỉnh Thái Bình họp phiên thường kỳ tháng 3/2025 – ǅ ǆ ß. '
    const long = paragraph.repeat(400)
    expect(long.length).toBeGreaterThan(20_000)
    expect(fastFold(long)).toBe(foldText(long))
    expect(fastFold('ǆ ǅ Ǆ ß')).toBe(foldText('ǆ ǅ Ǆ ß'))
  })

  it('hashes the folded code units as digest() hashes the folded string', () => {
    const text = 'Hòa Bình: 45.150 tỷ đồng cho thủy lợi'
    const n = foldCodes(text)
    expect(digestCodes(foldedCodes(), n)).toBe(digest(fastFold(text)))
  })
})
