/**
 * The hand checks of option resolution shared by src/options.ts and the stage resolvers it composes: a `fail` that
 * throws the ConfigError naming the field, time zone and regular expression checks, plain-object tests, deep freeze.
 */
import { show } from './schema-errors.js'

/** Throws ConfigError ERR_CONFIG_INVALID naming `path` (the config field) and what was expected. */
export type Fail = (path: string, message: string) => never

export function checkTimeZone(zone: string, path: string, fail: Fail): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
  } catch {
    fail(path, `Expected \`${path}\` to be an IANA time zone such as \`Asia/Ho_Chi_Minh\`, got ${show(zone)}`)
  }
}

export function checkRegExp(source: string, path: string, fail: Fail): void {
  try {
    new RegExp(source, 'u')
  } catch (error) {
    fail(path, `Expected \`${path}\` to be a regular expression, got ${show(source)}: ${(error as Error).message}`)
  }
}

export function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value) || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

export function deepFreeze<T>(value: T): T {
  if (isObject(value) && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
