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
 * Decoding uses TextDecoder (Node ships full ICU) for every WHATWG label, and iconv-lite for the legacy code pages
 * WHATWG leaves out and Python's codecs know: IBM/DOS (cp437, cp850, cp852, cp855, cp857, cp860 … cp869, cp737,
 * cp775), Mac (mac-roman, mac-centeuro, mac-greek, mac-turkish, …), KOI8-T/-RU, TCVN 5712, VISCII, UTF-32, UTF-7,
 * the CJK code pages by their Windows numbers, with the labels' usual spellings (`IBM850`, `cp_850`, `csIBM855`,
 * `x-mac-roman`, `mac_latin2`). This is the one file that imports iconv-lite.
 */
import iconv from 'iconv-lite'

export interface DecodeOptions {
  /** The HTTP Content-Type header, e.g. `application/rss+xml; charset=windows-1258`. */
  contentType?: string
}

export interface DecodedText {
  text: string
  /** Name of the encoding used: WHATWG's (`utf-8`, `windows-1258`, `utf-16le`), else iconv-lite's (`cp850`,
   * `maccenteuro`, `utf32le`). */
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
  // UTF-32 BOMs first: FF FE 00 00 also starts like a UTF-16LE one.
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return 'legacy:utf32le'
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return 'legacy:utf32be'
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf-8'
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le'
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be'
  // XML 1.0 Appendix F: `<?` in UTF-32 or UTF-16 without a BOM.
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x00 && b3 === 0x00) return 'legacy:utf32le'
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0x00 && b3 === 0x3c) return 'legacy:utf32be'
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
  // A UTF-16/32 label on ASCII-compatible bytes (the BOM check already failed) is a lie: skip it.
  if (/^(?:utf-?(?:16|32)|ucs-?[24])/.test(encoding)) return undefined
  if (encoding !== 'utf-8' && isSingleByte(encoding) && hasMultiByteUtf8(bytes)) {
    const utf8 = tryDecode(bytes, 'utf-8')
    if (utf8) return utf8
  }
  return tryDecode(bytes, encoding)
}

/** Python codec names whose iconv-lite spelling differs (after both drop `-`, `_`, spaces and case). */
const LEGACY_ALIASES: Record<string, string> = {
  maclatin2: 'maccenteuro',
  maccentraleurope: 'maccenteuro',
  maccentraleuropean: 'maccenteuro',
  macce: 'maccenteuro',
  maccyrillic: 'maccyrillic',
  cyrillicasian: 'pt154',
  csibm437: 'cp437',
  cspc8codepage437: 'cp437',
  cspc850multilingual: 'cp850',
  cspcp852: 'cp852',
  csibm855: 'cp855',
  csibm857: 'cp857',
  csibm860: 'cp860',
  csibm861: 'cp861',
  csibm863: 'cp863',
  csibm864: 'cp864',
  csibm865: 'cp865',
  csibm869: 'cp869',
  koi8t: 'koi8t',
  tcvn3: 'tcvn',
  tcvn5712: 'tcvn',
}

const LEGACY_PREFIX = 'legacy:'

/** WHATWG name for a label; `legacy:<iconv name>` for a label only iconv-lite knows; undefined for unknown ones. */
function canonicalEncoding(label: string): string | undefined {
  try {
    const encoding = new TextDecoder(label).encoding
    // WHATWG maps a few dangerous labels (iso-2022-kr, hz-gb-2312, …) to `replacement`: decode nothing with it.
    return encoding === 'replacement' ? undefined : encoding
  } catch {
    return legacyEncoding(label)
  }
}

/** iconv-lite's encodingExists, as a plain boolean (its typings make it a type guard). */
const known = (name: string): boolean => iconv.encodingExists(name)

function legacyEncoding(label: string): string | undefined {
  let key = label.toLowerCase().replace(/[^a-z0-9]/g, '')
  if (key.startsWith('x') && !known(key)) key = key.slice(1) // x-mac-roman, x-cp850
  key = LEGACY_ALIASES[key] ?? key
  if (!known(key)) {
    // `ibm-850`, `ibm850`, `850`: the DOS code pages go by their number.
    const number = /^(?:ibm|cp|ms|dos)?(\d{3,4})$/.exec(key)?.[1]
    if (number === undefined || !known(`cp${number}`)) return undefined
    key = `cp${number}`
  }
  return `${LEGACY_PREFIX}${key}`
}

function tryDecode(bytes: Uint8Array, encoding: string): DecodedText | undefined {
  if (encoding.startsWith(LEGACY_PREFIX)) return decodeLegacy(bytes, encoding.slice(LEGACY_PREFIX.length))
  try {
    const decoder = new TextDecoder(encoding, { fatal: true })
    return { text: decoder.decode(bytes), charset: decoder.encoding }
  } catch {
    return undefined
  }
}

/** iconv-lite has no fatal mode: a multi-byte decoding that needed U+FFFD counts as failed, so the next rule decides. */
function decodeLegacy(bytes: Uint8Array, name: string): DecodedText | undefined {
  try {
    const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name)
    if (!isSingleByte(`${LEGACY_PREFIX}${name}`) && text.includes('\ufffd')) return undefined
    const codec = iconv.getCodec(name) as { encodingName?: string }
    return { text, charset: codec.encodingName ?? name }
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
  if (encoding.startsWith(LEGACY_PREFIX)) {
    // iconv-lite's single-byte codecs are table-driven (`decodeBuf`); DBCS, UTF-7/32 are not.
    try {
      return 'decodeBuf' in (iconv.getCodec(encoding.slice(LEGACY_PREFIX.length)) as object)
    } catch {
      return false
    }
  }
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
