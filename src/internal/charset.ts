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
 *
 * The two Vietnamese font encodings no library has are ours (see `decodeVietnamese`): TCVN3 / ABC (`tcvn3`,
 * `tcvn-3`, `tcvn5712-3`, `abc`, `x-viet-tcvn3`) and VNI Windows (`vni`, `vni-win`, `vni-windows`, `x-vni`,
 * `x-viet-vni`). `tcvn` and `tcvn5712(-1)` stay iconv-lite's TCVN 5712:1993 VN1; `windows-1258` is WHATWG's code
 * page, not VNI. Such documents are usually served under a latin-1 label (the font did the rest), which the
 * declared-charset route cannot see: `DecodeOptions.charset` forces a charset for a source known to use one.
 */
import { isUtf8 } from 'node:buffer'
import iconv from 'iconv-lite'

export interface DecodeOptions {
  /** The HTTP Content-Type header, e.g. `application/rss+xml; charset=windows-1258`. */
  contentType?: string
  /** A charset label that wins over the Content-Type and the document's declaration (a BOM still wins), for a
   * source known to serve TCVN3 or VNI under a `iso-8859-1` / `windows-1252` label. Unknown labels are ignored. */
  charset?: string
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
  const { chunks, charset } = decode(bytes, options, undefined)
  return { text: chunks[0] ?? '', charset }
}

export interface DecodedChunks {
  /** The text in pieces of at most `chunkBytes` bytes' worth each (one piece unless the bytes are UTF-8). */
  chunks: string[]
  charset: string
}

/** UTF-8 bytes decoded per chunk of this size: each piece stays a regular heap string (at most 64 KiB as UTF-16). */
export const DEFAULT_CHUNK_BYTES = 32 * 1024

/**
 * decodeBytes, with UTF-8 text handed over in pieces. The same rules pick the same charset and give the same text
 * (`chunks.join('')`), but a UTF-8 document (the common case) is validated once and decoded chunk by chunk: V8 puts
 * each multi-megabyte string of a whole-document decode in its large-object space, and allocating and freeing those
 * costs more than the decoding itself. parseFeed feeds the pieces to the tokenizer one by one.
 */
export function decodeBytesInChunks(
  bytes: Uint8Array,
  options: DecodeOptions & { chunkBytes?: number } = {},
): DecodedChunks {
  return decode(bytes, options, Math.max(4, options.chunkBytes ?? DEFAULT_CHUNK_BYTES))
}

function decode(bytes: Uint8Array, options: DecodeOptions, chunkBytes: number | undefined): DecodedChunks {
  const attempt = (encoding: string) => tryDecodeChunks(bytes, encoding, chunkBytes)
  const bom = sniffBom(bytes)
  if (bom) {
    const decoded = attempt(bom)
    if (decoded) return decoded
  }

  if (options.charset !== undefined) {
    const encoding = canonicalEncoding(options.charset.trim())
    const decoded = encoding === undefined ? undefined : attempt(encoding)
    if (decoded) return decoded
  }

  const candidates: string[] = []
  const header = parseContentTypeCharset(options.contentType)
  if (header) candidates.push(header)
  const declared = sniffDeclaredCharset(bytes)
  if (declared) candidates.push(declared)

  for (const label of candidates) {
    const decoded = tryDeclared(bytes, label, chunkBytes)
    if (decoded) return decoded
  }

  return attempt('utf-8') ?? one(decodeLoose(bytes, FALLBACK))
}

function one(decoded: DecodedText): DecodedChunks {
  return { chunks: [decoded.text], charset: decoded.charset }
}

