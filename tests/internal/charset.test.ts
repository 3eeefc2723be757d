/** Charset decoding (src/internal/charset.ts): Vietnamese font encodings, and decoding in pieces. */

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decodeBytes, decodeBytesInChunks } from '../../src/internal/charset.js'
import { parseFeed } from '../../src/parse/index.js'

/*
 * Encoders written here from the published tables (TCVN 5712:1993 VN3; VNI Windows), independently of the
 * decoders' own tables, so a round trip checks the decoder against the standard, not against itself.
 */

/** TCVN3 (VN3): the byte of every lower-case letter, in the standard's order, and its seven capitals. */
const TCVN3_LETTERS: [string, number][] = [
  ['Ă', 0xa1],
  ['Â', 0xa2],
  ['Ê', 0xa3],
  ['Ô', 0xa4],
  ['Ơ', 0xa5],
  ['Ư', 0xa6],
  ['Đ', 0xa7],
  ['ă', 0xa8],
  ['â', 0xa9],
  ['ê', 0xaa],
  ['ô', 0xab],
  ['ơ', 0xac],
  ['ư', 0xad],
  ['đ', 0xae],
  ['à', 0xb5],
  ['ả', 0xb6],
  ['ã', 0xb7],
  ['á', 0xb8],
  ['ạ', 0xb9],
  ['ằ', 0xbb],
  ['ẳ', 0xbc],
  ['ẵ', 0xbd],
  ['ắ', 0xbe],
  ['ặ', 0xc6],
  ['ầ', 0xc7],
  ['ẩ', 0xc8],
  ['ẫ', 0xc9],
  ['ấ', 0xca],
  ['ậ', 0xcb],
  ['è', 0xcc],
  ['ẻ', 0xce],
  ['ẽ', 0xcf],
  ['é', 0xd0],
  ['ẹ', 0xd1],
  ['ề', 0xd2],
  ['ể', 0xd3],
  ['ễ', 0xd4],
  ['ế', 0xd5],
  ['ệ', 0xd6],
  ['ì', 0xd7],
  ['ỉ', 0xd8],
  ['ĩ', 0xdc],
  ['í', 0xdd],
  ['ị', 0xde],
  ['ò', 0xdf],
  ['ỏ', 0xe1],
  ['õ', 0xe2],
  ['ó', 0xe3],
  ['ọ', 0xe4],
  ['ồ', 0xe5],
  ['ổ', 0xe6],
  ['ỗ', 0xe7],
  ['ố', 0xe8],
  ['ộ', 0xe9],
  ['ờ', 0xea],
  ['ở', 0xeb],
  ['ỡ', 0xec],
  ['ớ', 0xed],
  ['ợ', 0xee],
  ['ù', 0xef],
  ['ủ', 0xf1],
  ['ũ', 0xf2],
  ['ú', 0xf3],
  ['ụ', 0xf4],
  ['ừ', 0xf5],
  ['ử', 0xf6],
  ['ữ', 0xf7],
  ['ứ', 0xf8],
  ['ự', 0xf9],
  ['ỳ', 0xfa],
  ['ỷ', 0xfb],
  ['ỹ', 0xfc],
  ['ý', 0xfd],
  ['ỵ', 0xfe],
]
const TCVN3_BYTE = new Map(TCVN3_LETTERS)

/** TCVN3 bytes of a text; a capital with no byte of its own is its lower-case byte (written in the capitals font). */
function tcvn3(text: string): number[] {
  const out: number[] = []
  for (const char of text.normalize('NFC')) {
    const byte = TCVN3_BYTE.get(char) ?? TCVN3_BYTE.get(char.toLowerCase())
    if (byte !== undefined) out.push(byte)
    else if (char === '“') out.push(0x93)
    else if (char === '”') out.push(0x94)
    else if (char.charCodeAt(0) < 0x80) out.push(char.charCodeAt(0))
    else throw new Error(`no TCVN3 byte for ${char}`)
  }
  return out
}

