import { readFile } from 'node:fs/promises'
import { basename, extname, resolve as resolvePath } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ConfigError, type ConfigErrorContext, FetchError } from '../errors.js'
import { type FetchOptions, fetchFeed } from '../fetch/index.js'
import type { Source, SourceRules } from '../types.js'
import { readOpml } from './opml.js'
import type { ResolveSourcesOptions, SourceConfig, SourcesInput } from './types.js'

/**
 * The sources of a config: each entry a URL, a local path (becomes a `file:` URL resolved against `baseDir`) or an
 * object; or `{ opml }`, an OPML file (path or http(s) URL). Ids are kept when given and derived from the URL
 * otherwise (stable: host and path as a slug, `-2`, `-3` … on collisions). Throws ConfigError naming the field.
 */
export async function resolveSources(
  input: SourcesInput,
  options: ResolveSourcesOptions & { fetch?: FetchOptions } = {},
): Promise<Source[]> {
  const prefix = options.path ?? 'sources'
  const baseDir = options.baseDir ?? process.cwd()
  const fileContext = options.file === undefined ? {} : { file: options.file }
  const invalid = (path: string, message: string) =>
    new ConfigError('ERR_CONFIG_INVALID', message, { ...fileContext, path })

  if (!Array.isArray(input)) {
    if (input === null || typeof input !== 'object' || typeof (input as { opml?: unknown }).opml !== 'string') {
      throw invalid(prefix, `Expected \`${prefix}\` to be an array of URLs, paths or objects, or { opml: "<file>" }`)
    }
    const location = (input as { opml: string }).opml
    const { text, file, base } = await loadOpml(location, baseDir, options.fetch, `${prefix}.opml`, fileContext)
    const configs = readOpml(text, { file })
    return resolveList(configs, { ...options, baseDir: base, path: `${prefix}.opml` }, file)
  }
  return resolveList(input, { ...options, baseDir, path: prefix }, options.file)
}

async function loadOpml(
  location: string,
  baseDir: string,
  fetchOptions: FetchOptions | undefined,
  path: string,
  context: ConfigErrorContext,
): Promise<{ text: string; file: string; base: string }> {
  if (/^https?:\/\//i.test(location)) {
    try {
      const result = await fetchFeed(location, fetchOptions)
      return { text: result.text ?? '', file: result.url, base: baseDir }
    } catch (error) {
      const code = error instanceof FetchError ? error.code : 'ERR_FETCH_NETWORK'
      throw new ConfigError('ERR_CONFIG_NOT_FOUND', `Could not fetch the OPML file ${location} (${code})`, {
        ...context,
        path,
        url: location,
        cause: error,
      })
    }
  }
  const file = location.startsWith('file:') ? fileURLToPath(location) : resolvePath(baseDir, location)
  try {
    const text = await readFile(file, 'utf8')
    return { text, file, base: resolvePath(file, '..') }
  } catch (error) {
    throw new ConfigError('ERR_CONFIG_NOT_FOUND', `Could not read the OPML file ${file}`, {
      ...context,
      path,
      file,
      cause: error,
    })
  }
}

