/**
 * Value cleaning for every output format: the generator (`feed`) trusts its input, so it only ever sees values that
 * went through here. Plain text loses control characters, URLs must be absolute http(s), dates must be instants, ids
 * must be URIs, MIME types are derived from the file extension when missing or wrong.
 */

// C0/C1 controls except tab, LF, CR; non-characters U+FFFE/U+FFFF; and the private-use sentinels used by
// feed-adapter.ts (U+E000–U+E00F) so no input can forge them.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uE000-\uE00F]/g
/** Lone surrogates → U+FFFD (ES2024 `String.prototype.toWellFormed`, in every Node this package supports). */
const wellFormed = (value: string): string => (value as unknown as { toWellFormed(): string }).toWellFormed()
const SPACES = /[\s\u00A0]+/g

/** Plain text safe for XML 1.0 and HTML: lone surrogates → U+FFFD, NFC, no control characters, whitespace collapsed, trimmed. */
export function cleanText(value: string | undefined): string {
  if (value === undefined || value === null) return ''
  return wellFormed(String(value)).normalize('NFC').replace(CONTROL, '').replace(SPACES, ' ').trim()
}

/**
 * HTML that is already sanitized upstream, treated as untrusted anyway: no control characters, no CDATA terminator
 * (`]]>` becomes `]]&gt;`, the same text in HTML), no live `<script`/`<style`/`<iframe`/`<object`/`<embed` tag.
 * This is not a sanitizer; it only guarantees that publishing creates no injection.
 */
export function cleanHtml(value: string | undefined): string {
  if (!value) return ''
  return wellFormed(String(value))
    .replace(CONTROL, '')
    .replace(/\]\]>/g, ']]&gt;')
    .replace(/<(\/?)(script|style|iframe|object|embed|frame|frameset|base|meta|link)\b/gi, '&lt;$1$2')
}

/** An absolute http(s) URL in its serialized form, or undefined (relative with no base, `data:`, `javascript:`…). */
export function cleanUrl(value: string | undefined, base?: string): string | undefined {
  if (!value) return undefined
  const raw = cleanText(value)
  if (!raw) return undefined
  let url: URL
  try {
    url = base ? new URL(raw, base) : new URL(raw)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  if (!url.hostname) return undefined
  return url.href
}

/** A valid Date or undefined. */
export function cleanDate(value: Date | string | number | undefined): Date | undefined {
  if (value === undefined || value === null) return undefined
  const date = value instanceof Date ? value : new Date(value)
  const time = date.getTime()
  if (!Number.isFinite(time)) return undefined
  // toISOString throws beyond ±275760 years; keep four-digit years so every format can write it.
  if (time < Date.UTC(1000, 0, 1) || time > Date.UTC(9999, 11, 31)) return undefined
  return new Date(time)
}

/**
 * An IRI usable as an Atom id: http(s) URLs and `urn:`/`tag:` ids as given (cleaned); anything else (a bare numeric
 * guid, a relative path) becomes `urn:tonghop:<percent-encoded id>`.
 */
export function cleanId(value: string | undefined, fallback: string): string {
  const raw = cleanText(value ?? '') || fallback
  if (/^(urn|tag):/i.test(raw) && !/[\s<>"{}|\\^`]/.test(raw)) {
    try {
      new URL(raw)
      return raw
    } catch {
      // fall through
    }
  }
  if (/^https?:/i.test(raw)) {
    const url = cleanUrl(raw)
    if (url) return url
  }
  return `urn:tonghop:${encodeURIComponent(raw)}`
}

const MIME_BY_EXT: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  pdf: 'application/pdf',
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/

/** A MIME type: the given one when well-formed (with `image/jpg` fixed), else from the URL's extension. */
export function mimeType(url: string, given?: string, fallback = 'application/octet-stream'): string {
  const type = cleanText(given ?? '')
    .toLowerCase()
    .replace(/;.*$/, '')
    .trim()
  if (type === 'image/jpg' || type === 'image/pjpeg') return 'image/jpeg'
  if (MIME.test(type)) return type
  let ext = ''
  try {
    ext = (new URL(url).pathname.split('/').pop() ?? '').split('.').slice(1).pop()?.toLowerCase() ?? ''
  } catch {
    // not a URL
  }
  return MIME_BY_EXT[ext] ?? fallback
}

/** A real length in bytes (positive safe integer), or undefined. */
export function cleanLength(value: number | string | undefined): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined
}

/** `&`, `<`, `>`, `"` and `'` escaped: safe in HTML/XML text and in double- or single-quoted attributes. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  )
}
