/**
 * extractArticle: an article page's HTML → the article body as safe HTML plus its lead, title, byline, date and
 * publisher. Most specific first: a per-site rule (config rules, then the shipped ones), a shipped CMS layout
 * recognised by its markup on any host (rules.ts LAYOUTS), the JSON-LD articleBody, then Readability. Structured data (JSON-LD, Open Graph, meta) fills the fields whichever method gave the body.
 *
 * Bounded: input over MAX_HTML_BYTES is refused before parsing, the tree is depth-capped while it is built, and
 * every walk is one pass. Bad input is a result with a code, never an exception.
 */
import { type CleanOptions, cleanBody, escapeText, plainText, pruneBoilerplate } from './clean.js'
import {
  contains,
  createElement,
  type Document,
  type Element,
  findAll,
  outerHtml,
  parsePage,
  remove,
  selectFirst,
} from './dom.js'
import { type PageMetadata, readMetadata } from './metadata.js'
import { readable } from './readability.js'
import { EXTRACT_RULES, LAYOUTS } from './rules.js'
import type { ExtractErrorCode, ExtractOptions, ExtractResult, ExtractRule } from './types.js'

/** Pages larger than this (UTF-8 bytes) are refused before parsing. */
export const MAX_HTML_BYTES = 5 * 1024 * 1024
/** A rule's body with less text than this falls through to the next method. */
const MIN_RULE_TEXT = 80
/** JSON-LD or Readability bodies need at least this much text. */
const MIN_TEXT = 200
/** A body this short on a page with login-wall markers is the wall's preview, not the article. */
const WALL_TEXT = 1000

type Success = Extract<ExtractResult, { ok: true }>

function fail(code: ExtractErrorCode, message: string): ExtractResult {
  return { ok: false, code, message }
}

/** Extracts the article from a page's HTML. Never throws: bad input is `{ ok: false, code, message }`. */
export function extractArticle(html: string, options: ExtractOptions): ExtractResult {
  try {
    return extract(html, options)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return fail('ERR_EXTRACT_NO_ARTICLE', `Extraction failed: ${message}`)
  }
}

function byteLengthOver(html: string, limit: number): boolean {
  if (html.length > limit) return true
  // A UTF-16 unit is at most 3 UTF-8 bytes: only long strings need counting.
  if (html.length * 3 <= limit) return false
  return Buffer.byteLength(html, 'utf8') > limit
}

function isRootPath(u: URL): boolean {
  return (u.pathname === '/' || u.pathname === '') && u.search === ''
}

const STRIP_TAGS = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'link'])

function extract(html: string, options: ExtractOptions): ExtractResult {
  if (typeof html !== 'string') return fail('ERR_EXTRACT_NO_ARTICLE', 'Expected the page HTML as a string')
  const url = options?.url
  let page: URL
  try {
    page = new URL(String(url))
  } catch {
    return fail('ERR_EXTRACT_NO_ARTICLE', `Expected an absolute URL for the page, got \`${String(url)}\``)
  }
  if (byteLengthOver(html, MAX_HTML_BYTES))
    return fail('ERR_EXTRACT_TOO_LARGE', `Page HTML exceeds ${MAX_HTML_BYTES} bytes: ${page.href}`)
  if (isRootPath(page)) return fail('ERR_EXTRACT_HOME_PAGE', `The page is a site's home page: ${page.href}`)

  const doc = parsePage(html)
  const meta = readMetadata(doc, page.href)
  if (meta.canonical !== undefined) {
    try {
      if (isRootPath(new URL(meta.canonical)))
        return fail('ERR_EXTRACT_HOME_PAGE', `The page's canonical URL is its site's root: ${page.href}`)
    } catch {}
  }
  const passwordForm = findAll(doc, (e) => e.name === 'input' && (e.attribs.type ?? '').toLowerCase() === 'password')
  for (const el of findAll(doc, (e) => STRIP_TAGS.has(e.name))) remove(el)

  const found = byRule(doc, page, options.rules, meta) ?? byJsonLd(meta, page) ?? byReadability(doc, page, meta)
  const wall = () => meta.paywalled === true || hasLoginMarker(doc)
  if (found === undefined) {
    if (passwordForm.length > 0 || wall())
      return fail('ERR_EXTRACT_LOGIN_WALL', `The page asks to log in or subscribe: ${page.href}`)
    if (hasConsentMarker(plainText(doc)))
      return fail('ERR_EXTRACT_CONSENT', `The page is a cookie or consent wall: ${page.href}`)
    return fail('ERR_EXTRACT_NO_ARTICLE', `No article found on the page: ${page.href}`)
  }
  if ((found.textLength < WALL_TEXT && wall()) || (passwordForm.length > 0 && found.bodyTextLength < MIN_TEXT))
    return fail('ERR_EXTRACT_LOGIN_WALL', `The page shows only a preview behind a login wall: ${page.href}`)
  if (found.method !== 'rule' && found.textLength < 1500 && hasConsentMarker(found.html))
    return fail('ERR_EXTRACT_CONSENT', `The page is a cookie or consent wall: ${page.href}`)
  const teaser = options.teaser === undefined ? 0 : collapse(String(options.teaser)).length
  if (found.textLength < teaser || found.bodyTextLength === 0)
    return fail(
      'ERR_EXTRACT_TOO_SHORT',
      `The extracted article (${found.textLength} characters) is shorter than the feed's teaser (${teaser}): ${page.href}`,
    )
  const { bodyTextLength: _, ...result } = found
  return result
}

