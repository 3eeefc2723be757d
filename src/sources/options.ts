/** The config's `sources`, checked and with file paths made absolute (src/options.ts composes it). */
import { resolve } from 'node:path'
import { checkRegExp, checkTimeZone, type Fail } from '../internal/config-checks.js'
import { show } from '../internal/schema-errors.js'
import type { SourcesInput } from './types.js'

/** OPML path or URL, or each source: its URL or path resolved, its time zone and credit pattern checked, ids unique. */
export function resolveSourceOptions(input: SourcesInput, baseDir: string, fail: Fail): SourcesInput {
  if (!Array.isArray(input)) {
    const opml = input.opml
    return { opml: /^https?:\/\//i.test(opml) ? opml : resolve(baseDir, opml) }
  }
  const ids = new Map<string, number>()
  return input.map((entry, i) => {
    if (typeof entry === 'string') return resolveSourceRef(entry, `sources[${i}]`, baseDir, fail)
    if (entry.timeZone !== undefined) checkTimeZone(entry.timeZone, `sources[${i}].timeZone`, fail)
    if (entry.rules?.creditPattern !== undefined) {
      checkRegExp(entry.rules.creditPattern, `sources[${i}].rules.creditPattern`, fail)
    }
    if (entry.id !== undefined) {
      const seen = ids.get(entry.id)
      if (seen !== undefined) {
        fail(
          `sources[${i}].id`,
          `Duplicate source id \`${entry.id}\` at \`sources[${i}].id\` (also at \`sources[${seen}].id\`)`,
        )
      }
      ids.set(entry.id, i)
    }
    return { ...entry, url: resolveSourceRef(entry.url, `sources[${i}].url`, baseDir, fail) }
  })
}

function resolveSourceRef(ref: string, path: string, baseDir: string, fail: Fail): string {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(ref)?.[1]?.toLowerCase()
  if (scheme === undefined) return resolve(baseDir, ref) // a file path (a one-letter "scheme" is a Windows drive)
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'file') {
    fail(path, `Expected \`${path}\` to be an http(s) URL or a file path, got ${show(ref)}`)
  }
  if (!URL.canParse(ref)) fail(path, `Expected \`${path}\` to be a valid URL, got ${show(ref)}`)
  return ref
}
