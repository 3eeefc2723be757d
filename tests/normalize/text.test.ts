import { describe, expect, it } from 'vitest'
import { cleanText, decodeEntities, foldText, repairMojibake } from '../../src/normalize/index.js'

/** What a UTF-8 string looks like after a server or CMS decoded its bytes with `charset`. */
function garble(value: string, charset: string): string {
  return new TextDecoder(charset).decode(new TextEncoder().encode(value))
}

describe('decodeEntities', () => {
  it('decodes named, decimal and hex entities', () => {
    expect(decodeEntities('Hà N&#7897;i &ndash; &#x110;&agrave; N&#7861;ng &quot;x&quot;')).toBe('Hà Nội – Đà Nẵng "x"')
  })
  it('decodes double- and triple-escaped entities', () => {
    expect(decodeEntities('&amp;quot;Khuyến nông&amp;quot;')).toBe('"Khuyến nông"')
    expect(decodeEntities('&amp;amp;lt;b&amp;amp;gt;')).toBe('<b>')
  })
  it('leaves ampersands that are not complete entities', () => {
    expect(decodeEntities('R&D, AT&T, a&copy=1, & ;')).toBe('R&D, AT&T, a&copy=1, & ;')
  })
})

describe('repairMojibake', () => {
  it('repairs UTF-8 read as windows-1252', () => {
    expect(repairMojibake('Khuyáº¿n')).toBe('Khuyến')
    expect(repairMojibake(garble('Đồng chí Nguyễn Hoàng Giang chủ trì', 'windows-1252'))).toBe(
      'Đồng chí Nguyễn Hoàng Giang chủ trì',
    )
  })
  it('repairs UTF-8 read as windows-1258 and as latin-1', () => {
    const text = 'Thủy điện Hòa Bình “mùa lũ” – 45.150 tỷ đồng'
    expect(repairMojibake(garble(text, 'windows-1258')).normalize('NFC')).toBe(text)
    expect(repairMojibake(garble(text, 'latin1'))).toBe(text)
  })
  it('repairs text garbled twice', () => {
    expect(repairMojibake(garble(garble('Ủy ban nhân dân', 'windows-1252'), 'windows-1252'))).toBe('Ủy ban nhân dân')
  })
  it('repairs a garbled word inside correct text', () => {
    expect(repairMojibake('Hà Nội và Khuyáº¿n nông')).toBe('Hà Nội và Khuyến nông')
  })
  it('leaves correct Vietnamese and Latin-1 text alone (the repair must round-trip)', () => {
    for (const text of ['Hà Nội “Ông” Hà\u00a0“x”', 'Ông Â Ê Ô café naïve', 'Ã©', 'Đà Nẵng ©2017']) {
      expect(repairMojibake(text)).toBe(text === 'Ã©' ? 'é' : text)
    }
    expect(repairMojibake('Á¢')).toBe('Á¢')
  })
  it('reads Ð (U+00D0) as Đ in Vietnamese text and at the start of a word', () => {
    expect(repairMojibake('Ðồng Tháp, ðường')).toBe('Đồng Tháp, đường')
    expect(repairMojibake('ÐOÀN THANH NIÊN')).toBe('ĐOÀN THANH NIÊN')
    expect(repairMojibake('Ðà')).toBe('Đà')
  })
  it('keeps Ð inside a non-Vietnamese word', () => {
    expect(repairMojibake('Guðrún')).toBe('Guðrún')
  })
})

