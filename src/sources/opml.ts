import { ConfigError } from '../errors.js'
import type { Source } from '../types.js'
import { escapeXml, scanTags } from './markup.js'
import type { ReadOpmlOptions, SourceConfig, WriteOpmlOptions } from './types.js'

const NS = 'https://www.npmjs.com/package/tonghop#opml'

/**
 * Source configs from an OPML document: every `<outline>` with an `xmlUrl`, at any depth (folders are outlines
 * without one). `title` (else `text`) becomes the name, `htmlUrl` the site URL; tonghop's own attributes
 * (`tonghop:id`, `tonghop:credit`, `tonghop:timeZone`), written by writeOpml, are read back.
 */
export function readOpml(xml: string, options: ReadOpmlOptions = {}): SourceConfig[] {
  const context = options.file === undefined ? {} : { file: options.file }
  let sawRoot = false
  const configs: SourceConfig[] = []
  for (const tag of scanTags(xml)) {
    if (tag.kind !== 'start') continue
    const name = tag.name.toLowerCase()
    if (name === 'opml') sawRoot = true
    if (name !== 'outline' || !sawRoot) continue
    const attributes = tag.attributes
    const url = (attributes.xmlurl ?? attributes.url ?? '').trim()
    if (!url || (attributes.type !== undefined && /^(link|include)$/i.test(attributes.type) && !attributes.xmlurl)) {
      continue
    }
    const id = attributes['tonghop:id']?.trim()
    // writeOpml puts the id in `text` (which OPML requires) when a source has no name: that is not a name.
    const text = attributes.text?.trim() === id ? undefined : attributes.text
    const title = (attributes.title ?? text ?? '').trim()
    const config: SourceConfig = { url }
    if (id) config.id = id
    if (title) config.name = title
    const credit = attributes['tonghop:credit']?.trim()
    if (credit) config.credit = credit
    const timeZone = attributes['tonghop:timezone']?.trim()
    if (timeZone) config.timeZone = timeZone
    const siteUrl = attributes.htmlurl?.trim()
    if (siteUrl) config.siteUrl = siteUrl
    configs.push(config)
  }
  if (!sawRoot) {
    throw new ConfigError('ERR_CONFIG_PARSE', `Not an OPML document (no <opml> element)${where(options)}`, context)
  }
  return configs
}

function where(options: ReadOpmlOptions): string {
  return options.file === undefined ? '' : `: ${options.file}`
}

/** An OPML 2.0 document listing the sources (one flat outline each), readable by any feed reader. */
export function writeOpml(sources: readonly Source[], options: WriteOpmlOptions = {}): string {
  const title = options.title ?? 'tonghop sources'
  const created = (options.dateCreated ?? new Date()).toUTCString()
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<opml version="2.0" xmlns:tonghop="${NS}">`,
    '  <head>',
    `    <title>${escapeXml(title)}</title>`,
    `    <dateCreated>${escapeXml(created)}</dateCreated>`,
    '  </head>',
    '  <body>',
  ]
  for (const source of sources) {
    const label = source.name ?? source.id
    const attributes: [string, string | undefined][] = [
      ['type', 'rss'],
      ['text', label],
      ['title', source.name],
      ['xmlUrl', source.url],
      ['htmlUrl', source.siteUrl],
      ['tonghop:id', source.id],
      ['tonghop:credit', source.credit],
      ['tonghop:timeZone', source.timeZone],
    ]
    const rendered = attributes
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => `${name}="${escapeXml(value)}"`)
      .join(' ')
    lines.push(`    <outline ${rendered}/>`)
  }
  lines.push('  </body>', '</opml>', '')
  return lines.join('\n')
}
