import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/parse')

/** A fixture's bytes, as fetch/ would hand them over. */
export function fixture(name: string): Uint8Array {
  return readFileSync(join(fixtures, name))
}

export function fixtureText(name: string): string {
  return readFileSync(join(fixtures, name), 'utf8')
}

/** The ParsedFeed as JSON would carry it (dates as ISO strings, no undefined). */
export function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value))
}