describe('cleanText', () => {
  it('composes to NFC', () => {
    const nfd = 'Thủy'.normalize('NFD')
    expect(cleanText(nfd)).toBe('Thủy'.normalize('NFC'))
    expect(cleanText(nfd)).toHaveLength(4)
  })
  it('composes text whose only fault is its Unicode form: marks, reordered marks, Hangul jamo', () => {
    expect(cleanText('Ho\u0300a Bi\u0300nh')).toBe('Hòa Bình')
    // a below-mark after an above-mark: NFC reorders and composes them
    expect(cleanText('a\u0301\u0323')).toBe('\u1ea1\u0301')
    expect(cleanText('\u1100\u1161\u11a8')).toBe('각')
    expect(cleanText('\uac00\u11a8')).toBe('각')
    expect(cleanText('\u212b ngstr\u00f6m')).toBe('\u00c5 ngstr\u00f6m')
  })
  it('returns clean text unchanged (ASCII, Latin-1 and precomposed Vietnamese)', () => {
    for (const value of ['Hà Nội', 'Thừa Thiên Huế: 45.150 tỷ đồng, tăng 10,12%', 'plain ASCII', 'Ǻ ǻ ȁ']) {
      expect(cleanText(value)).toBe(value)
    }
  })
  it('drops zero-width characters and soft hyphens', () => {
    expect(cleanText('Hà\u200bNội\u200c \ufeffĐà\u00adNẵng\u2060')).toBe('HàNội ĐàNẵng')
  })
  it('drops control characters and lone surrogates', () => {
    expect(cleanText('a\u0000b\u0007c\u009f\ud800d')).toBe('abcd')
  })
  it('turns NBSP and other spaces into a space and collapses whitespace', () => {
    expect(cleanText('  Hà\u00a0\u00a0Nội\t\n\r\n  Đà\u2009Nẵng\u3000 ')).toBe('Hà Nội Đà Nẵng')
  })
  it('decodes entities, also double-escaped, and keeps a literal tag as text', () => {
    expect(cleanText('&amp;lt;b&amp;gt;Tin&amp;nbsp;nóng')).toBe('<b>Tin nóng')
    expect(cleanText('<b>Tin</b> nóng')).toBe('<b>Tin</b> nóng')
  })
  it('repairs mojibake', () => {
    expect(cleanText('Khuyáº¿n nÃ´ng')).toBe('Khuyến nông')
  })
  it('finds a single fault anywhere in otherwise clean text (two spaces, a mojibake pair, a mark, a dirty character)', () => {
    const clean = 'Thừa Thiên Huế: 45.150 tỷ đồng, tăng 10,12% “so với” cùng kỳ'
    for (let i = 1; i < clean.length; i++) {
      const at = (insert: string) => clean.slice(0, i) + insert + clean.slice(i)
      expect(cleanText(at('  '))).toBe(cleanText(at(' ')))
      expect(cleanText(at('  '))).not.toContain('  ')
      expect(cleanText(at('\u200b'))).toBe(clean)
      expect(cleanText(at('\t'))).toBe(cleanText(at(' ')))
      expect(cleanText(at('Ã´'))).toBe(cleanText(at('ô')))
      expect(cleanText(at('e\u0302'))).toBe(cleanText(at('ê')))
    }
    // A lead and a continuation that do not follow each other are no pair.
    expect(cleanText('á x º')).toBe('á x º')
  })
  it('keeps the source spelling of tone marks', () => {
    expect(cleanText('Hoà Bình, thuỷ lợi')).toBe('Hoà Bình, thuỷ lợi')
  })
  it('is idempotent', () => {
    for (const text of ['&amp;amp;lt;', 'Khuyáº¿n', ' a \u00a0 b ', 'Ðà']) {
      expect(cleanText(cleanText(text))).toBe(cleanText(text))
    }
  })
})

describe('foldText', () => {
  it('folds old and new tone-mark placement to one form', () => {
    const pairs = [
      ['hoà', 'hòa'],
      ['thuỷ', 'thủy'],
      ['Khoẻ', 'Khỏe'],
      ['oà', 'òa'],
      ['uỳ', 'ùy'],
      ['Hoà Bình', 'Hòa Bình'],
    ]
    for (const [old, modern] of pairs) expect(foldText(old as string)).toBe(foldText(modern as string))
  })
  it('folds case, NFC/NFD and compatibility forms', () => {
    expect(foldText('ĐÀ NẴNG')).toBe('da nang')
    expect(foldText('Đà Nẵng'.normalize('NFD'))).toBe('da nang')
    expect(foldText('ＴＴＸＶＮ')).toBe('ttxvn')
  })
  it('folds punctuation to single spaces', () => {
    expect(foldText('“Khuyến nông” – 10,12%; (Theo TTXVN)...')).toBe('khuyen nong 10 12 theo ttxvn')
  })
  it('folds Ð, entities and mojibake like the clean text', () => {
    expect(foldText('Ðồng')).toBe('dong')
    expect(foldText('Khuyáº¿n &amp;amp; nông')).toBe('khuyen nong')
  })
  it('folds characters whose compatibility form is long (ﷺ, ㍻) without losing any', () => {
    const text = '\ufdfa '.repeat(50)
    const folded = foldText(text)
    expect(folded.split(' ')).toHaveLength(50 * 4)
    expect(foldText(folded)).toBe(folded)
  })
  it('is idempotent', () => {
    const text = 'Thứ Sáu, 10/03/2017 – Hoà Bình İstanbul ǅ ½'
    expect(foldText(foldText(text))).toBe(foldText(text))
  })
})

describe('cleanText: invisible characters inside entities and mojibake', () => {
  it('still decodes an entity split by a zero-width space, and stays idempotent', () => {
    const once = cleanText('Tom &am\u200bp; Jerry')
    expect(once).toBe('Tom & Jerry')
    expect(cleanText(once)).toBe(once)
  })
  it('still repairs mojibake split by a control character', () => {
    expect(cleanText('Khuy\u0001áº¿n')).toBe('Khuyến')
  })
})
