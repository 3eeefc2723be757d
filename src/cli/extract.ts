/**
 * Full text at the command line: `tonghop extract <article-url|file>` prints one page's extracted, normalized
 * Article as JSON; `tonghop check <feed> --full` fetches each item's page and shows what extraction gives (rule,
 * lengths, fields found). Pages are fetched through a fetch session, so robots.txt and the per-host limits hold.
 */
import { type ExtractRule, FULL_TEXT_DEFAULTS } from '../extract/index.js'
import type { PageFetchOutcome } from '../fetch/index.js'
import type { ParsedItem } from '../parse/index.js'
import type { Article, Source } from '../types.js'
import { loadConfig } from './config.js'
import { EXIT, exitCodeForError } from './exit-codes.js'
import type { ToolFlags } from './tools.js'
import { createUi } from './ui.js'

/** A page given on the command line is read with a run's page size limit. */
const PAGE_LIMITS = { maxBytes: FULL_TEXT_DEFAULTS.pageMaxBytes }

/** What extraction gave for one item's page. */
export interface PageCheck {
  index: number
  url: string
  /** Characters of text the feed gave for the item. */
  feedLength: number
  status: 'ok' | 'failed'
  code?: string
  message?: string
  method?: string
  rule?: string
  /** Characters of text of the extracted body. */
  pageLength?: number
  fields?: string[]
}

/** `rules.extract` of the config, when one is given or found. */
async function configRules(flags: ToolFlags): Promise<readonly ExtractRule[] | undefined> {
  if (!flags.config) return undefined
  const { data } = loadConfig(flags.config)
  const rules = (data as { rules?: { extract?: ExtractRule[] } }).rules?.extract
  return rules && rules.length > 0 ? rules : undefined
}

async function openSession(flags: ToolFlags) {
  const { createFetchSession } = await import('../fetch/index.js')
  return createFetchSession({ ...(flags.allowPrivate ? { allowPrivateNetwork: true } : {}) })
}

/** Fetch and extract the page of each item with a link; items without one are left out. */
export async function checkPages(items: ParsedItem[], flags: ToolFlags, file: boolean): Promise<PageCheck[]> {
  const [{ EXTRACTED_FIELDS, extractPage, roughText, teaserText }, { readPageFile }] = await Promise.all([
    import('../threads/index.js'),
    import('../full-text.js'),
  ])
  const rules = await configRules(flags)
  const session = await openSession(flags)
  try {
    const job = { mode: 'always' as const, teaserLength: 0, ...(rules ? { rules } : {}) }
    return await Promise.all(
      items.flatMap((item, index) => {
        const url = item.link
        if (!url || !/^(https?|file):/i.test(url) || (url.startsWith('file:') && !file)) return []
        return [
          (async (): Promise<PageCheck> => {
            const feedLength = teaserText(item).length
            const page = url.startsWith('file:')
              ? await readPageFile(url, url, PAGE_LIMITS)
              : await session.fetchPage(url)
            if (page.status !== 'ok') {
              return { index, url, feedLength, status: 'failed', code: page.code, message: page.message }
            }
            const out = extractPage({ html: page.text, url: page.url }, item, job)
            if (!out.ok) return { index, url, feedLength, status: 'failed', code: out.code, message: out.message }
            const { extraction } = out
            return {
              index,
              url,
              feedLength,
              status: 'ok',
              method: extraction.method,
              ...(extraction.rule ? { rule: extraction.rule } : {}),
              pageLength: roughText(extraction.html).length,
              fields: EXTRACTED_FIELDS.filter((k) => extraction[k]),
            }
          })(),
        ]
      }),
    )
  } finally {
    await session.close()
  }
}

export function describePageCheck(c: PageCheck): string {
  if (c.status === 'failed') return `   [trang] ${c.code}: ${c.message}`
  const how = c.method === 'rule' ? `rule ${c.rule}` : c.method
  return `   [trang] ${how} · feed ${c.feedLength} → page ${c.pageLength} characters · ${c.fields?.join(', ') || 'no metadata'}`
}

/** `tonghop extract <article-url|file>`: one page → one normalized Article, as JSON on stdout. */
export async function extractCommand(target: string, flags: ToolFlags): Promise<number> {
  const ui = createUi({ ...(flags.quiet ? { quiet: true } : {}), ...(flags.verbose ? { verbose: true } : {}) })
  try {
    const { pathToFileURL } = await import('node:url')
    const { resolve } = await import('node:path')
    const url = /^(https?|file):/i.test(target) ? target : pathToFileURL(resolve(target)).href
    const [{ extractPage, withPage }, { normalizeFeed }, { readPageFile }] = await Promise.all([
      import('../threads/index.js'),
      import('../normalize/index.js'),
      import('../full-text.js'),
    ])
    const rules = await configRules(flags)
    let page: PageFetchOutcome
    if (url.startsWith('file:')) page = await readPageFile(url, url, PAGE_LIMITS)
    else {
      const session = await openSession(flags)
      try {
        page = await session.fetchPage(url)
      } finally {
        await session.close()
      }
    }
    if (page.status !== 'ok') {
      ui.logger.error({ url, code: page.code }, page.message)
      return EXIT.FAILED
    }
    const job = { mode: 'always' as const, teaserLength: 0, ...(rules ? { rules } : {}) }
    const extractAt = (link: string) => {
      const item: ParsedItem = { link, categories: [], enclosures: [], media: [], raw: {} }
      return { item, out: extractPage({ html: page.text, url: link }, item, job) }
    }
    let { item, out } = extractAt(page.url)
    // a saved page stands for its canonical URL: that picks the site's rule and is the Article's link
    if (out.ok && page.url.startsWith('file:') && out.canonical && /^https?:/i.test(out.canonical)) {
      ;({ item, out } = extractAt(out.canonical))
    }
    if (!out.ok) {
      ui.logger.error({ url, code: out.code }, out.message)
      return EXIT.FAILED
    }
    const link = item.link as string
    const { origin } = new URL(link)
    const source: Source = { id: 'extract', url: link, ...(origin === 'null' ? {} : { siteUrl: `${origin}/` }) }
    const result = normalizeFeed(
      { format: 'rss', items: [withPage(item, out.extraction)], warnings: [] },
      { source, ...(flags.timeZone ? { timeZone: flags.timeZone } : {}) },
    )
    const article: Article | undefined = result.articles[0]
    if (!article) {
      const why = result.skipped[0]
      ui.logger.error({ url, code: why?.code }, why?.message ?? 'the page gave no article')
      return EXIT.FAILED
    }
    const { html: _html, ...extraction } = out.extraction
    process.stdout.write(`${JSON.stringify({ extraction, article, warnings: result.warnings }, null, 2)}\n`)
    return EXIT.OK
  } catch (error) {
    ui.error(error)
    return exitCodeForError(error)
  }
}
