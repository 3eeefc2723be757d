import { describe, expect, it } from 'vitest'
import { decodeBytes, parseContentTypeCharset } from '../../src/internal/charset.js'

const VI = 'Thái Bình: Lễ hội đền Trần năm 2026 – Ảnh: Thu Thủy'
const utf8 = (s: string) => new TextEncoder().encode(s)
/** windows-1258 encoder for tests: precomposed letters where the code page has them, else base + combining tone mark. */
const cp1258 = (s: string) => {
  const table = new Map<string, number>()
  const decoder = new TextDecoder('windows-1258')
  for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b)
  const out: number[] = []
  for (const ch of s.normalize('NFC')) {
    const direct = table.get(ch)
    if (direct !== undefined) {
      out.push(direct)
      continue
    }
    const marks = [...table.keys()].filter((k) => /\p{M}/u.test(k))
    const pair = [...table.keys()].flatMap((base) => marks.map((mark) => [base, mark] as const))
    const found = pair.find(([base, mark]) => (base + mark).normalize('NFC') === ch)
    out.push(...(found ? found.map((piece) => table.get(piece)!) : [0x3f]))
  }
  return Uint8Array.from(out)
}
const LEGACY = 'Đường phố Thành đô, Lễ hội'

describe('parseContentTypeCharset', () => {
  it('reads plain, quoted and upper-case charset parameters', () => {
    expect(parseContentTypeCharset('application/rss+xml; charset=UTF-8')).toBe('utf-8')
    expect(parseContentTypeCharset('text/xml;charset="windows-1258"; foo=bar')).toBe('windows-1258')
    expect(parseContentTypeCharset('text/xml')).toBeUndefined()
    expect(parseContentTypeCharset(undefined)).toBeUndefined()
  })
})

describe('decodeBytes', () => {
  it('prefers a UTF-8 BOM over a wrong header and strips it', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(VI)])
    expect(decodeBytes(bytes, { contentType: 'text/xml; charset=iso-8859-1' })).toEqual({ text: VI, charset: 'utf-8' })
  })

  it('decodes UTF-16LE and UTF-16BE with a BOM', () => {
    const le = Buffer.from(`\ufeff<?xml version="1.0" encoding="UTF-16"?><t>${VI}</t>`, 'utf16le')
    const decodedLe = decodeBytes(le)
    expect(decodedLe.charset).toBe('utf-16le')
    expect(decodedLe.text).toContain(VI)
    const be = Buffer.from(le).swap16()
    expect(decodeBytes(be)).toEqual({ text: decodedLe.text, charset: 'utf-16be' })
  })

  it('uses the HTTP charset when the bytes are valid in it', () => {
    const bytes = cp1258(LEGACY)
    expect(decodeBytes(bytes, { contentType: 'text/xml; charset=windows-1258' }).text.normalize('NFC')).toBe(LEGACY)
  })

  it('reads windows-1258 declared only in the XML prolog', () => {
    const bytes = cp1258(`<?xml version="1.0" encoding="windows-1258"?><title>${LEGACY}</title>`)
    const decoded = decodeBytes(bytes, { contentType: 'application/xml' })
    expect(decoded.charset).toBe('windows-1258')
    expect(decoded.text.normalize('NFC')).toContain(LEGACY)
  })

  it('falls through a header that says utf-8 when the bytes are windows-1258', () => {
    const bytes = cp1258(`<?xml version="1.0" encoding="windows-1258"?><title>${LEGACY}</title>`)
    const decoded = decodeBytes(bytes, { contentType: 'text/xml; charset=utf-8' })
    expect(decoded.charset).toBe('windows-1258')
    expect(decoded.text.normalize('NFC')).toContain(LEGACY)
  })

  it('ignores an unknown charset label and uses the next rule', () => {
    const decoded = decodeBytes(utf8(`<?xml version="1.0"?><t>${VI}</t>`), {
      contentType: 'text/xml; charset=x-bogus-1',
    })
    expect(decoded).toEqual({ text: `<?xml version="1.0"?><t>${VI}</t>`, charset: 'utf-8' })
  })

  it('takes UTF-8 bytes as UTF-8 even when a single-byte charset is declared', () => {
    const decoded = decodeBytes(utf8(`<?xml version="1.0" encoding="ISO-8859-1"?><t>${VI}</t>`))
    expect(decoded.charset).toBe('utf-8')
    expect(decoded.text).toContain(VI)
  })

  it('finds <meta charset> in HTML', () => {
    const bytes = cp1258(`<html><head><meta charset="windows-1258"><title>${LEGACY}</title>`)
    expect(decodeBytes(bytes).charset).toBe('windows-1258')
    const httpEquiv = cp1258(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">${LEGACY}`)
    expect(decodeBytes(httpEquiv).charset).toBe('windows-1258')
  })

  it('falls back to windows-1258 for undeclared bytes that are not UTF-8', () => {
    const decoded = decodeBytes(cp1258(LEGACY))
    expect(decoded.charset).toBe('windows-1258')
    expect(decoded.text.normalize('NFC')).toBe(LEGACY)
  })

  it('ignores a UTF-16 label on ASCII-compatible bytes', () => {
    const decoded = decodeBytes(utf8(`<?xml version="1.0" encoding="UTF-16"?><t>${VI}</t>`))
    expect(decoded.charset).toBe('utf-8')
  })

  it('decodes empty input', () => {
    expect(decodeBytes(new Uint8Array())).toEqual({ text: '', charset: 'utf-8' })
  })
})