type Found = Success & { bodyTextLength: number }

function collapse(value: string): string {
  return value.replace(/\s+/g, ' ').trim()
}

function hostMatches(host: string, ruleHost: string): boolean {
  const h = ruleHost
    .trim()
    .toLowerCase()
    .replace(/^www\./, '')
  return h !== '' && (host === h || host.endsWith(`.${h}`))
}

function validRule(rule: unknown): rule is ExtractRule {
  if (typeof rule !== 'object' || rule === null) return false
  const r = rule as Record<string, unknown>
  return typeof r.host === 'string' && typeof r.body === 'string'
}

function select(doc: Document, selector: string | undefined): Element | undefined {
  return typeof selector === 'string' && selector.trim() !== '' ? selectFirst(doc, selector) : undefined
}

/** The first element of `body` that carries text (the first paragraph), for the repeated-lead test. */
function firstTextBlock(body: Element): Element | undefined {
  return findAll(body, (e) => (e.name === 'p' || e.name === 'h2' || e.name === 'div') && plainText(e) !== '', 1)[0]
}

function dateOf(el: Element | undefined): string | undefined {
  if (el === undefined) return undefined
  const attr = el.attribs.datetime ?? el.attribs.content ?? el.attribs['data-time'] ?? el.attribs.title
  const v = collapse(attr !== undefined && attr.trim() !== '' ? attr : plainText(el))
  return v === '' ? undefined : v
}

function bylineOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const v = collapse(value)
    .replace(/^(?:tác giả|bài và ảnh|bài, ảnh|bài|by)\s*:\s*/iu, '')
    .trim()
  return v === '' || v.length > 200 ? undefined : v
}

function titleOf(meta: PageMetadata): string | undefined {
  let t = meta.title
  if (t === undefined) return undefined
  const site = meta.siteName
  if (site !== undefined) {
    for (const sep of [' - ', ' | ', ' – ', ' — ']) {
      if (t.endsWith(`${sep}${site}`)) t = t.slice(0, -(sep.length + site.length)).trim()
    }
  }
  return t === '' ? undefined : t
}

function withTitle(options: CleanOptions, meta: PageMetadata): CleanOptions {
  const title = titleOf(meta)
  return title === undefined ? options : { ...options, title }
}

function withLead(lead: string | undefined, html: string): string {
  return lead === undefined ? html : `<p>${escapeText(lead)}</p>${html}`
}

function common(meta: PageMetadata): Partial<Success> {
  const out: Partial<Success> = {}
  if (meta.published !== undefined) out.published = meta.published
  if (meta.publisher !== undefined) out.publisher = meta.publisher
  if (meta.image !== undefined) out.image = meta.image
  if (meta.canonical !== undefined) out.canonical = meta.canonical
  const byline = bylineOf(meta.byline)
  if (byline !== undefined) out.byline = byline
  const title = titleOf(meta)
  if (title !== undefined) out.title = title
  return out
}

function byRule(
  doc: Document,
  page: URL,
  configRules: readonly ExtractRule[] | undefined,
  meta: PageMetadata,
): Found | undefined {
  const host = page.hostname.toLowerCase()
  const rules = [...(Array.isArray(configRules) ? configRules : []), ...EXTRACT_RULES]
  for (const rule of rules) {
    if (!validRule(rule) || !hostMatches(host, rule.host)) continue
    const found = applyRule(doc, page, rule, rule.host, meta)
    if (found !== undefined) return found
  }
  // no rule of the host's gave a body: a shipped CMS recognised by its markup (cheaper than the fallbacks)
  for (const layout of LAYOUTS) {
    if (selectFirst(doc, layout.signature) === undefined) continue
    const found = applyRule(doc, page, layout.rule, `layout:${layout.name}`, meta)
    if (found !== undefined) return found
  }
  return undefined
}