/** VNI Windows: lower-case bytes (capitals are 0x20 less). Tones alone; tones on a circumflex; tones on a breve. */
const VNI_TONE: Record<string, number> = {
  '\u0301': 0xf9,
  '\u0300': 0xf8,
  '\u0309': 0xfb,
  '\u0303': 0xf5,
  '\u0323': 0xef,
}
const VNI_CIRCUMFLEX: Record<string, number> = {
  '': 0xe2,
  '\u0301': 0xe1,
  '\u0300': 0xe0,
  '\u0309': 0xe5,
  '\u0303': 0xe3,
  '\u0323': 0xe4,
}
const VNI_BREVE: Record<string, number> = {
  '': 0xea,
  '\u0301': 0xe9,
  '\u0300': 0xe8,
  '\u0309': 0xfa,
  '\u0303': 0xfc,
  '\u0323': 0xeb,
}
/** The narrow letters VNI writes in one byte. */
const VNI_SINGLE: Record<string, number> = { í: 0xed, ì: 0xec, ỉ: 0xe6, ĩ: 0xf3, ị: 0xf2, ỵ: 0xee, đ: 0xf1 }

function vni(text: string): number[] {
  const out: number[] = []
  for (const char of text.normalize('NFC')) {
    const lower = char.toLowerCase()
    const shift = lower === char ? 0 : 0x20
    if (VNI_SINGLE[lower] !== undefined) {
      out.push(VNI_SINGLE[lower] - shift)
      continue
    }
    const [base = '', ...marks] = lower.normalize('NFD')
    if (base.charCodeAt(0) >= 0x80) throw new Error(`no VNI bytes for ${char}`)
    const tone = marks.find((m) => m in VNI_TONE) ?? ''
    const push = (byte: number) => out.push(byte - shift)
    if (marks.includes('\u031b')) {
      // horn: ơ and ư are letters of their own, the tone follows
      push(base === 'o' ? 0xf4 : 0xf6)
      if (tone) push(VNI_TONE[tone]!)
    } else {
      out.push(char.toLowerCase() === char ? base.charCodeAt(0) : base.toUpperCase().charCodeAt(0))
      if (marks.includes('\u0302')) push(VNI_CIRCUMFLEX[tone]!)
      else if (marks.includes('\u0306')) push(VNI_BREVE[tone]!)
      else if (tone) push(VNI_TONE[tone]!)
    }
  }
  return out
}

const utf8 = (text: string) => [...new TextEncoder().encode(text)]
const inside = (text: string) => /<t>([\s\S]*)<\/t>/.exec(text)?.[1]
const declared = (label: string, body: number[]) =>
  Uint8Array.from([...utf8(`<?xml version="1.0" encoding="${label}"?><t>`), ...body, ...utf8('</t>')])

/** Every Vietnamese letter: 12 vowels × 6 tones, and đ. */
const VOWELS = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y']
const TONES = ['', '\u0301', '\u0300', '\u0309', '\u0303', '\u0323']
const ALPHABET = `${VOWELS.flatMap((v) => TONES.map((t) => `${v}${t}`.normalize('NFC'))).join('')}đ`
const PHRASES = ['Báo Thái Bình', 'Nguyễn Thị Thu Thủy', 'tổng hợp tin tức', 'Đắk Lắk, Quảng Ngãi, Hưng Yên']

describe('TCVN3 (ABC)', () => {
  it('matches the standard on a word written out byte by byte', () => {
    // N g u y ễ n: ễ is 0xd4 in TCVN 5712 VN3
    expect(inside(decodeBytes(declared('TCVN3', [0x4e, 0x67, 0x75, 0x79, 0xd4, 0x6e])).text)).toBe('Nguyễn')
  })

  it('reads every lower-case letter and the phrases of a Vietnamese feed', () => {
    for (const text of [ALPHABET, ...PHRASES]) {
      const decoded = decodeBytes(declared('TCVN3', tcvn3(text)))
      expect(decoded.charset).toBe('tcvn3')
      expect(inside(decoded.text)).toBe(text)
    }
  })

  it('reads capitals written in the capitals font as capitals, and leaves a name alone', () => {
    const text = 'THÁI BÌNH ĐẮK LẮK, Bá Kiến'
    expect(inside(decodeBytes(declared('tcvn3', tcvn3(text))).text)).toBe(text)
  })

  it("keeps Windows-1252's punctuation at 0x80–0x9F (not VN1's capitals)", () => {
    expect(inside(decodeBytes(declared('TCVN3', tcvn3('“Tổng hợp”'))).text)).toBe('“Tổng hợp”')
  })

  for (const label of ['TCVN3', 'tcvn-3', 'TCVN5712-3', 'ABC', 'x-viet-tcvn3']) {
    it(`is selected by the label ${label}`, () => {
      expect(decodeBytes(declared(label, tcvn3('hợp'))).charset).toBe('tcvn3')
    })
  }

  it('leaves `tcvn` to TCVN 5712 VN1', () => {
    // 0x80 is À in VN1; a TCVN3 document would mean the Windows-1252 €
    expect(inside(decodeBytes(declared('tcvn', [0x80])).text)).toBe('À')
    expect(inside(decodeBytes(declared('tcvn3', [0x80])).text)).toBe('€')
  })
})