function tryDecodeChunks(
  bytes: Uint8Array,
  encoding: string,
  chunkBytes: number | undefined,
): DecodedChunks | undefined {
  if (chunkBytes === undefined || encoding !== 'utf-8' || bytes.byteLength <= chunkBytes) {
    const decoded = tryDecode(bytes, encoding)
    return decoded && one(decoded)
  }
  if (!isUtf8(bytes)) return undefined
  // Valid UTF-8: streaming decodes give exactly the whole decode's text (a BOM is dropped from the first piece).
  const decoder = new TextDecoder('utf-8')
  const chunks: string[] = []
  for (let start = 0; start < bytes.byteLength; start += chunkBytes) {
    const piece = decoder.decode(bytes.subarray(start, start + chunkBytes), { stream: true })
    if (piece !== '') chunks.push(piece)
  }
  const rest = decoder.decode()
  if (rest !== '') chunks.push(rest)
  return { chunks, charset: 'utf-8' }
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

function tryDeclared(bytes: Uint8Array, label: string, chunkBytes: number | undefined): DecodedChunks | undefined {
  const encoding = canonicalEncoding(label)
  if (!encoding) return undefined
  // A UTF-16/32 label on ASCII-compatible bytes (the BOM check already failed) is a lie: skip it.
  if (/^(?:utf-?(?:16|32)|ucs-?[24])/.test(encoding)) return undefined
  if (encoding !== 'utf-8' && isSingleByte(encoding) && hasMultiByteUtf8(bytes)) {
    const utf8 = tryDecodeChunks(bytes, 'utf-8', chunkBytes)
    if (utf8) return utf8
  }
  return tryDecodeChunks(bytes, encoding, chunkBytes)
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
  tcvn5712: 'tcvn',
}

const VIETNAMESE_PREFIX = 'vietnamese:'

/** Labels of the Vietnamese font encodings decoded here (after dropping `-`, `_`, spaces and case). */
const VIETNAMESE_LABELS: Record<string, 'tcvn3' | 'vni'> = {
  tcvn3: 'tcvn3',
  tcvn57123: 'tcvn3',
  vn3: 'tcvn3',
  abc: 'tcvn3',
  xviettcvn3: 'tcvn3',
  vni: 'vni',
  vniwin: 'vni',
  vniwindows: 'vni',
  xvni: 'vni',
  xvietvni: 'vni',
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
  const vietnamese = VIETNAMESE_LABELS[key]
  if (vietnamese !== undefined) return `${VIETNAMESE_PREFIX}${vietnamese}`
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
  if (encoding.startsWith(VIETNAMESE_PREFIX)) {
    const name = encoding.slice(VIETNAMESE_PREFIX.length) as 'tcvn3' | 'vni'
    return { text: decodeVietnamese(bytes, name), charset: name }
  }
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
  if (encoding.startsWith(VIETNAMESE_PREFIX)) return true
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

/*
 * Vietnamese font encodings. Before Unicode, Vietnamese text was written in 8-bit fonts: the bytes are Latin-1
 * letters on screen only through the font. Both keep ASCII and Windows-1252's punctuation at 0x80–0x9F (“ ” – …).
 *
 * TCVN3 (ABC, TCVN 5712:1993 VN3; fonts .VnTime, .VnArial): one byte per letter. VN3 is VN1 (iconv-lite's `tcvn`)
 * without VN1's capitals in the C0 controls and at 0x80–0x9F; its letters at 0xA1–0xFF are VN1's. VN3 has only
 * seven capitals (Ă Â Ê Ô Ơ Ư Đ): a capital with a tone mark was the lower-case byte in the capitals font
 * (.VnTimeH), so `BÁO` arrives as `B`, `á`, `O`. A word that has no ASCII lower-case letter and at least two
 * capitals is therefore read as all capitals (`BáO` → `BÁO`, `Bá` stays).
 *
 * VNI Windows (fonts VNI-Times, VNI-Helve): a base letter followed by one byte for its marks (`a` + `ù` = á,
 * `a` + `á` = ấ, `o` + `â` = ô), except the narrow letters, which are single bytes (í ì ỉ ĩ ị, ỵ, đ, ơ, ư). The mark
 * bytes are read as Unicode combining marks and the text is composed to NFC.
 */

/** VNI bytes 0xC0–0xDF (capitals; 0xE0–0xFF are the same for lower case): a letter, combining marks, or '' for a
 * byte VNI leaves to Latin-1. */
const VNI_HIGH: readonly string[] = [
  '\u0302\u0300', // À: circumflex + grave
  '\u0302\u0301', // Á: circumflex + acute
  '\u0302', // Â: circumflex
  '\u0302\u0303', // Ã: circumflex + tilde
  '\u0302\u0323', // Ä: circumflex + dot below
  '\u0302\u0309', // Å: circumflex + hook above
  'Ỉ', // Æ
  '', // Ç
  '\u0306\u0300', // È: breve + grave
  '\u0306\u0301', // É: breve + acute
  '\u0306', // Ê: breve
  '\u0306\u0323', // Ë: breve + dot below
  'Ì', // Ì
  'Í', // Í
  'Ỵ', // Î
  '\u0323', // Ï: dot below
  '', // Ð
  'Đ', // Ñ
  'Ị', // Ò
  'Ĩ', // Ó
  'Ơ', // Ô
  '\u0303', // Õ: tilde
  'Ư', // Ö
  '', // ×
  '\u0300', // Ø: grave
  '\u0301', // Ù: acute
  '\u0306\u0309', // Ú: breve + hook above
  '\u0309', // Û: hook above
  '\u0306\u0303', // Ü: breve + tilde
  '', // Ý
  '', // Þ
  '', // ß
]

let tables: { tcvn3: string[]; vni: string[] } | undefined

function vietnameseTables(): { tcvn3: string[]; vni: string[] } {
  if (tables) return tables
  const all = Uint8Array.from({ length: 256 }, (_, i) => i)
  const cp1252 = [...new TextDecoder('windows-1252').decode(all)]
  const vn1 = [...iconv.decode(Buffer.from(all), 'tcvn')]
  const tcvn3 = cp1252.map((c, i) => (i >= 0xa0 ? vn1[i]! : c))
  const vni = cp1252.map((c, i) => {
    if (i < 0xc0) return c
    const entry = VNI_HIGH[(i - 0xc0) % 0x20]!
    if (entry === '') return c
    return i >= 0xe0 ? entry.toLowerCase() : entry
  })
  tables = { tcvn3, vni }
  return tables
}

const WORD = /[\p{L}\p{M}]+/gu
const CAPITAL = /\p{Lu}/gu

/** `BáO` → `BÁO`: a word with a non-ASCII lower-case letter, no ASCII one, and two capitals or more (TCVN3 capitals
 * written in the capitals font). */
function restoreCapitals(word: string): string {
  if (/[a-z]/.test(word) || word.toUpperCase() === word) return word
  return (word.match(CAPITAL)?.length ?? 0) >= 2 ? word.toUpperCase() : word
}

function decodeVietnamese(bytes: Uint8Array, name: 'tcvn3' | 'vni'): string {
  const table = vietnameseTables()[name]
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += table[bytes[i]!]!
  if (name === 'tcvn3') out = out.replace(WORD, restoreCapitals)
  return out.normalize('NFC')
}
