/**
 * Input options → resolved options. One frozen DEFAULTS, validated once (at construction, never mid-run). Each
 * stage owns its defaults and resolver (sources/options.ts, publish/outputs.ts, normalize/options.ts, extract's and
 * dedupe's options.ts, fetch/defaults.ts); this file composes them.
 * The JSON-shaped part is checked against the JSON Schema that ships with the package
 * (schema/tonghop.config.schema.json — the CLI's config file is the same shape); the code-only parts (a store
 * instance, logger, signal, clock, dispatcher, progress callback) are checked by hand. ajv lives only in this file;
 * its errors are worded in src/internal/schema-errors.ts.
 */
import { dirname, resolve } from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import type { Dispatcher } from 'undici'
import schema from '../schema/tonghop.config.schema.json' with { type: 'json' }
import {
  DEDUPE_DEFAULTS,
  type DedupeOptions,
  type ResolvedDedupeOptions,
  resolveDedupeOptions,
} from './dedupe/index.js'
import { ConfigError } from './errors.js'
import {
  type ExtractRule,
  FULL_TEXT_DEFAULTS,
  type FullTextOptions,
  type ResolvedFullTextOptions,
  resolveFullTextOptions,
} from './extract/index.js'
import { FETCH_DEFAULTS, type FetchDefaults } from './fetch/index.js'
import { deepFreeze, type Fail, isObject, isPlainObject } from './internal/config-checks.js'
import { explain, show } from './internal/schema-errors.js'
import { type Logger, silentLogger } from './logger.js'
import { DEFAULT_TIME_ZONE, type OutletEntry, resolveNormalizeOptions } from './normalize/index.js'
import {
  FEED_DEFAULTS,
  type FeedOptions,
  type OutputOptions,
  PUBLISH_DEFAULTS,
  type ResolvedOutput,
  resolveFeed,
  resolveOutputs,
} from './publish/index.js'
import { resolveSourceOptions, type SourceConfig, type SourcesInput } from './sources/index.js'
import type { StateStore } from './store/types.js'
import type { SourceOutcome, Story } from './types.js'

export { formatPath, parsePath } from './internal/schema-errors.js'
export type { OutputOptions, ResolvedOutput, SourceConfig, SourcesInput }

export type StoreOptions = StateStore | { sqlite: string } | { postgres: string } | { memory: true }

/** What the `onStories` hook is given: the run's new and updated stories (and any a failed call did not deliver). */
export interface StoriesHookEvent {
  stories: Story[]
  /** Ids of the stories that are new since the hook last succeeded. */
  new: string[]
  /** Ids of stories that changed (a newer version of an article). */
  updated: string[]
  /** Aborted when the hook's time (`hooks.timeoutMs`) is up. */
  signal: AbortSignal
}

/** The config's hooks: a command or a URL, called once per run. */
export interface HooksOptions {
  /** `{ command }`: run by /bin/sh with the JSON on stdin (exit 0 is success); `{ url }`: POSTed the JSON (2xx). */
  onStories?: { command: string } | { url: string }
  /** A hook still running after this long is cut and counts as failed. @default 10_000 */
  timeoutMs?: number
}

