/**
 * The final gate over the HTML body/ rebuilt: one strict pass proves it is a fixed point of the allowlist
 * (sanitize.ts) rather than re-serializing it (the URLs of a plain form proved unchanged here, the others by
 * sanitize-html); anything unexpected goes through sanitize-html whole.
 */
import { sanitizeHtml } from './sanitize.js'

/**
 * The attribute-free tags body/render.ts writes, each with where it may stand: `inline` tags inside text containers,
 * `block` tags only where the rebuilt structure puts them. Under these rules htmlparser2 never closes an element
 * implicitly (no block inside `<p>`, no `<li>` inside `<li>`, no cell outside a row), so the gate's parse of the
 * HTML has exactly the tree the string spells.
 */
type Slot = 'flow' | 'text' | 'list' | 'figure' | 'table' | 'section' | 'row'
interface PlainTag {
  name: string
  close: boolean
  /** Where an opening tag may stand (the slot of the element on top of the stack). */
  in: readonly Slot[]
  /** What the element's own content is. */
  holds: Slot
}
const TEXT_SLOTS: readonly Slot[] = ['text']
const PLAIN_TAGS = new Map<string, PlainTag>()
{
  const add = (name: string, where: readonly Slot[], holds: Slot) => {
    PLAIN_TAGS.set(`<${name}>`, { name, close: false, in: where, holds })
    PLAIN_TAGS.set(`</${name}>`, { name, close: true, in: where, holds })
  }
  for (const name of ['p', 'h2', 'h3', 'h4']) add(name, ['flow'], 'text')
  add('blockquote', ['flow'], 'flow')
  add('ul', ['flow'], 'list')
  add('ol', ['flow'], 'list')
  add('li', ['list'], 'text')
  add('figure', ['flow'], 'figure')
  add('figcaption', ['figure'], 'text')
  add('table', ['flow'], 'table')
  add('tbody', ['table'], 'section')
  add('tr', ['section'], 'row')
  add('td', ['row'], 'text')
  add('th', ['row'], 'text')
  for (const name of ['strong', 'em', 'u', 's', 'sub', 'sup']) add(name, TEXT_SLOTS, 'text')
  PLAIN_TAGS.set('</a>', { name: 'a', close: true, in: TEXT_SLOTS, holds: 'text' })
  PLAIN_TAGS.set('<br />', { name: 'br', close: false, in: TEXT_SLOTS, holds: 'text' })
}

/** PLAIN_TAGS by length and first two characters after `<`, so a tag is found without cutting it out. */
const PLAIN_INDEX = new Map<number, [string, PlainTag][]>()
for (const [text, tag] of PLAIN_TAGS) {
  const key = plainKey(text.length, text.charCodeAt(1), text.charCodeAt(2))
  const list = PLAIN_INDEX.get(key) ?? []
  list.push([text, tag])
  PLAIN_INDEX.set(key, list)
}

function plainKey(length: number, first: number, second: number): number {
  return length * 0x20000 + (first & 0x1ff) * 0x100 + (second & 0xff)
}

/** The plain tag that spans html[open..end] (end is its `>`), if it is one. */
function plainTagAt(html: string, open: number, end: number): PlainTag | undefined {
  const list = PLAIN_INDEX.get(plainKey(end - open + 1, html.charCodeAt(open + 1), html.charCodeAt(open + 2)))
  if (list === undefined) return undefined
  for (const [text, tag] of list) if (html.startsWith(text, open)) return tag
  return undefined
}

/** An attribute value that is plain text as sanitize-html writes it: no `"`, `<` or `>`, and `&` only in an escape. */
const TEXT_VALUE = `(?:[^"<>&]|&(?:amp|lt|gt|quot);)`
/**
 * The tags body/render.ts writes with attributes. Their URL (href, src) is handed to sanitize-html, which must leave it
 * unchanged; their other values are plain escaped text (alt, a non-empty title) or digits, which nothing executes.
 */
const LINK_TAG = new RegExp(`^<a (href="([^"<>]*)")(?: title="${TEXT_VALUE}+")?>$`)
const IMAGE_TAG = new RegExp(
  String.raw`^<img (src="([^"<>]*)") alt="${TEXT_VALUE}*"(?: width="\d{1,5}")?(?: height="\d{1,5}")? \/>$`,
)
/**
 * URLs (as written in the attribute) that sanitize-html provably hands back unchanged, so they need not be sent to
 * it: an allowed scheme (`a`: http, https, mailto; `img`: http, https) followed only by printable ASCII other than
 * `"`, `<`, `>` and `&`, or `&amp;`. sanitize-html's path for such a value v: htmlparser2 decodes `&amp;` to `&` and
 * nothing else (no other `&`); absoluteOnly's test passes (no space or control character); launder's naughtyHref
 * strips nothing (no character ≤ U+0020, no `<!--`) and finds an allowed scheme; the value is written back with
 * `&` → `&amp;` (no `<`, `>`, `"` to escape), which is v as written. Any other URL goes through sanitize-html.
 */
