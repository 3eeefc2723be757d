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