export interface AggregatorOptions {
  /** The feeds: URLs, file paths or source objects, or `{ opml: <file or URL> }`. */
  sources: SourcesInput
  /** Merged outputs to write. @default [] */
  outputs?: OutputOptions[]
  /** Channel metadata shared by every output (each output may override it). */
  feed?: FeedOptions
  /** Where state lives between runs. @default { sqlite: '.tonghop/state.sqlite' } (relative to `baseDir`) */
  store?: StoreOptions
  fetch?: FetchDefaults
  /** Full text: when an item's article page is fetched and extracted, and how many pages a run may fetch. */
  extract?: FullTextOptions
  dedupe?: DedupeOptions
  normalize?: { timeZone?: string; outlets?: OutletEntry[] }
  /** Site rules: `extract` rules (CSS selectors by host) are tried before the ones tonghop ships. */
  rules?: { extract?: ExtractRule[] }
  publish?: { creditTemplate?: string; alsoPublishedBy?: boolean; hub?: string }
  /** Prune stories published more than `days` ago; 0 keeps everything. @default { days: 30 } */
  retention?: { days: number }
  /**
   * Worker threads that parse and normalize feeds while the main thread fetches, deduplicates and writes; 0 keeps
   * everything in the main thread. @default one less than the available cores (at least 1) for 16 feeds or more, else 0
   */
  threads?: number
  /** Several workers on one shared store (PostgreSQL): how they split a round. */
  share?: {
    /** A worker leases sources in chunks for this long; a killed worker's chunk is taken over after it. @default 120_000 */
    leaseMs?: number
    /** A source fetched by any worker less than this long before a round starts is not fetched again. @default 60_000 */
    freshMs?: number
  }
  /** How `tonghop status` and the sources page read feed health. */
  health?: {
    /** A source that usually publishes daily is stale after this many days without a new item. @default 3 */
    staleDays?: number
  }
  /** A command or URL told of each run's new and updated stories (see `onStories` for the library's callback). */
  hooks?: HooksOptions
  /**
   * Called once per run (not for dry runs) with the new and updated stories, after they are stored. A rejection
   * (or running past `hooks.timeoutMs`) is reported in the run report and the stories are given again next run;
   * it never fails the run. Excludes `hooks.onStories`.
   */
  onStories?: (event: StoriesHookEvent) => void | Promise<void>
  /** Relative paths resolve against it. @default the config file's directory, else `process.cwd()` */
  baseDir?: string
  /** pino-shaped logger. @default silent */
  logger?: Logger
  signal?: AbortSignal
  /** Clock, for tests. @default () => new Date() */
  now?: () => Date
  /** undici Dispatcher for every request (tests, proxies). */
  dispatcher?: Dispatcher
  /** Called after each source is processed. */
  onProgress?: (event: { done: number; total: number; outcome: SourceOutcome }) => void
}

/** Every fetch default filled in (see FetchDefaults). */
export type ResolvedFetch = Required<Omit<FetchDefaults, 'headers' | 'allowHosts'>> & {
  allowHosts: string[]
  headers: Record<string, string>
}

/** Options with every default filled in, relative paths made absolute, data frozen. */
export interface ResolvedOptions {
  /** File-path sources and the OPML path are absolute. */
  readonly sources: SourcesInput
  readonly outputs: readonly ResolvedOutput[]
  /** `link` is '' only when there are no outputs. */
  readonly feed: {
    readonly title: string
    readonly link: string
    readonly description?: string
    readonly language?: string
  }
  /** A store instance as given, or a spec whose sqlite path is absolute. */
  readonly store: StoreOptions
  readonly fetch: Readonly<ResolvedFetch>
  readonly extract: Readonly<ResolvedFullTextOptions>
  readonly rules: { readonly extract: readonly ExtractRule[] }
  readonly dedupe: Readonly<ResolvedDedupeOptions>
  readonly normalize: { readonly timeZone: string; readonly outlets?: readonly OutletEntry[] }
  readonly publish: { readonly creditTemplate: string; readonly alsoPublishedBy: boolean; readonly hub?: string }
  readonly retention: { readonly days: number }
  /** Undefined: chosen per run from the number of sources (see AggregatorOptions.threads). */
  readonly threads?: number
  readonly share: { readonly leaseMs: number; readonly freshMs: number }
  readonly health: { readonly staleDays: number }
  /** The stories hook, if any: the library's callback or the config's command / URL. */
  readonly hooks: {
    readonly onStories?: { readonly command: string } | { readonly url: string }
    readonly timeoutMs: number
  }
  readonly onStories?: (event: StoriesHookEvent) => void | Promise<void>
  /** Absolute. */
  readonly baseDir: string
  readonly logger: Logger
  readonly signal?: AbortSignal
  readonly now: () => Date
  readonly dispatcher?: Dispatcher
  readonly onProgress?: (event: { done: number; total: number; outcome: SourceOutcome }) => void
}

