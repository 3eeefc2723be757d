/**
 * Bytes → text for feeds and pages, whatever the server claims.
 *
 * Order: BOM (UTF-8 / UTF-16LE / UTF-16BE; also a BOM-less `<?xml` in UTF-16), then the HTTP `charset`, then the
 * XML declaration's `encoding` (or `<meta charset>` for HTML), then UTF-8 when the bytes are valid UTF-8, else
 * windows-1258 (the Vietnamese legacy code page). A declared charset that is unknown, or that the bytes are not
 * valid in, is skipped and the next rule decides. A declared single-byte charset (iso-8859-1, windows-125x, …) whose
 * bytes are valid UTF-8 with multi-byte sequences is taken as UTF-8: Vietnamese sites that serve UTF-8 while
 * declaring latin-1 are common, and legacy text is practically never valid multi-byte UTF-8 by accident.
 *
 * Decoding uses TextDecoder only (Node ships full ICU).
 */

export interface DecodeOptions {
  /** The HTTP Content-Type header, e.g. `application/rss+xml; charset=windows-1258`. */
  contentType?: string
}

export interface DecodedText {
  text: string
  /** WHATWG name of the encoding used, e.g. `utf-8`, `windows-1258`, `utf-16le`. */
  charset: string
}

const FALLBACK = 'windows-1258'
/** How far into the document the XML declaration / meta charset is looked for. */
const SNIFF_BYTES = 2048

/** The `charset` parameter of a Content-Type header (lower-cased, unquoted), or undefined. */
export function parseContentTypeCharset(contentType: string | undefined | null): string | undefined {
  if (!contentType) return undefined
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(contentType)
  const value = (match?.[1] ?? match?.[2])?.trim().toLowerCase()
  return value ? value : undefined
}

/** Decode feed or page bytes to text; never throws. */
export function decodeBytes(bytes: Uint8Array, options: DecodeOptions = {}): DecodedText {
  const bom = sniffBom(bytes)
  if (bom) {
    const decoded = tryDecode(bytes, bom)
    if (decoded) return decoded
  }

  const candidates: string[] = []
  const header = parseContentTypeCharset(options.contentType)
  if (header) candidates.push(header)
  const declared = sniffDeclaredCharset(bytes)
  if (declared) candidates.push(declared)

  for (const label of candidates) {
    const decoded = tryDeclared(bytes, label)
    if (decoded) return decoded
  }

  return tryDecode(bytes, 'utf-8') ?? decodeLoose(bytes, FALLBACK)
}

/** The encoding a BOM (or a BOM-less UTF-16 `<?`) announces, if any. */
function sniffBom(bytes: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = bytes
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf-8'
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le'
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be'
  // XML 1.0 Appendix F: `<?` in UTF-16 without a BOM.
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) return 'utf-16le'
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) return 'utf-16be'
  return undefined
}

/** `encoding` of the XML declaration, or `<meta charset>` / `<meta http-equiv content="…charset=…">` of HTML. */
function sniffDeclaredCharset(bytes: Uint8Array): string | undefined {
  // latin1 maps every byte to one char, so ASCII markup is found whatever the real encoding is.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, SNIFF_BYTES)).toString('latin1')
  const xml = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']\s*([A-Za-z0-9._:-]+)\s*["']/.exec(head)
  if (xml?.[1]) return xml[1].toLowerCase()
  const meta = /<meta\s[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head)
  if (meta?.[1]) return meta[1].toLowerCase()
  return undefined
}

function tryDeclared(bytes: Uint8Array, label: string): DecodedText | undefined {
  const encoding = canonicalEncoding(label)
  if (!encoding) return undefined
  // A UTF-16 label on ASCII-compatible bytes (the BOM check already failed) is a lie: skip it.
  if (encoding.startsWith('utf-16')) return undefined
  if (encoding !== 'utf-8' && isSingleByte(encoding) && hasMultiByteUtf8(bytes)) {
    const utf8 = tryDecode(bytes, 'utf-8')
    if (utf8) return utf8
  }
  return tryDecode(bytes, encoding)
}

/** WHATWG name for a label, or undefined for labels TextDecoder does not know. */
function canonicalEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label).encoding
  } catch {
    return undefined
  }
}

function tryDecode(bytes: Uint8Array, encoding: string): DecodedText | undefined {
  try {
    const decoder = new TextDecoder(encoding, { fatal: true })
    return { text: decoder.decode(bytes), charset: decoder.encoding }
  } catch {
    return undefined
  }
}

function decodeLoose(bytes: Uint8Array, encoding: string): DecodedText {
  const decoder = new TextDecoder(encoding)
  return { text: decoder.decode(bytes), charset: decoder.encoding }
}

const MULTI_BYTE = new Set([
  'utf-8',
  'utf-16le',
  'utf-16be',
  'gbk',
  'gb18030',
  'big5',
  'euc-jp',
  'iso-2022-jp',
  'shift_jis',
  'euc-kr',
])

function isSingleByte(encoding: string): boolean {
  return !MULTI_BYTE.has(encoding)
}

/** True when the bytes contain at least one well-formed multi-byte UTF-8 sequence (the lead byte test is enough here). */
function hasMultiByteUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length - 1; i++) {
    const b = bytes[i]!
    if (b >= 0xc2 && b <= 0xf4) {
      const next = bytes[i + 1]!
      if (next >= 0x80 && next <= 0xbf) return true
    }
  }
  return false
}
