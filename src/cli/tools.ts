/**
 * The operator's tools besides `run`: `check <url|file>` (one feed through fetch → parse → normalize, for debugging
 * a site), `discover <page-url>`, `import-opml <file>` and `export-opml`. Each stage is loaded when used.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Article } from '../types.js'
import { loadConfig, mergeSourcesIntoConfig } from './config.js'
import { EXIT, exitCodeForError } from './exit-codes.js'
import { createUi } from './ui.js'
import { vnTime } from './vn-time.js'

export interface ToolFlags {
  config?: string
  json?: boolean
  quiet?: boolean
  verbose?: boolean
  allowPrivate?: boolean
  timeZone?: string
  merge?: boolean
  /** check: also fetch each item's page and show what extraction gives. */
  full?: boolean
}

/** An http(s)/file URL as given, or a local path as a file: URL. */
function toFeedUrl(target: string, cwd = process.cwd()): string {
  return /^(https?|file):/i.test(target) ? target : pathToFileURL(resolve(cwd, target)).href
}

export async function checkCommand(target: string, flags: ToolFlags): Promise<number> {
  const ui = createUi({ ...(flags.quiet ? { quiet: true } : {}), ...(flags.verbose ? { verbose: true } : {}) })
  try {
    const [{ fetchFeed }, { parseFeed }, { normalizeFeed }] = await Promise.all([
      import('../fetch/index.js'),
      import('../parse/index.js'),
      import('../normalize/index.js'),
    ])
    const url = toFeedUrl(target)
    const fetched = await fetchFeed(url, {
      allowFile: url.startsWith('file:'),
      ...(flags.allowPrivate ? { allowPrivateNetwork: true } : {}),
    })
    const body = fetched.text ?? fetched.bytes ?? ''
    const feed = await parseFeed(body, {
      url: fetched.url,
      ...(fetched.contentType ? { contentType: fetched.contentType } : {}),
      ...(flags.timeZone ? { timeZone: flags.timeZone } : {}),
    })
    const result = normalizeFeed(feed, {
      source: { id: 'check', url, ...(feed.title ? { name: feed.title } : {}) },
      ...(flags.timeZone ? { timeZone: flags.timeZone } : {}),
    })
    const pages = flags.full
      ? await (await import('./extract.js')).checkPages(feed.items, flags, url.startsWith('file:'))
      : undefined
    const pageOf = new Map(pages?.map((p) => [p.index, p]))
    if (flags.json) {
      const { items: _items, ...meta } = feed
      process.stdout.write(
        `${JSON.stringify(
          {
            url: fetched.url,
            httpStatus: fetched.httpStatus,
            ...(fetched.charset ? { charset: fetched.charset } : {}),
            feed: { ...meta, items: feed.items.length },
            articles: result.articles,
            skipped: result.skipped,
            warnings: result.warnings,
            ...(pages ? { pages } : {}),
          },
          null,
          2,
        )}\n`,
      )
    } else {
      const out: string[] = []
      out.push(`${feed.format.toUpperCase()}${feed.version ? ` ${feed.version}` : ''} · ${feed.title ?? '(untitled)'}`)
      out.push(`${fetched.url} · HTTP ${fetched.httpStatus}${fetched.charset ? ` · ${fetched.charset}` : ''}`)
      out.push(`${feed.items.length} items → ${result.articles.length} articles, ${result.skipped.length} skipped`)
      for (const w of feed.warnings) out.push(`  warning ${w.code}: ${w.message}`)
      for (const s of result.skipped) out.push(`  skipped item ${s.index} ${s.code}: ${s.message}`)
      for (const w of result.warnings) out.push(`  warning item ${w.index} ${w.code}: ${w.message}`)
      const { describePageCheck } = pages ? await import('./extract.js') : { describePageCheck: undefined }
      const byLink = new Map(feed.items.map((item, index) => [item.link, index]))
      for (const [i, a] of result.articles.entries()) {
        out.push('', ...describeArticle(a, i + 1))
        const page = describePageCheck && pageOf.get(byLink.get(a.url) ?? -1)
        if (page) out.push(describePageCheck(page))
      }
      process.stdout.write(`${out.join('\n')}\n`)
    }
    return EXIT.OK
  } catch (error) {
    ui.error(error)
    return exitCodeForError(error)
  }
}