function resolveList(
  entries: readonly unknown[],
  options: ResolveSourcesOptions & { baseDir: string; path: string },
  file: string | undefined,
): Source[] {
  const fileContext = file === undefined ? {} : { file }
  const invalid = (path: string, message: string) =>
    new ConfigError('ERR_CONFIG_INVALID', message, { ...fileContext, path })
  const sources: (Source & { derived: boolean })[] = []
  const given = new Map<string, string>()

  entries.forEach((entry, index) => {
    const at = `${options.path}[${index}]`
    const config: SourceConfig | undefined =
      typeof entry === 'string'
        ? { url: entry }
        : entry !== null && typeof entry === 'object' && !Array.isArray(entry)
          ? (entry as SourceConfig)
          : undefined
    if (!config) throw invalid(at, `Expected \`${at}\` to be a URL, a path or an object with a url`)
    const urlPath = typeof entry === 'string' ? at : `${at}.url`
    if (typeof config.url !== 'string' || config.url.trim() === '') {
      throw invalid(urlPath, `Expected \`${urlPath}\` to be a non-empty URL or path, got ${show(config.url)}`)
    }
    const url = toSourceUrl(config.url.trim(), options.baseDir, urlPath, invalid)

    const source: Source & { derived: boolean } = { id: '', url, derived: config.id === undefined }
    if (config.id !== undefined) {
      if (typeof config.id !== 'string' || !/^\S(.*\S)?$/.test(config.id) || config.id.startsWith('host:')) {
        throw invalid(
          `${at}.id`,
          `Expected \`${at}.id\` to be a non-empty string without surrounding spaces, not starting "host:", got ${show(config.id)}`,
        )
      }
      const earlier = given.get(config.id)
      if (earlier !== undefined) {
        throw invalid(`${at}.id`, `Duplicate source id "${config.id}" at \`${at}.id\` (also at \`${earlier}\`)`)
      }
      given.set(config.id, `${at}.id`)
      source.id = config.id
    }
    for (const key of ['name', 'credit', 'siteUrl'] as const) {
      const value = config[key]
      if (value === undefined) continue
      if (typeof value !== 'string')
        throw invalid(`${at}.${key}`, `Expected \`${at}.${key}\` to be a string, got ${show(value)}`)
      if (value.trim()) source[key] = value.trim()
    }
    if (config.timeZone !== undefined) {
      if (typeof config.timeZone !== 'string' || !isTimeZone(config.timeZone)) {
        throw invalid(
          `${at}.timeZone`,
          `Expected \`${at}.timeZone\` to be an IANA time zone such as "Asia/Ho_Chi_Minh", got ${show(config.timeZone)}`,
        )
      }
      source.timeZone = config.timeZone
    }
    if (config.rules !== undefined) source.rules = checkRules(config.rules, `${at}.rules`, invalid)
    if (config.fullText !== undefined) {
      if (config.fullText !== 'auto' && config.fullText !== 'always' && config.fullText !== 'never') {
        throw invalid(
          `${at}.fullText`,
          `Expected \`${at}.fullText\` to be "auto", "always" or "never", got ${show(config.fullText)}`,
        )
      }
      source.fullText = config.fullText
    }
    sources.push(source)
  })

  const taken = new Set(given.keys())
  for (const source of sources) {
    if (!source.derived) continue
    const base = deriveId(source.url)
    let id = base
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
    taken.add(id)
    source.id = id
  }
  return sources.map(({ derived: _derived, ...source }) => source)
}

function show(value: unknown): string {
  return `\`${value === undefined ? 'undefined' : JSON.stringify(value)}\``
}

function toSourceUrl(
  value: string,
  baseDir: string,
  path: string,
  invalid: (path: string, message: string) => ConfigError,
): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase()
  // "C:\feeds\a.xml" is a Windows path, not a URL with scheme "c".
  if (scheme && scheme.length > 1) {
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'file') {
      throw invalid(path, `Expected \`${path}\` to be an http(s) URL or a local path, got ${show(value)}`)
    }
    try {
      const url = new URL(value)
      if (scheme !== 'file' && !url.hostname) throw new Error('no host')
      return url.href
    } catch {
      throw invalid(path, `Expected \`${path}\` to be a valid URL, got ${show(value)}`)
    }
  }
  return pathToFileURL(resolvePath(baseDir, value)).href
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

function checkRules(
  rules: unknown,
  path: string,
  invalid: (path: string, message: string) => ConfigError,
): SourceRules {
  if (rules === null || typeof rules !== 'object' || Array.isArray(rules)) {
    throw invalid(path, `Expected \`${path}\` to be an object`)
  }
  const value = rules as Record<string, unknown>
  if (
    value.remove !== undefined &&
    !(Array.isArray(value.remove) && value.remove.every((s) => typeof s === 'string'))
  ) {
    throw invalid(`${path}.remove`, `Expected \`${path}.remove\` to be an array of selectors`)
  }
  for (const key of ['captionSelector', 'creditPattern', 'credit']) {
    if (value[key] !== undefined && typeof value[key] !== 'string') {
      throw invalid(`${path}.${key}`, `Expected \`${path}.${key}\` to be a string, got ${show(value[key])}`)
    }
  }
  if (typeof value.creditPattern === 'string') {
    try {
      new RegExp(value.creditPattern, 'u')
    } catch (error) {
      throw invalid(
        `${path}.creditPattern`,
        `\`${path}.creditPattern\` is not a valid regular expression: ${(error as Error).message}`,
      )
    }
  }
  return value as SourceRules
}

/** `baothaibinh.com.vn/rss/thoi-su.rss` → `baothaibinh-com-vn-rss-thoi-su`; a file → `file-<name>`. */
export function deriveId(url: string): string {
  const parsed = new URL(url)
  if (parsed.protocol === 'file:') {
    const name = basename(decodeURIComponent(parsed.pathname))
    return `file-${slug(name.slice(0, name.length - extname(name).length)) || 'feed'}`
  }
  const host = parsed.hostname.replace(/^www\./, '')
  const path = parsed.pathname.replace(/\.(rss|xml|atom|json|rdf|php|aspx?|html?)$/i, '')
  return slug(`${host} ${parsed.port} ${path} ${parsed.search}`) || 'feed'
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
}
