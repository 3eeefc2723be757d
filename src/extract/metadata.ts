/**
 * Structured data of an article page: JSON-LD (NewsArticle / Article / ReportageNewsArticle, also inside @graph
 * arrays; broken JSON repaired where cheap), Open Graph, `article:*` and `<meta name=author>`, `<link
 * rel=canonical>`. These fill the result's fields whichever method gave the body.
 */
import { type Document, type Element, findAll, textOf } from './dom.js'

export interface PageMetadata {
  title?: string | undefined
  byline?: string | undefined
  published?: string | undefined
  publisher?: string | undefined
  image?: string | undefined
  canonical?: string | undefined
  description?: string | undefined
  siteName?: string | undefined
  ogType?: string | undefined
  /** JSON-LD articleBody, plain text. */
  articleBody?: string | undefined
  /** JSON-LD says the article is not free to read. */
  paywalled?: boolean | undefined
  /** A JSON-LD article node was found. */
  hasArticleLd: boolean
}

const ARTICLE_TYPES = new Set([
  'newsarticle',
  'article',
  'reportagenewsarticle',
  'analysisnewsarticle',
  'opinionnewsarticle',
  'backgroundnewsarticle',
  'reviewnewsarticle',
  'blogposting',
  'liveblogposting',
  'report',
])

/** JSON-LD text longer than this is not read. */
const MAX_JSON_LD = 2 * 1024 * 1024

type Json = unknown

function parseJson(text: string): Json | undefined {
  const trimmed = text
    .trim()
    .replace(/^<!--|-->$/g, '')
    .replace(/^\s*\/\/\s*<!\[CDATA\[|\/\/\s*\]\]>\s*$/g, '')
    .trim()
  if (trimmed === '') return undefined
  try {
    return JSON.parse(trimmed)
  } catch {
    // Common breakage: raw newlines and tabs inside strings, trailing commas, several objects back to back.
    const repaired = repairJson(trimmed)
    try {
      return JSON.parse(repaired)
    } catch {
      try {
        return JSON.parse(`[${repaired}]`)
      } catch {
        return undefined
      }
    }
  }
}

/**
 * Escapes raw control characters inside strings (CMSes paste articleBody with its newlines), drops trailing commas
 * and joins back-to-back objects. One pass over the text.
 */
function repairJson(text: string): string {
  const out: string[] = []
  let inString = false
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
      else if (c < 0x20) {
        out.push(text.slice(start, i), c === 0x0a ? '\\n' : c === 0x09 ? '\\t' : ' ')
        start = i + 1
      }
    } else if (c === 0x22) inString = true
  }
  out.push(text.slice(start))
  return out
    .join('')
    .replace(/,\s*([}\]])/g, '$1')
    .replace(/}\s*{/g, '},{')
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const t = value.replace(/\s+/g, ' ').trim()
    return t === '' ? undefined : t
  }
  if (typeof value === 'number') return String(value)
  return undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function typesOf(node: Record<string, unknown>): string[] {
  const t = node['@type']
  if (typeof t === 'string') return [t.toLowerCase()]
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase())
  return []
}

/** The article nodes of a JSON-LD value, breadth-first, bounded. */
function articleNodes(root: Json): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  const queue: Json[] = [root]
  let seen = 0
  while (queue.length > 0 && seen < 2000) {
    const v = queue.shift()
    seen++
    if (Array.isArray(v)) {
      for (const x of v) queue.push(x)
      continue
    }
    if (!isRecord(v)) continue
    if (typesOf(v).some((t) => ARTICLE_TYPES.has(t))) out.push(v)
    const graph = v['@graph']
    if (Array.isArray(graph)) for (const x of graph) queue.push(x)
    const main = v.mainEntity ?? v.mainEntityOfPage
    if (isRecord(main) || Array.isArray(main)) queue.push(main)
  }
  return out
}

function names(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => names(v)).slice(0, 20)
  if (isRecord(value)) {
    const n = str(value.name)
    return n === undefined ? [] : [n]
  }
  const s = str(value)
  return s === undefined ? [] : [s]
}