/** Every default, in one place. The JSON Schema's `default`s match these (a test checks it). */
export const DEFAULTS = deepFreeze({
  /** @default [] */
  outputs: [] as OutputOptions[],
  /** Channel defaults (title 'tonghop'): see publish/outputs.ts. */
  feed: { ...FEED_DEFAULTS },
  /** @default { sqlite: '.tonghop/state.sqlite' } — relative to `baseDir` */
  store: { sqlite: '.tonghop/state.sqlite' },
  /** The fetch stage's defaults (concurrency 8, perHost 2, timeout 30 s, maxBytes 15 MiB, …): see FetchDefaults. */
  fetch: { ...FETCH_DEFAULTS, allowHosts: [...FETCH_DEFAULTS.allowHosts], headers: { ...FETCH_DEFAULTS.headers } },
  /** The full-text defaults (fullText 'auto', teaserLength 400, pagesPerRun 1000, …): see FullTextOptions. */
  extract: { ...FULL_TEXT_DEFAULTS },
  /** The dedupe stage's defaults (windowMs 7 days, threshold 0.6, containmentThreshold 0.8, …): see DedupeOptions. */
  dedupe: { ...DEDUPE_DEFAULTS },
  normalize: {
    /** Zone for zone-less dates. @default 'Asia/Ho_Chi_Minh' */
    timeZone: DEFAULT_TIME_ZONE,
  },
  publish: {
    /** @default 'Theo {name}' */
    creditTemplate: PUBLISH_DEFAULTS.creditTemplate,
    /** @default true */
    alsoPublishedBy: true,
  },
  retention: {
    /** @default 30 */
    days: 30,
  },
  share: {
    /** @default 120_000 */
    leaseMs: 120_000,
    /** @default 60_000 */
    freshMs: 60_000,
  },
  output: {
    /** Newest stories kept per output. @default 100 */
    limit: PUBLISH_DEFAULTS.limit,
  },
  health: {
    /** @default 3 */
    staleDays: 3,
  },
  hooks: {
    /** @default 10_000 */
    timeoutMs: 10_000,
  },
})

/** Fields that are code, not data: checked by hand, never part of a config file. */
const CODE_FIELDS = ['logger', 'signal', 'now', 'dispatcher', 'onProgress', 'onStories'] as const

/**
 * Validate `input` once and fill in every default. Throws ConfigError `ERR_CONFIG_INVALID` naming the field
 * (`error.path`, e.g. `fetch.concurrency`) and what was expected; `context.file` (the config file) is named in the
 * message and becomes the default `baseDir`.
 */
export function resolveOptions(input: unknown, context: { file?: string } = {}): ResolvedOptions {
  const fail = (path: string, message: string): never => {
    throw new ConfigError('ERR_CONFIG_INVALID', context.file ? `${context.file}: ${message}` : message, {
      ...(context.file === undefined ? {} : { file: context.file }),
      path,
    })
  }

  if (!isPlainObject(input)) return fail('', `Expected the options to be an object, got ${show(input)}`)
  const raw = input as Record<string, unknown>
  const storeInstance = checkCodeFields(raw, fail)
  const json = validateData(raw, storeInstance, fail)

  const fileDir = context.file === undefined ? process.cwd() : dirname(resolve(context.file))
  const baseDir = json.baseDir === undefined ? fileDir : resolve(fileDir, json.baseDir)
  const abs = (p: string) => resolve(baseDir, p)

  const sources = resolveSourceOptions(json.sources, baseDir, fail)
  const outputs = resolveOutputs(json.outputs ?? [], json.feed ?? {}, abs, fail)
  const store = storeInstance ?? resolveStore(json.store, abs)
  const normalize = resolveNormalizeOptions(json.normalize, fail)
  if (raw.onStories !== undefined && json.hooks?.onStories !== undefined) {
    fail('hooks.onStories', 'Expected either the `onStories` callback or `hooks.onStories`, not both')
  }

  const resolved = {
    sources,
    outputs,
    feed: resolveFeed(json.feed ?? {}),
    fetch: resolveFetch(json.fetch),
    extract: resolveFullTextOptions(json.extract, abs),
    rules: { extract: json.rules?.extract ?? [] },
    dedupe: resolveDedupeOptions(json.dedupe),
    normalize,
    publish: { ...DEFAULTS.publish, ...json.publish },
    retention: { ...DEFAULTS.retention, ...json.retention },
    ...(json.threads === undefined ? {} : { threads: json.threads }),
    share: { ...DEFAULTS.share, ...json.share },
    health: { ...DEFAULTS.health, ...json.health },
    hooks: { ...DEFAULTS.hooks, ...json.hooks },
    baseDir,
  }
  deepFreeze(resolved)

  return Object.freeze({
    ...resolved,
    store,
    logger: (raw.logger as Logger | undefined) ?? silentLogger,
    now: (raw.now as (() => Date) | undefined) ?? (() => new Date()),
    ...(raw.signal === undefined ? {} : { signal: raw.signal as AbortSignal }),
    ...(raw.dispatcher === undefined ? {} : { dispatcher: raw.dispatcher as Dispatcher }),
    ...(raw.onProgress === undefined ? {} : { onProgress: raw.onProgress as ResolvedOptions['onProgress'] & {} }),
    ...(raw.onStories === undefined ? {} : { onStories: raw.onStories as ResolvedOptions['onStories'] & {} }),
  })
}

