/**
 * Images of an article body: which URL an `<img>` really shows (lazy loading, srcset), which images are trackers
 * or placeholders, which alts are not captions, and how a caption splits into text and photo credit.
 */
import { cleanText, foldStartsWith, foldText, isTrimSpace } from './text/index.js'

const LAZY_ATTRS = ['data-src', 'data-original', 'data-lazy-src', 'data-lazy', 'data-echo', 'data-url', 'data-full-src']
const SRCSET_ATTRS = ['data-srcset', 'data-lazy-srcset', 'srcset']

const PLACEHOLDER_FILE =
  /(?:^|\/)(?:blank|spacer|pixel|transparent|placeholder|loading|loader|lazy|lazyload|grey|gray|empty|1x1|dot|clear|no-?image|noimage|default)[\w.-]*\.(?:gif|png|svg|jpe?g|webp)(?:$|[?#])/i
const TRACKER_URL =
  /(?:feeds\.feedburner\.com\/~r\/|\/~ff\/|pixel\.wp\.com|stats\.wordpress\.com|google-analytics\.com|doubleclick\.net|facebook\.com\/tr|\/(?:pixel|track|tracking|beacon|counter|tracker|open)\.(?:gif|png|php|aspx?)(?:$|[?#]))/i

const ABSOLUTE_HTTP = /^https?:\/\//i

let lastBase: string | undefined
let lastBaseValid = false

/** Whether `new URL(x, base)` can get past parsing the base (it throws on an invalid one), for the last base seen:
 * the items of a body share it. */
function isValidBase(base: string): boolean {
  if (base !== lastBase) {
    lastBase = base
    lastBaseValid = URL.canParse(base)
  }
  return lastBaseValid
}

/** Resolves `url` against `base`; returns it only when the scheme is one of `schemes`. With no base, only
 * absolute URLs are kept (protocol-relative ones read as https). */
export function resolveUrl(url: string, base: string | undefined, schemes: readonly string[]): string | undefined {
  const raw = url.trim()
  if (raw === '' || (base === undefined && raw.startsWith('#'))) return undefined
  let parsed: URL
  try {
    if (base === undefined) parsed = new URL(raw.startsWith('//') ? `https:${raw}` : raw)
    // An absolute http(s) URL does not depend on a (valid) base: parse it alone, not the base again each time.
    else if (ABSOLUTE_HTTP.test(raw) && isValidBase(base)) parsed = new URL(raw)
    else parsed = new URL(raw, base)
  } catch {
    return undefined
  }
  const scheme = parsed.protocol.slice(0, -1).toLowerCase()
  return schemes.includes(scheme) ? parsed.href : undefined
}

/** Best candidate of a `srcset`: the widest `w`, else the highest `x`, else the first. */
export function bestSrcsetCandidate(srcset: string): string | undefined {
  let best: string | undefined
  let bestScore = -1
  for (const part of srcset.split(/,\s+|,(?=\S+\s+\d)/)) {
    const [url, descriptor] = part.trim().split(/\s+/, 2)
    if (url === undefined || url === '') continue
    let score = 0
    const m = descriptor === undefined ? null : /^(\d+(?:\.\d+)?)([wx])$/i.exec(descriptor)
    if (m !== null) score = m[2]?.toLowerCase() === 'w' ? Number(m[1]) : Number(m[1]) * 1000
    if (score > bestScore) {
      best = url.replace(/,$/, '')
      bestScore = score
    }
  }
  return best
}

function isPlaceholderSrc(src: string): boolean {
  const s = src.trim()
  return s === '' || /^(?:data|about|blob|javascript|vbscript):/i.test(s) || PLACEHOLDER_FILE.test(s)
}

/** The URL an `<img>`/`<amp-img>` really shows: lazy attributes first, then srcset, then src; placeholders skipped. */
export function pickImageUrl(attrs: Record<string, string>, base: string | undefined): string | undefined {
  const candidates: string[] = []
  for (const name of LAZY_ATTRS) {
    const v = attrs[name]
    if (v !== undefined) candidates.push(v)
  }
  for (const name of SRCSET_ATTRS) {
    const v = attrs[name]
    const best = v === undefined ? undefined : bestSrcsetCandidate(v)
    if (best !== undefined) candidates.push(best)
  }
  if (attrs.src !== undefined) candidates.push(attrs.src)
  for (const candidate of candidates) {
    if (isPlaceholderSrc(candidate)) continue
    const url = resolveUrl(candidate, base, ['http', 'https'])
    if (url !== undefined) return url
  }
  return undefined
}

/** 1×1 (or 0×0) images and known tracking pixels. */
export function isTrackerImage(attrs: Record<string, string>, url: string | undefined): boolean {
  const w = attrs.width === undefined ? undefined : Number.parseInt(attrs.width, 10)
  const h = attrs.height === undefined ? undefined : Number.parseInt(attrs.height, 10)
  if (w !== undefined && h !== undefined && w <= 1 && h <= 1) return true
  if ((w !== undefined && w <= 1 && h === undefined) || (h !== undefined && h <= 1 && w === undefined)) return true
  return url !== undefined && TRACKER_URL.test(url)
}

/** Alts that describe nothing: "Chú thích ảnh", "<title> - Ảnh 1", file names, "ảnh", "image". */
export function isPlaceholderAlt(alt: string, title?: string): boolean {
  const text = cleanText(alt)
  if (text === '') return true
  if (/\.(?:jpe?g|png|gif|webp|bmp|avif|tiff?)$/i.test(text)) return true
  if (/^[\w.-]+$/.test(text) && /\d/.test(text) && /[_\-.]|\d{4,}/.test(text)) return true
  // Folding is the costly part: only short alts can be generic words, only alts about as long as the title can
  // be "<title> - Ảnh 1".
  let folded: string | undefined
  if (text.length <= 40) {
    folded = foldText(text)
    if (
      /^(?:chu thich(?: anh)?|anh|hinh|hinh anh|image|img|photo|picture|pic|thumbnail|thumb|avatar|untitled|no title)(?: \d+)?$/.test(
        folded,
      )
    ) {
      return true
    }
  }
  if (title === undefined || text.length < title.length * 0.75 || text.length > title.length + 20) return false
  // The alt is the title itself (common): it folds to the folded title.
  if (text === title) return foldedTitle(title) !== ''
  // "<title> - Ảnh 1" starts with the title: most alts differ from it within a few letters, found without folding.
  if (!foldStartsWith(text, title)) return false
  folded ??= foldText(text)
  const t = foldedTitle(title)
  return (
    t !== '' &&
    (folded === t || (folded.startsWith(t) && /^(?: (?:anh|hinh|image|photo))? ?\d*$/.test(folded.slice(t.length))))
  )
}

let lastTitle: string | undefined
let lastFolded = ''

function foldedTitle(title: string): string {
  if (title !== lastTitle) {
    lastTitle = title
    lastFolded = foldText(title)
  }
  return lastFolded
}

const CREDIT_WORDS = String.raw`(?:(?:tin|bài|video|clip)\s*(?:,|và|&|-|\/)\s*ảnh|ảnh\s*(?:,|và|&|-|\/)\s*(?:tin|bài|clip|video)|ảnh\s+minh\s+(?:họa|hoạ)|nguồn\s+ảnh|ảnh|photo)`
/** `… (Ảnh: X)` / `… [Ảnh: X]` */
const CREDIT_PAREN = new RegExp(
  String.raw`[\s,;:–—-]*[(\[]\s*${CREDIT_WORDS}\s*:\s*([^()\[\]]{1,80}?)\s*[)\]]\s*\.?$`,
  'iu',
)
/** `… Ảnh: X` / `… - Ảnh: X` at the end, after the start, whitespace or punctuation. */
const CREDIT_TAIL = new RegExp(
  String.raw`(^|[\s.,;!?…"”)–—|-])\s*${CREDIT_WORDS}\s*:\s*([^:()\[\]]{1,80}?)\s*\.?$`,
  'iu',
)
/** `Ảnh: X - caption` at the start. */
const CREDIT_HEAD = /^[([]?\s*(?:ảnh|photo)\s*:\s*([^:()[\]–—-]{1,60}?)\s*[)\]]?\s*[–—|-]\s+(.+)$/iu

/** A photo credit looks like a name or an agency: short, few words, no sentence inside. */
function isCreditName(value: string): boolean {
  if (value.length === 0 || value.length > 80) return false
  // "Ảnh: Thu Thủy", "Ảnh: TTXVN", "Ảnh: internet" — not "hình ảnh: đẹp".
  if (!/^[\p{Lu}\d]/u.test(value) && !/^(?:internet|tư liệu|st|sưu tầm|nguồn|tl)\b/iu.test(value)) return false
  const words = value.split(/\s+/)
  if (words.length > 10) return false
  if (/[.!?…]\s+\p{Ll}/u.test(value) || !/\p{L}/u.test(value)) return false
  // A name, not a phrase: "Sở Văn hóa Thể thao" passes, "Toàn cảnh lễ hội" does not.
  const lower = words.filter((w) => /^\p{Ll}/u.test(w) && !/^(?:và|ảnh|tư|liệu)$/u.test(w)).length
  return lower * 2 <= words.length || /^(?:internet|tư liệu|st|sưu tầm|nguồn|tl)\b/iu.test(value)
}

export interface CaptionParts {
  caption?: string
  credit?: string
}

/** Splits a caption line into the caption and the photo credit: "… cuộc họp. Ảnh: Thu Thủy" → credit "Thu Thủy". */
export function splitPhotoCredit(text: string): CaptionParts {
  return splitCleanCaption(cleanText(text))
}

/** What every credit form needs (CREDIT_HEAD, CREDIT_PAREN, CREDIT_TAIL: one of CREDIT_WORDS' last words, then
 * `:`), tested first: "ảnh" alone is a common word ("ảnh hưởng"), so most paragraphs would reach the full
 * patterns, which try every position of the tail. */
const CREDIT_HINT = /(?:ảnh|photo|tin|bài|video|clip|họa|hoạ)\s*:/iu

/** splitPhotoCredit for text that is already clean. Only the tail of a long text can hold the credit. */
export function splitCleanCaption(t: string): CaptionParts {
  if (t === '') return {}
  if (!t.includes(':') || !CREDIT_HINT.test(t)) return { caption: t }
  const head = CREDIT_HEAD.exec(t)
  // "Ảnh: Thu Thủy - Lãnh đạo tỉnh thăm mô hình": the credit first, then a caption that reads as a sentence.
  if (
    head?.[1] !== undefined &&
    head[2] !== undefined &&
    isCreditName(head[1].trim()) &&
    (head[2].split(/\s+/).length >= 4 || /\s\p{Ll}/u.test(head[2]))
  ) {
    return { caption: head[2].trim(), credit: head[1].trim() }
  }
  const offset = t.length > 240 ? t.length - 240 : 0
  const tail = offset === 0 ? t : t.slice(offset)
  for (const re of [CREDIT_PAREN, CREDIT_TAIL]) {
    if (re === CREDIT_PAREN && !tail.includes('(') && !tail.includes('[')) continue
    const m = re.exec(tail)
    const credit = m?.[m.length - 1]?.trim().replace(/[.;,]+$/, '')
    if (m !== null && credit !== undefined && isCreditName(credit)) {
      // Keep sentence punctuation that ends the caption ("… cuộc họp. Ảnh: X" → "… cuộc họp.").
      const keep = re === CREDIT_TAIL && /^[.!?…"”)]$/.test(m[1] ?? '') ? 1 : 0
      const caption = trimCaptionEnd(t.slice(0, offset + m.index + keep)).trim()
      return { ...(caption === '' ? {} : { caption }), credit }
    }
  }
  return { caption: t }
}

/** `value.replace(/[\s,;:|–—-]+$/u, '')` without a regex that tries every position: the separators left between
 * a caption and its credit. */
function trimCaptionEnd(value: string): string {
  let end = value.length
  while (end > 0 && isCaptionEnd(value.charCodeAt(end - 1))) end--
  return end === value.length ? value : value.slice(0, end)
}

function isCaptionEnd(code: number): boolean {
  switch (code) {
    case 0x2c: // ,
    case 0x3b: // ;
    case 0x3a: // :
    case 0x7c: // |
    case 0x2013: // –
    case 0x2014: // —
    case 0x2d: // -
      return true
  }
  // \s: ECMAScript WhiteSpace and LineTerminator.
  return isTrimSpace(code)
}

/** True when the line ends with (or is) a photo credit such as "Ảnh: Thu Thủy" / "(Ảnh: TTXVN)". */
export function hasPhotoCredit(text: string): boolean {
  return splitPhotoCredit(text).credit !== undefined
}

/** "Ảnh minh họa" and friends: a caption that says the picture is illustrative. */
export function isIllustrationLabel(text: string): boolean {
  return /^[([]?\s*(?:ảnh|hình)\s+(?:minh\s+(?:họa|hoạ)|tư\s+liệu|tl|internet)\s*[)\]]?\.?$/iu.test(cleanText(text))
}

/** The figcaption text: "caption — Ảnh: credit". */
export function formatCaption(caption: string | undefined, credit: string | undefined): string {
  if (caption !== undefined && credit !== undefined) return `${caption} — Ảnh: ${credit}`
  if (credit !== undefined) return `Ảnh: ${credit}`
  return caption ?? ''
}

const MEDIA_EXT = /\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?|svg|mp3|m4a|aac|ogg|oga|wav|mp4|m4v|webm|mov)(?:$|[?#])/i
/** Below this, an image/audio/video "length" is a pixel width or a duration, not a byte size (VnExpress puts the
 * image width, 1200, there): no news photo, clip or recording is under 10 kB. */
const MIN_MEDIA_BYTES = 10_000

/**
 * An enclosure's `length` when it is plausibly a byte size for its MIME type (or, without one, its file extension):
 * a positive safe integer, at least 10 kB for images, audio and video. Otherwise undefined: never a made-up size.
 */
export function plausibleEnclosureLength(url: string, type: string | undefined, length: unknown): number | undefined {
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length <= 0) return undefined
  const major = typeof type === 'string' && type.includes('/') ? type.split('/')[0]?.trim().toLowerCase() : undefined
  const media = major === undefined ? MEDIA_EXT.test(url) : major === 'image' || major === 'audio' || major === 'video'
  return media && length < MIN_MEDIA_BYTES ? undefined : length
}