function describeArticle(a: Article, n: number): string[] {
  const lines = [`${n}. ${a.title}`, `   ${vnTime(a.published.getTime())} (giờ Việt Nam) · ${a.url}`]
  const facts = [
    a.credit ? `credit: ${a.credit.text}${a.credit.name ? ` → ${a.credit.name}` : ''}` : undefined,
    a.author ? `by ${a.author}` : undefined,
    a.images.length ? `${a.images.length} image${a.images.length > 1 ? 's' : ''}` : undefined,
    a.categories.length ? a.categories.join(', ') : undefined,
  ].filter(Boolean)
  if (facts.length) lines.push(`   ${facts.join(' · ')}`)
  for (const img of a.images) {
    if (img.caption || img.credit)
      lines.push(`   [ảnh] ${img.caption ?? ''}${img.credit ? ` (Ảnh: ${img.credit})` : ''}`)
  }
  const lead = a.summary ?? a.text[0]
  if (lead) lines.push(`   ${lead.length > 200 ? `${lead.slice(0, 199)}…` : lead}`)
  return lines
}

export async function discoverCommand(pageUrl: string, flags: ToolFlags): Promise<number> {
  const ui = createUi({ ...(flags.quiet ? { quiet: true } : {}) })
  try {
    const { discoverFeeds } = await import('../sources/index.js')
    const feeds = await discoverFeeds(pageUrl, { ...(flags.allowPrivate ? { allowPrivateNetwork: true } : {}) })
    if (flags.json) process.stdout.write(`${JSON.stringify(feeds, null, 2)}\n`)
    else {
      for (const f of feeds) {
        process.stdout.write(`${f.url}${f.type ? `  ${f.type}` : ''}${f.title ? `  ${f.title}` : ''}\n`)
      }
      if (feeds.length === 0) ui.logger.warn({ url: pageUrl }, 'no feeds found on the page')
    }
    return feeds.length === 0 ? EXIT.FAILED : EXIT.OK
  } catch (error) {
    ui.error(error)
    return exitCodeForError(error)
  }
}

/** `import-opml <file>`: print the OPML's feeds as config `sources`, or `--merge` them into the config file. */
export async function importOpmlCommand(file: string, flags: ToolFlags): Promise<number> {
  const ui = createUi({ ...(flags.quiet ? { quiet: true } : {}) })
  try {
    const { resolveSources } = await import('../sources/index.js')
    const opml = /^https?:/i.test(file) ? file : resolve(file)
    const sources = await resolveSources({ opml }, { baseDir: process.cwd() })
    const entries = sources.map((s) => ({ url: s.url, ...(s.name ? { name: s.name } : {}) }))
    if (flags.merge) {
      const { findConfigFile } = await import('./config.js')
      const target = findConfigFile(flags.config)
      const added = mergeSourcesIntoConfig(target, entries)
      // validate what we wrote, so a merge never leaves a config the next run rejects silently
      loadConfig(target)
      ui.logger.warn({ file: target, added, total: entries.length }, `added ${added} of ${entries.length} sources`)
    } else {
      process.stdout.write(`${JSON.stringify({ sources: entries.map((e) => (e.name ? e : e.url)) }, null, 2)}\n`)
    }
    return EXIT.OK
  } catch (error) {
    ui.error(error)
    return exitCodeForError(error)
  }
}

/** `export-opml`: the config's sources as OPML 2.0 on stdout. */
export async function exportOpmlCommand(flags: ToolFlags): Promise<number> {
  const ui = createUi({ ...(flags.quiet ? { quiet: true } : {}) })
  try {
    const { options } = loadConfig(flags.config)
    const { resolveSources } = await import('../sources/index.js')
    const sources = await resolveSources(options.sources, { baseDir: options.baseDir })
    process.stdout.write(renderOpml(options.feed.title, sources))
    return EXIT.OK
  } catch (error) {
    ui.error(error)
    return exitCodeForError(error)
  }
}

export function renderOpml(
  title: string,
  sources: { id: string; url: string; name?: string }[],
  now = new Date(),
): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${xml(title)}</title>`,
    `    <dateCreated>${now.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...sources.map((s) => {
      const text = xml(s.name ?? s.id)
      return `    <outline type="rss" text="${text}" title="${text}" xmlUrl="${xml(s.url)}"/>`
    }),
    '  </body>',
    '</opml>',
  ]
  return `${lines.join('\n')}\n`
}

function xml(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}