/** The code-only fields, checked by hand; returns the store when it is an instance rather than a spec. */
function checkCodeFields(raw: Record<string, unknown>, fail: Fail): StateStore | undefined {
  if (raw.logger !== undefined && !isLogger(raw.logger)) {
    fail(
      'logger',
      `Expected \`logger\` to be a logger with debug, info, warn and error functions, got ${show(raw.logger)}`,
    )
  }
  if (raw.signal !== undefined && !(raw.signal instanceof AbortSignal)) {
    fail('signal', `Expected \`signal\` to be an AbortSignal, got ${show(raw.signal)}`)
  }
  if (raw.now !== undefined && typeof raw.now !== 'function') {
    fail('now', `Expected \`now\` to be a function returning a Date, got ${show(raw.now)}`)
  }
  if (
    raw.dispatcher !== undefined &&
    (typeof raw.dispatcher !== 'object' ||
      raw.dispatcher === null ||
      typeof (raw.dispatcher as Dispatcher).dispatch !== 'function')
  ) {
    fail('dispatcher', `Expected \`dispatcher\` to be an undici Dispatcher, got ${show(raw.dispatcher)}`)
  }
  if (raw.onProgress !== undefined && typeof raw.onProgress !== 'function') {
    fail('onProgress', `Expected \`onProgress\` to be a function, got ${show(raw.onProgress)}`)
  }
  if (raw.onStories !== undefined && typeof raw.onStories !== 'function') {
    fail('onStories', `Expected \`onStories\` to be a function, got ${show(raw.onStories)}`)
  }
  if (
    isObject(raw.store) &&
    (!isPlainObject(raw.store) || Object.values(raw.store).some((v) => typeof v === 'function'))
  ) {
    if (!isStateStore(raw.store)) {
      fail('store', `Expected \`store\` to be a StateStore or one of { sqlite }, { postgres }, { memory: true }`)
    }
    return raw.store as StateStore
  }
  return undefined
}

/** The JSON-shaped rest, against the schema (on a copy: the caller's objects are never frozen or changed). */
function validateData(raw: Record<string, unknown>, storeInstance: StateStore | undefined, fail: Fail): ConfigData {
  const data: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) {
    if ((CODE_FIELDS as readonly string[]).includes(key) || value === undefined) continue
    if (key === 'store' && storeInstance) continue
    data[key] = value
  }
  let json: ConfigData
  try {
    json = structuredClone(data) as unknown as ConfigData
  } catch {
    return fail('', 'Expected the options to hold only JSON data besides store, logger, signal, now, dispatcher')
  }
  const validate = getValidator()
  if (!validate(json)) {
    const { path, message } = explain(validate.errors ?? [])
    fail(path, message)
  }
  return json
}

function resolveStore(spec: ConfigData['store'] = DEFAULTS.store, abs: (p: string) => string): StoreOptions {
  if ('sqlite' in spec) return { sqlite: spec.sqlite === ':memory:' ? spec.sqlite : abs(spec.sqlite) }
  if ('postgres' in spec) return { postgres: spec.postgres }
  return { memory: true }
}

function resolveFetch(fetchIn: ConfigData['fetch']): ResolvedFetch {
  return {
    ...DEFAULTS.fetch,
    ...fetchIn,
    allowHosts: [...(fetchIn?.allowHosts ?? DEFAULTS.fetch.allowHosts)],
    headers: { ...DEFAULTS.fetch.headers, ...fetchIn?.headers },
  }
}

/**
 * The JSON-data part of AggregatorOptions: what a config file holds and the JSON Schema checks — every option but
 * the code-only ones (CODE_FIELDS), with the store as a spec (a StateStore instance is taken apart, before the schema).
 */
type ConfigData = Omit<AggregatorOptions, (typeof CODE_FIELDS)[number] | 'store'> & {
  store?: Exclude<StoreOptions, StateStore>
}

// --- the JSON Schema, compiled on first use (the CLI's --version never pays for it) ---

let validator: ValidateFunction | undefined

function getValidator(): ValidateFunction {
  if (validator) return validator
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false })
  ajv.addVocabulary(['x-expected'])
  ajv.addFormat('uri', (value: string) => URL.canParse(value))
  validator = ajv.compile(schema)
  return validator
}

function isLogger(value: unknown): value is Logger {
  if (!isObject(value)) return false
  const l = value as Record<string, unknown>
  return ['debug', 'info', 'warn', 'error'].every((k) => typeof l[k] === 'function')
}

function isStateStore(value: unknown): value is StateStore {
  if (!isObject(value)) return false
  const s = value as Record<string, unknown>
  return ['init', 'close', 'begin', 'acquireLock', 'listStories'].every((k) => typeof s[k] === 'function')
}