function applyRule(doc: Document, page: URL, rule: ExtractRule, name: string, meta: PageMetadata): Found | undefined {
  const body = select(doc, rule.body)
  if (body === undefined) return undefined
  const leadEl = select(doc, rule.lead)
  const titleEl = select(doc, rule.title)
  const bylineEl = select(doc, rule.byline)
  const dateEl = select(doc, rule.date)
  const skip = new Set<Element>()
  for (const el of [leadEl, titleEl, bylineEl, dateEl]) if (el !== undefined && contains(body, el)) skip.add(el)
  const leadText = leadEl === undefined ? '' : plainText(leadEl)
  const lead = leadText === '' ? undefined : leadText
  if (lead !== undefined) {
    // The sapo repeated as the body's first paragraph: keep it once.
    const first = firstTextBlock(body)
    if (first !== undefined && !skip.has(first) && plainText(first) === lead) skip.add(first)
  }
  const cleaned = cleanBody(body, {
    base: page.href,
    ...(Array.isArray(rule.remove) ? { remove: rule.remove.filter((s) => typeof s === 'string') } : {}),
    skip,
  })
  if (cleaned.textLength < MIN_RULE_TEXT) return undefined
  const result: Found = {
    ok: true,
    method: 'rule',
    rule: name,
    ...common(meta),
    html: withLead(lead, cleaned.html),
    textLength: cleaned.textLength + (lead?.length ?? 0),
    bodyTextLength: cleaned.textLength,
  }
  if (lead !== undefined) result.lead = lead
  const title = titleEl === undefined ? '' : plainText(titleEl)
  if (title !== '') result.title = title
  const byline = bylineEl === undefined ? undefined : bylineOf(plainText(bylineEl))
  if (byline !== undefined) result.byline = byline
  const date = dateOf(dateEl)
  if (date !== undefined && meta.published === undefined) result.published = date
  else if (date !== undefined && !/\d{4}-\d{2}-\d{2}/.test(meta.published ?? '')) result.published = date
  return result
}

function byJsonLd(meta: PageMetadata, page: URL): Found | undefined {
  const text = meta.articleBody
  if (text === undefined || collapse(text).length < MIN_TEXT) return undefined
  let html: string
  let textLength: number
  if (/<[a-z][^>]*>/i.test(text)) {
    const doc = parsePage(text)
    const cleaned = cleanBody(createElement('div', {}, doc.children), withTitle({ base: page.href }, meta))
    html = cleaned.html
    textLength = cleaned.textLength
  } else {
    const paragraphs = text
      .split(/\r?\n|\u2028/)
      .map(collapse)
      .filter((p) => p !== '')
    html = paragraphs.map((p) => `<p>${escapeText(p)}</p>`).join('')
    textLength = paragraphs.reduce((n, p) => n + p.length, 0)
  }
  if (textLength < MIN_TEXT) return undefined
  return { ok: true, method: 'json-ld', ...common(meta), html, textLength, bodyTextLength: textLength }
}

function byReadability(doc: Document, page: URL, meta: PageMetadata): Found | undefined {
  pruneBoilerplate(doc)
  const article = readable(outerHtml(doc))
  if (article === undefined) return undefined
  const content = parsePage(article.content)
  const cleaned = cleanBody(createElement('div', {}, content.children), withTitle({ base: page.href }, meta))
  if (cleaned.textLength < MIN_TEXT) return undefined
  const result: Found = {
    ok: true,
    method: 'readability',
    ...common(meta),
    html: cleaned.html,
    textLength: cleaned.textLength,
    bodyTextLength: cleaned.textLength,
  }
  if (result.title === undefined && article.title !== undefined) result.title = article.title
  const byline = bylineOf(article.byline)
  if (result.byline === undefined && byline !== undefined) result.byline = byline
  return result
}

const LOGIN_MARKERS =
  /đăng nhập để (?:đọc|xem|tiếp tục)|đăng ký để (?:đọc|xem)|để đọc tiếp|để đọc toàn bộ|để xem toàn bộ|để xem tiếp|nội dung (?:này )?(?:chỉ )?dành cho (?:thành viên|hội viên|tài khoản|bạn đọc trả phí)|bài viết dành cho (?:thành viên|hội viên)|nội dung trả phí|mua gói|log in to (?:read|continue)|sign in to (?:read|continue)|subscribe to (?:read|continue)|subscribers only/iu
const PAYWALL_CLASS =
  /(?:^|[\s_-])(?:paywall|pay-wall|premium-lock|login-wall|loginwall|locked-content|subscriber-only)(?:$|[\s_-])/i

function hasLoginMarker(doc: Document): boolean {
  if (
    findAll(doc, (e) => PAYWALL_CLASS.test(e.attribs.class ?? '') || PAYWALL_CLASS.test(e.attribs.id ?? ''), 1).length >
    0
  )
    return true
  return LOGIN_MARKERS.test(plainText(doc))
}

const CONSENT_MARKERS =
  /(?:chúng tôi|trang web|website)[^.]{0,60}\bcookie|chấp nhận (?:tất cả )?cookie|đồng ý (?:sử dụng )?cookie|cookie consent|we use cookies|accept (?:all )?cookies|manage (?:your )?(?:cookie )?(?:preferences|consent)|your privacy choices|we value your privacy/iu

function hasConsentMarker(text: string): boolean {
  return CONSENT_MARKERS.test(text)
}
