import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * A worker thread's entry beside the calling module: the built file (`built`, in dist/ beside the chunk that holds the
 * caller), or the TypeScript source (`source`) when the caller itself runs from source under tsx. Undefined when
 * neither exists.
 */
export function entryScript(from: string, built: string, source: string): { url: URL; execArgv: string[] } | undefined {
  const builtUrl = new URL(built, from)
  if (existsSync(fileURLToPath(builtUrl))) return { url: builtUrl, execArgv: [] }
  const sourceUrl = new URL(source, from)
  if (from.endsWith('.ts') && existsSync(fileURLToPath(sourceUrl))) {
    return { url: sourceUrl, execArgv: ['--import', 'tsx'] }
  }
  return undefined
}
