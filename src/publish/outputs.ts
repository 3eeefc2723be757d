/** The config's `outputs` and `feed`: each output's format, channel fields and limit filled in, paths unique. */
import { extname } from 'node:path'
import type { Fail } from '../internal/config-checks.js'
import { show } from '../internal/schema-errors.js'
import type { OutputFormat } from '../types.js'
import { PUBLISH_DEFAULTS } from './defaults.js'
import type { OutputOptions, ResolvedOutput } from './types.js'

/** Channel defaults of every output. */
export const FEED_DEFAULTS = Object.freeze({
  /** Title of the merged feed. @default 'tonghop' */
  title: 'tonghop',
})

/** Channel metadata shared by every output (each output may override it). */
export interface FeedOptions {
  title?: string
  link?: string
  description?: string
  language?: string
}

const FORMAT_BY_EXTENSION: Record<string, OutputFormat> = {
  '.xml': 'rss',
  '.rss': 'rss',
  '.atom': 'atom',
  '.json': 'json',
  '.html': 'html',
  '.htm': 'html',
}

export function resolveOutputs(
  input: OutputOptions[],
  feedIn: FeedOptions,
  abs: (p: string) => string,
  fail: Fail,
): ResolvedOutput[] {
  const paths = new Map<string, number>()
  return input.map((o, i) => {
    const path = abs(o.path)
    const seen = paths.get(path)
    if (seen !== undefined) {
      fail(`outputs[${i}].path`, `\`outputs[${i}].path\` is the same file as \`outputs[${seen}].path\`: ${path}`)
    }
    paths.set(path, i)
    return resolveOutput(o, i, path, feedIn, fail)
  })
}

function resolveOutput(o: OutputOptions, i: number, path: string, feedIn: FeedOptions, fail: Fail): ResolvedOutput {
  const format = o.format ?? FORMAT_BY_EXTENSION[extname(path).toLowerCase()]
  if (format === undefined) {
    fail(
      `outputs[${i}].format`,
      `Expected \`outputs[${i}].format\` to be one of \`rss\`, \`atom\`, \`json\`, \`html\` (the extension of ${show(o.path)} does not tell)`,
    )
  }
  const link = o.link ?? feedIn.link ?? ''
  if (link === '') {
    fail(
      'feed.link',
      `Expected \`feed.link\` (or \`outputs[${i}].link\`) to be an absolute http(s) URL: the website the merged feed belongs to`,
    )
  }
  if (o.filter?.since !== undefined && typeof o.filter.since === 'string' && Number.isNaN(Date.parse(o.filter.since))) {
    fail(
      `outputs[${i}].filter.since`,
      `Expected \`outputs[${i}].filter.since\` to be an ISO date or a duration in ms, got ${show(o.filter.since)}`,
    )
  }
  const description = o.description ?? feedIn.description
  const language = o.language ?? feedIn.language
  return {
    path,
    format: format as OutputFormat,
    title: o.title ?? feedIn.title ?? FEED_DEFAULTS.title,
    link,
    ...(description === undefined ? {} : { description }),
    ...(language === undefined ? {} : { language }),
    limit: o.limit ?? PUBLISH_DEFAULTS.limit,
    ...(o.filter === undefined ? {} : { filter: o.filter }),
    ...(o.url === undefined ? {} : { url: o.url }),
    ...(o.archive === undefined ? {} : { archive: { pageSize: o.archive.pageSize } }),
  }
}

export function resolveFeed(feedIn: FeedOptions): Readonly<FeedOptions & { title: string; link: string }> {
  return {
    title: feedIn.title ?? FEED_DEFAULTS.title,
    link: feedIn.link ?? '',
    ...(feedIn.description === undefined ? {} : { description: feedIn.description }),
    ...(feedIn.language === undefined ? {} : { language: feedIn.language }),
  }
}