describe('VNI Windows', () => {
  it('matches the standard on a word written out byte by byte', () => {
    // N g u y e ã n: e + 0xe3 (circumflex and tilde) is ễ
    expect(inside(decodeBytes(declared('VNI', [0x4e, 0x67, 0x75, 0x79, 0x65, 0xe3, 0x6e])).text)).toBe('Nguyễn')
  })

  it('reads every letter, lower case and capital, composed to NFC', () => {
    for (const text of [ALPHABET, ALPHABET.toUpperCase(), ...PHRASES, 'TỔNG HỢP']) {
      const decoded = decodeBytes(declared('VNI', vni(text)))
      expect(decoded.charset).toBe('vni')
      expect(inside(decoded.text)).toBe(text)
    }
  })

  for (const label of ['VNI', 'vni-win', 'VNI-Windows', 'x-vni', 'x-viet-vni']) {
    it(`is selected by the label ${label}`, () => {
      expect(decodeBytes(declared(label, vni('hợp'))).charset).toBe('vni')
    })
  }

  it('is not windows-1258, which stays WHATWG’s code page', () => {
    const decoded = decodeBytes(declared('windows-1258', vni('Báo')))
    expect(decoded.charset).toBe('windows-1258')
    expect(inside(decoded.text)).toBe('Baùo')
  })
})

describe('parseFeed `charset`: a source that serves a font encoding under a latin-1 label', () => {
  const rss = (title: number[]) =>
    Uint8Array.from([
      ...utf8('<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>'),
      ...title,
      ...utf8('</title><item><title>x</title></item></channel></rss>'),
    ])

  it('reads the document in the charset given, over the declaration and the Content-Type', async () => {
    const contentType = 'application/rss+xml; charset=iso-8859-1'
    expect((await parseFeed(rss(vni('Báo Thái Bình')), { contentType, charset: 'vni' })).title).toBe('Báo Thái Bình')
    expect((await parseFeed(rss(tcvn3('Báo Thái Bình')), { contentType, charset: 'tcvn3' })).title).toBe(
      'Báo Thái Bình',
    )
    // without it, the declaration decides: latin-1 letters
    expect((await parseFeed(rss(vni('Báo')), { contentType })).title).toBe('Baùo')
  })

  it('ignores an unknown label and a BOM still wins', async () => {
    expect((await parseFeed(rss(vni('Báo')), { charset: 'no-such-charset' })).title).toBe('Baùo')
    const bom = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('<rss><channel><title>Báo</title></channel></rss>')])
    expect((await parseFeed(bom, { charset: 'vni' })).title).toBe('Báo')
  })
})

const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/parse')

const files = readdirSync(fixtures).filter((f) => /\.(xml|rdf|cdf|html|json)$/.test(f))

describe('decodeBytesInChunks', () => {
  it('gives the text and charset of decodeBytes, in pieces, for every fixture and any chunk size', () => {
    for (const file of files) {
      const bytes = readFileSync(join(fixtures, file))
      const whole = decodeBytes(bytes)
      for (const chunkBytes of [5, 64, 1000]) {
        const { chunks, charset } = decodeBytesInChunks(bytes, { chunkBytes })
        expect(charset, file).toBe(whole.charset)
        expect(chunks.join(''), file).toBe(whole.text)
      }
    }
  })

  it('cuts UTF-8 only: other charsets, and bytes that are not valid UTF-8, come in one piece', () => {
    const latin = Uint8Array.from([...Buffer.from('<?xml version="1.0" encoding="iso-8859-1"?><t>'), 0xe9, 0xe9, 0xe9])
    expect(decodeBytesInChunks(latin, { chunkBytes: 8 }).chunks).toHaveLength(1)
    const broken = Uint8Array.from([...Buffer.from('<t>Báo Thái Bình '.repeat(4)), 0xff])
    const decoded = decodeBytesInChunks(broken, { chunkBytes: 8 })
    expect(decoded).toEqual({ chunks: [decodeBytes(broken).text], charset: 'windows-1258' })
  })

  it('drops a UTF-8 BOM from the first piece', () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('<rss>Tổng hợp tin tức</rss>')])
    const { chunks } = decodeBytesInChunks(bytes, { chunkBytes: 6 })
    expect(chunks.join('')).toBe('<rss>Tổng hợp tin tức</rss>')
  })
})
