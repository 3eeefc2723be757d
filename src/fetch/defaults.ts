import { ConfigError } from '../errors.js'
import { VERSION } from '../version.js'
import type { FetchDefaults, PageDefaults } from './types.js'

export { VERSION }
export const HOMEPAGE = 'https://www.npmjs.com/package/tonghop'
export const DEFAULT_USER_AGENT = `tonghop/${VERSION} (+${HOMEPAGE})`

export type ResolvedFetchDefaults = Readonly<
  Required<Omit<FetchDefaults, 'allowHosts' | 'headers'>> & {
    allowHosts: readonly string[]
    headers: Readonly<Record<string, string>>
  }
>

/** Every default of the fetch stage, documented on `FetchDefaults`. */
export const FETCH_DEFAULTS: ResolvedFetchDefaults = Object.freeze({
  concurrency: 8,
  perHost: 2,
  minHostInterval: 250,
  feedsInFlight: 32,
  timeout: 30_000,
  connectTimeout: 10_000,
  headersTimeout: 20_000,
  bodyTimeout: 20_000,
  maxBytes: 15 * 1024 * 1024,
  maxRedirects: 5,
  retries: 2,
  retryBudget: 10_000,
  userAgent: DEFAULT_USER_AGENT,
  allowPrivateNetwork: false,
  allowHosts: Object.freeze([]) as readonly string[],
  headers: Object.freeze({}) as Readonly<Record<string, string>>,
})

const INTEGER_FIELDS: { key: keyof FetchDefaults; min: number }[] = [
  { key: 'concurrency', min: 1 },
  { key: 'perHost', min: 1 },
  { key: 'minHostInterval', min: 0 },
  { key: 'feedsInFlight', min: 1 },
  { key: 'timeout', min: 1 },
  { key: 'connectTimeout', min: 1 },
  { key: 'headersTimeout', min: 1 },
  { key: 'bodyTimeout', min: 1 },
  { key: 'maxBytes', min: 1 },
  { key: 'maxRedirects', min: 0 },
  { key: 'retries', min: 0 },
  { key: 'retryBudget', min: 0 },
]

/** Throws ConfigError `ERR_CONFIG_INVALID` for the first of `fields` that is given but not an integer ≥ its min. */
function checkIntegers<K extends string>(
  options: Partial<Record<K, unknown>>,
  fields: { key: K; min: number }[],
  prefix: string,
): void {
  for (const { key, min } of fields) {
    const value = options[key]
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new ConfigError(
        'ERR_CONFIG_INVALID',
        `Expected \`${prefix}.${key}\` to be an integer ≥ ${min}, got \`${JSON.stringify(value)}\``,
        { path: `${prefix}.${key}` },
      )
    }
  }
}

/**
 * Defaults filled in and checked once; throws ConfigError `ERR_CONFIG_INVALID` with the field's path
 * (`fetch.<name>`, or `<prefix>.<name>`).
 */
export function resolveFetchDefaults(options: FetchDefaults = {}, prefix = 'fetch'): ResolvedFetchDefaults {
  checkIntegers(options, INTEGER_FIELDS, prefix)
  if (options.userAgent !== undefined && (typeof options.userAgent !== 'string' || options.userAgent.trim() === '')) {
    throw new ConfigError('ERR_CONFIG_INVALID', `Expected \`${prefix}.userAgent\` to be a non-empty string`, {
      path: `${prefix}.userAgent`,
    })
  }
  if (options.allowHosts !== undefined && !(Array.isArray(options.allowHosts) && options.allowHosts.every(isString))) {
    throw new ConfigError('ERR_CONFIG_INVALID', `Expected \`${prefix}.allowHosts\` to be an array of "host[:port]"`, {
      path: `${prefix}.allowHosts`,
    })
  }
  const defined = Object.fromEntries(
    Object.entries(options).filter(([key, value]) => value !== undefined && key in FETCH_DEFAULTS),
  )
  return Object.freeze({ ...FETCH_DEFAULTS, ...defined }) as ResolvedFetchDefaults
}

function isString(value: unknown): value is string {
  return typeof value === 'string'
}

export type ResolvedPageDefaults = Readonly<Required<PageDefaults>>

/** Every default of page fetching, documented on `PageDefaults`. */
export const PAGE_DEFAULTS: ResolvedPageDefaults = Object.freeze({
  /** Page fetches one session may start. @default 1000 */
  pagesPerRun: 1000,
  /** Page fetches one session may start to one host. @default 200 */
  pagesPerHost: 200,
  /** Honour robots.txt for page fetches. @default true */
  robots: true,
  /** Maximum page body size in bytes. @default 5 MiB */
  pageMaxBytes: 5 * 1024 * 1024,
})

/** Largest robots.txt read (RFC 9309 §2.5 asks crawlers to parse at least 500 KiB). */
export const ROBOTS_MAX_BYTES = 500 * 1024

const PAGE_INTEGER_FIELDS: { key: 'pagesPerRun' | 'pagesPerHost' | 'pageMaxBytes'; min: number }[] = [
  { key: 'pagesPerRun', min: 0 },
  { key: 'pagesPerHost', min: 0 },
  { key: 'pageMaxBytes', min: 1 },
]

/** Page defaults filled in and checked once; throws ConfigError `ERR_CONFIG_INVALID` (`fetch.<name>`). */
export function resolvePageDefaults(options: PageDefaults = {}, prefix = 'fetch'): ResolvedPageDefaults {
  checkIntegers(options, PAGE_INTEGER_FIELDS, prefix)
  if (options.robots !== undefined && typeof options.robots !== 'boolean') {
    throw new ConfigError(
      'ERR_CONFIG_INVALID',
      `Expected \`${prefix}.robots\` to be a boolean, got \`${JSON.stringify(options.robots)}\``,
      { path: `${prefix}.robots` },
    )
  }
  return Object.freeze({
    pagesPerRun: options.pagesPerRun ?? PAGE_DEFAULTS.pagesPerRun,
    pagesPerHost: options.pagesPerHost ?? PAGE_DEFAULTS.pagesPerHost,
    robots: options.robots ?? PAGE_DEFAULTS.robots,
    pageMaxBytes: options.pageMaxBytes ?? PAGE_DEFAULTS.pageMaxBytes,
  })
}
