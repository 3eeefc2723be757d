/**
 * The CLI's config file: JSON or YAML (the `yaml` package lives only in this file), validated by resolveOptions.
 * Paths in the file are relative to the file. Every problem is a ConfigError naming the file (and line:column
 * where the text can tell): ERR_CONFIG_NOT_FOUND, ERR_CONFIG_PARSE, ERR_CONFIG_INVALID.
 */
import { existsSync, readFileSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { isMap, isSeq, type Node, parseDocument, type YAMLMap, YAMLSeq } from 'yaml'
import { ConfigError } from '../errors.js'
import { parsePath, type ResolvedOptions, resolveOptions } from '../options.js'
import { writeFileAtomic } from './fs.js'

/** Looked for in this order when `--config` is not given. */
export const DEFAULT_CONFIG_FILES = ['tonghop.config.json', 'tonghop.config.yaml', 'tonghop.config.yml'] as const

export interface LoadedConfig {
  /** Absolute path of the config file. */
  file: string
  /** The file's data as parsed (before defaults). */
  data: Record<string, unknown>
  options: ResolvedOptions
}

/** The config file to use: `explicit` (relative to `cwd`), else the first default name that exists in `cwd`. */
export function findConfigFile(explicit: string | undefined, cwd = process.cwd()): string {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit)
    if (!existsSync(file)) throw new ConfigError('ERR_CONFIG_NOT_FOUND', `Config file not found: ${file}`, { file })
    return file
  }
  for (const name of DEFAULT_CONFIG_FILES) {
    const file = resolve(cwd, name)
    if (existsSync(file)) return file
  }
  throw new ConfigError(
    'ERR_CONFIG_NOT_FOUND',
    `No config file found in ${cwd} (looked for ${DEFAULT_CONFIG_FILES.join(', ')}); create one with \`tonghop init\` or pass --config <file>`,
  )
}

interface ParsedConfigText {
  data: unknown
  /** line/column (1-based) of the value at a dotted path, or of its nearest existing parent. */
  locate(path: string): { line: number; column: number } | undefined
}

/** Read and parse a config file (JSON for `.json`, YAML otherwise) without validating it. */
export function readConfigFile(file: string): ParsedConfigText {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new ConfigError('ERR_CONFIG_NOT_FOUND', `Config file not found: ${file}`, { file })
    throw new ConfigError('ERR_CONFIG_PARSE', `${file}: cannot read the config file: ${(error as Error).message}`, {
      file,
      cause: error,
    })
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  return extname(file).toLowerCase() === '.json' ? parseJsonText(file, text) : parseYamlText(file, text)
}

function parseJsonText(file: string, text: string): ParsedConfigText {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const position = /at position (\d+)/.exec(message)?.[1]
    const at = position === undefined ? endOf(text) : lineColumn(text, Number(position))
    throw new ConfigError(
      'ERR_CONFIG_PARSE',
      `${file}:${at.line}:${at.column}: invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
      { file, cause: error },
    )
  }
  return { data, locate: locator(text) }
}

function parseYamlText(file: string, text: string): ParsedConfigText {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true })
  const first = doc.errors[0]
  if (first) {
    const pos = first.linePos?.[0] ?? lineColumn(text, first.pos[0])
    const line = 'line' in pos ? pos.line : 1
    const column = 'col' in pos ? pos.col : (pos as { column: number }).column
    throw new ConfigError(
      'ERR_CONFIG_PARSE',
      `${file}:${line}:${column}: invalid YAML: ${first.message.split('\n')[0]}`,
      {
        file,
        cause: first,
      },
    )
  }
  return { data: doc.toJS({ maxAliasCount: 100 }) as unknown, locate: locator(text, doc.contents) }
}

/** Find the node at a dotted path in the document (JSON is YAML too) and turn its offset into line:column. */
function locator(text: string, contents?: unknown): ParsedConfigText['locate'] {
  return (path) => {
    let root = contents
    if (root === undefined) {
      const doc = parseDocument(text, { uniqueKeys: false })
      if (doc.errors.length > 0) return undefined
      root = doc.contents
    }
    let node = root as Node | null | undefined
    let found = node
    for (const segment of parsePath(path)) {
      if (isMap(node)) node = (node as YAMLMap).get(segment, true) as Node | undefined
      else if (isSeq(node) && typeof segment === 'number')
        node = (node as YAMLSeq).get(segment, true) as Node | undefined
      else node = undefined
      if (!node) break
      found = node
    }
    const offset = found?.range?.[0]
    return offset === undefined ? undefined : lineColumn(text, offset)
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}

function endOf(text: string): { line: number; column: number } {
  return lineColumn(text, text.length)
}

/**
 * Find, read and validate the config. `override` may change the parsed data before validation (the CLI's
 * `--store`). Validation errors name the file, line and column, the field path and what was expected.
 */
export function loadConfig(
  explicit: string | undefined,
  options: { cwd?: string; override?: (data: Record<string, unknown>) => void } = {},
): LoadedConfig {
  const file = findConfigFile(explicit, options.cwd)
  const parsed = readConfigFile(file)
  const data = parsed.data
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(
      'ERR_CONFIG_INVALID',
      `${file}: Expected the config to be an object with at least \`sources\`, got ${data === null ? 'an empty document' : JSON.stringify(data)}`,
      { file, path: '' },
    )
  }
  const record = data as Record<string, unknown>
  options.override?.(record)
  try {
    return { file, data: record, options: resolveOptions(record, { file }) }
  } catch (error) {
    if (error instanceof ConfigError && error.path !== undefined && error.path !== '') {
      const at = parsed.locate(error.path)
      if (at && error.message.startsWith(`${file}: `)) {
        throw new ConfigError(error.code, `${file}:${at.line}:${at.column}: ${error.message.slice(file.length + 2)}`, {
          file,
          path: error.path,
          cause: error,
        })
      }
    }
    throw error
  }
}

/**
 * Add sources (by URL, skipping ones the config already lists) to a config file, keeping its comments and layout
 * when it is YAML. The file is replaced atomically. Returns how many were added.
 */
export function mergeSourcesIntoConfig(file: string, sources: { url: string; name?: string }[]): number {
  const parsed = readConfigFile(file)
  const data = (parsed.data ?? {}) as { sources?: unknown }
  if (data.sources !== undefined && !Array.isArray(data.sources)) {
    throw new ConfigError('ERR_CONFIG_INVALID', `${file}: \`sources\` is not a list; cannot merge sources into it`, {
      file,
      path: 'sources',
    })
  }
  const existing = new Set(
    ((data.sources as unknown[] | undefined) ?? []).map((s) =>
      typeof s === 'string' ? s : String((s as { url?: unknown }).url),
    ),
  )
  const added = sources
    .filter((s) => !existing.has(s.url) && !existing.has(s.url.replace(/\/$/, '')))
    .map((s) => (s.name ? { url: s.url, name: s.name } : s.url))
  if (added.length === 0) return 0

  if (extname(file).toLowerCase() === '.json') {
    const json = parsed.data as Record<string, unknown>
    json.sources = [...((json.sources as unknown[] | undefined) ?? []), ...added]
    writeFileAtomic(file, `${JSON.stringify(json, null, 2)}\n`)
  } else {
    const doc = parseDocument(readFileSync(file, 'utf8'))
    let seq = doc.get('sources', true)
    if (!isSeq(seq)) {
      seq = new YAMLSeq()
      doc.set('sources', seq)
    }
    for (const entry of added) (seq as YAMLSeq).add(doc.createNode(entry))
    writeFileAtomic(file, doc.toString({ lineWidth: 0 }))
  }
  return added.length
}