/** `<?xml … encoding="label"?><t>` + the given bytes + `</t>`: the bytes are written from each code page's published
 * table, so the decoder is checked against the standard, not against itself. */
const declared = (label: string, body: number[]) =>
  Uint8Array.from([...utf8(`<?xml version="1.0" encoding="${label}"?><t>`), ...body, ...utf8('</t>')])
const inside = (text: string) => /<t>([\s\S]*)<\/t>/.exec(text)?.[1]

describe('decodeBytes: legacy code pages by family', () => {
  const cases: [family: string, label: string, bytes: number[], expected: string][] = [
    ['IBM/DOS', 'cp437', [0x80, 0x81, 0xc9, 0xb0, 0xe1], 'Çü╔░ß'],
    ['IBM/DOS', 'IBM850', [0xa5, 0x61, 0x6e, 0x64, 0xa3], 'Ñandú'],
    ['IBM/DOS', 'cp852', [0x9d, 0xa2, 0x64, 0xab], 'Łódź'],
    ['IBM/DOS', 'cp855', [0xa1, 0xa0, 0xa3, 0xa2], 'АаБб'],
    ['IBM/DOS', 'ibm-857', [0x98, 0xa7, 0x9f], 'İğş'],
    ['IBM/DOS', 'cp860', [0x53, 0x84, 0x6f, 0x8e], 'SãoÃ'],
    ['IBM/DOS', 'csIBM865', [0x9b, 0x9d], 'øØ'],
    ['IBM/DOS', 'cp866', [0x8f, 0xe0, 0xa8, 0xa2, 0xa5, 0xe2], 'Привет'],
    ['KOI8', 'koi8-r', [0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4], 'Привет'],
    ['KOI8', 'KOI8-U', [0xbd, 0xad, 0xa7, 0xa4], 'Ґґїє'],
    ['KOI8', 'koi8-ru', [0xbd, 0xad, 0xa7], 'Ґґї'],
    ['Mac', 'macintosh', [0x63, 0x61, 0x66, 0x8e, 0x20, 0xb6], 'café ∂'],
    ['Mac', 'x-mac-roman', [0x8a, 0x9a, 0xa7], 'äöß'],
    ['Mac', 'x-mac-cyrillic', [0x8f, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2], 'Привет'],
    ['Mac', 'mac_latin2', [0x80, 0x8a], 'Ää'],
    ['Vietnamese', 'viscii', [0x56, 0x69, 0xae, 0x74], 'Việt'],
    ['Vietnamese', 'tcvn', [0xb8, 0xb5, 0xb6, 0xb7, 0xb9], 'áàảãạ'],
  ]
  for (const [family, label, bytes, expected] of cases) {
    it(`reads ${family} text declared as ${label}`, () => {
      const decoded = decodeBytes(declared(label, bytes))
      expect(inside(decoded.text)).toBe(expected)
      expect(decoded.charset).not.toBe('windows-1258')
    })
  }

  it('reads a legacy label from the HTTP header before the XML declaration', () => {
    const bytes = declared('cp850', [0x80, 0x81])
    // cp437 and cp850 agree on 0x80/0x81 (Ç ü) but not on 0xd5: ı in cp850, ╒ in cp437.
    const withHeader = Uint8Array.from([...bytes.slice(0, -4), 0xd5, ...utf8('</t>')])
    expect(inside(decodeBytes(withHeader, { contentType: 'text/xml; charset=IBM437' }).text)).toBe('Çü╒')
    expect(inside(decodeBytes(withHeader).text)).toBe('Çüı')
  })

  it('reads UTF-32 with a BOM and without one (XML 1.0 Appendix F)', () => {
    const text = `<?xml version="1.0"?><t>${VI}</t>`
    const le = new Uint8Array(new Uint32Array([...text].map((c) => c.codePointAt(0)!)).buffer)
    expect(decodeBytes(le).text).toBe(text)
    const withBom = Uint8Array.from([0xff, 0xfe, 0x00, 0x00, ...le])
    const decoded = decodeBytes(withBom, { contentType: 'text/xml; charset=utf-8' })
    expect(decoded.text).toBe(text)
    expect(decoded.charset).toMatch(/utf-?32/i)
  })

  it('skips a label WHATWG maps to `replacement` (iso-2022-kr) and reads the bytes as UTF-8', () => {
    const decoded = decodeBytes(utf8(`<?xml version="1.0" encoding="iso-2022-kr"?><t>${VI}</t>`))
    expect(decoded.charset).toBe('utf-8')
    expect(decoded.text).toContain(VI)
  })
})