const SAFE_URL_CHARS = "(?:[!#$%'-;=?-~]|&amp;)*$"
const SAFE_HREF = new RegExp(`^(?:https?://|mailto:)${SAFE_URL_CHARS}`, 'i')
const SAFE_SRC = new RegExp(`^https?://${SAFE_URL_CHARS}`, 'i')
const CELL_TAG = /^<(t[dh])(?: colspan="\d{1,3}")?(?: rowspan="\d{1,3}")?>$/
const LINK_FRAME = { name: 'a', holds: 'text' as Slot }
const CELL_FRAMES: Record<string, { name: string; holds: Slot }> = {
  td: { name: 'td', holds: 'text' },
  th: { name: 'th', holds: 'text' },
}
/**
 * The final gate over the HTML body/ rebuilt. That HTML is, by construction, sanitize-html's own output form, so
 * the gate proves it is a fixed point of sanitize-html instead of re-serializing every byte: one strict pass checks
 * that it consists only of allowlisted tags (in the structure body/render.ts writes) whose attributes are the writer's own
 * (escaped text, digits, one URL), and text escaped as sanitize-html escapes it; every URL not of the plain form
 * SAFE_HREF/SAFE_SRC prove unchanged goes through sanitize-html (its scheme allowlist and the absolute-only
 * transform), which must hand it back unchanged. Anything else (an
 * unexpected token or attribute, a changed URL, a tag out of place) sends the whole HTML through sanitize-html as
 * before, so the result is always sanitize-html's.
 */
export function sanitizeRebuiltHtml(html: string): string {
  return sanitizeRebuiltHtmlAll([html])[0] as string
}

/**
 * sanitizeRebuiltHtml over many bodies (a feed's items) with one sanitize-html call for all their attribute-bearing
 * tags: sanitize-html's cost is mostly per call. Each body's tags are self-contained (`<a …></a>`, `<img … />`), so
 * the joined string comes back unchanged exactly when every one of them does (attribute values hold no `<` or `>`,
 * so the tags line up one to one); otherwise each body is gated on its own.
 */
export function sanitizeRebuiltHtmlAll(htmls: readonly string[]): string[] {
  const out = htmls.slice()
  const skeletons: (string | undefined)[] = []
  let joined = ''
  for (let i = 0; i < htmls.length; i++) {
    const skeleton = gateSkeleton(htmls[i] as string)
    skeletons.push(skeleton)
    if (skeleton === undefined) out[i] = sanitizeHtml(htmls[i] as string)
    else joined += skeleton
  }
  if (joined === '' || sanitizeHtml(joined) === joined) return out
  for (let i = 0; i < htmls.length; i++) {
    const skeleton = skeletons[i]
    if (skeleton !== undefined && skeleton !== '' && sanitizeHtml(skeleton) !== skeleton) {
      out[i] = sanitizeHtml(htmls[i] as string)
    }
  }
  return out
}

/**
 * The URLs of HTML in the form body/render.ts writes that sanitize-html has to check (all but SAFE_HREF/SAFE_SRC's),
 * as the tags that carry them (`<a href></a>`, `<img src />`), joined; `undefined` when
 * the HTML has anything else: a tag that is not the writer's, a tag out of its place, unbalanced nesting, a `>` in
 * text or an `&` that is not `&amp;`, `&lt;` or `&gt;`.
 */
function gateSkeleton(html: string): string | undefined {
  const stack: { readonly name: string; readonly holds: Slot }[] = []
  let attributed = ''
  let position = 0
  let amp = html.indexOf('&')
  for (;;) {
    const open = html.indexOf('<', position)
    const textEnd = open === -1 ? html.length : open
    // Text: the first `>` from here must be the one that ends the next tag.
    const gt = html.indexOf('>', position)
    if (gt !== -1 && gt < textEnd) return undefined
    for (; amp !== -1 && amp < textEnd; amp = html.indexOf('&', amp + 1)) {
      if (!html.startsWith('amp;', amp + 1) && !html.startsWith('lt;', amp + 1) && !html.startsWith('gt;', amp + 1))
        return undefined
    }
    if (open === -1) break
    if (gt === -1) return undefined
    position = gt + 1
    if (amp !== -1 && amp < position) amp = html.indexOf('&', position)
    const slot: Slot = stack.length === 0 ? 'flow' : (stack[stack.length - 1] as { holds: Slot }).holds
    const plain = plainTagAt(html, open, gt)
    if (plain !== undefined) {
      if (plain.close) {
        if (stack.pop()?.name !== plain.name) return undefined
      } else {
        if (!plain.in.includes(slot)) return undefined
        if (plain.name !== 'br') stack.push(plain)
      }
      continue
    }
    const tag = html.slice(open, gt + 1)
    const link = LINK_TAG.exec(tag)
    if (link !== null) {
      if (slot !== 'text') return undefined
      stack.push(LINK_FRAME)
      if (!SAFE_HREF.test(link[2] as string)) attributed += `<a ${link[1]}></a>`
      continue
    }
    const image = IMAGE_TAG.exec(tag)
    if (image !== null) {
      if (slot !== 'figure') return undefined
      if (!SAFE_SRC.test(image[2] as string)) attributed += `<img ${image[1]} />`
      continue
    }
    const cell = CELL_TAG.exec(tag)
    const frame = cell === null ? undefined : CELL_FRAMES[cell[1] as string]
    if (frame !== undefined) {
      if (slot !== 'row') return undefined
      stack.push(frame)
      continue
    }
    return undefined
  }
  return stack.length === 0 ? attributed : undefined
}