function imageOf(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const u = imageOf(v)
      if (u !== undefined) return u
    }
    return undefined
  }
  if (isRecord(value)) return str(value.url) ?? str(value.contentUrl) ?? str(value['@id'])
  return str(value)
}

export function absolute(value: string | undefined, base: string): string | undefined {
  if (value === undefined) return undefined
  try {
    const u = new URL(value.trim(), base)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined
  } catch {
    return undefined
  }
}

/** Reads the page's structured data. `url` is the base for relative URLs. */
export function readMetadata(doc: Document, url: string): PageMetadata {
  const meta: PageMetadata = { hasArticleLd: false }
  const metas = new Map<string, string>()
  let canonical: string | undefined
  let titleText: string | undefined
  const scripts: Element[] = []
  for (const el of findAll(
    doc,
    (e) => e.name === 'meta' || e.name === 'link' || e.name === 'script' || e.name === 'title',
  )) {
    if (el.name === 'meta') {
      const key = (el.attribs.property ?? el.attribs.name ?? el.attribs.itemprop ?? '').trim().toLowerCase()
      const content = el.attribs.content
      if (key !== '' && content !== undefined && !metas.has(key)) metas.set(key, content)
    } else if (el.name === 'link') {
      const rel = (el.attribs.rel ?? '').toLowerCase().split(/\s+/)
      if (canonical === undefined && rel.includes('canonical') && el.attribs.href !== undefined)
        canonical = el.attribs.href
    } else if (el.name === 'script') {
      if ((el.attribs.type ?? '').trim().toLowerCase() === 'application/ld+json') scripts.push(el)
    } else if (titleText === undefined) {
      titleText = str(textOf(el))
    }
  }
  let budget = MAX_JSON_LD
  for (const script of scripts) {
    const text = script.children.map((c) => ('data' in c ? c.data : '')).join('')
    if (text.length > budget) continue
    budget -= text.length
    const json = parseJson(text)
    if (json === undefined) continue
    for (const node of articleNodes(json)) {
      meta.hasArticleLd = true
      meta.title ??= str(node.headline) ?? str(node.name)
      meta.published ??= str(node.datePublished) ?? str(node.dateCreated)
      if (meta.byline === undefined) {
        const authors = names(node.author)
        if (authors.length > 0) meta.byline = [...new Set(authors)].join(', ')
      }
      if (meta.publisher === undefined) meta.publisher = names(node.publisher)[0]
      meta.image ??= absolute(imageOf(node.image) ?? imageOf(node.thumbnailUrl), url)
      meta.description ??= str(node.description)
      if (meta.articleBody === undefined && typeof node.articleBody === 'string' && node.articleBody.trim() !== '')
        meta.articleBody = node.articleBody
      if (
        node.isAccessibleForFree === false ||
        node.isAccessibleForFree === 'False' ||
        node.isAccessibleForFree === 'false'
      )
        meta.paywalled = true
    }
  }
  const m = (key: string) => str(metas.get(key))
  meta.title ??= m('og:title') ?? m('twitter:title') ?? titleText
  meta.published ??=
    m('article:published_time') ??
    m('datepublished') ??
    m('pubdate') ??
    m('publishdate') ??
    m('dc.date.issued') ??
    m('dc.date') ??
    m('og:published_time')
  meta.byline ??= m('author') ?? m('dc.creator') ?? nonUrl(m('article:author'))
  meta.siteName = m('og:site_name')
  meta.publisher ??= meta.siteName
  meta.image ??= absolute(m('og:image') ?? m('og:image:url') ?? m('twitter:image'), url)
  meta.description ??= m('og:description') ?? m('description')
  meta.ogType = m('og:type')?.toLowerCase()
  const c = absolute(canonical, url)
  if (c !== undefined) meta.canonical = c
  for (const key of Object.keys(meta) as (keyof PageMetadata)[]) if (meta[key] === undefined) delete meta[key]
  return meta
}

function nonUrl(value: string | undefined): string | undefined {
  return value === undefined || /^https?:\/\//i.test(value) ? undefined : value
}
