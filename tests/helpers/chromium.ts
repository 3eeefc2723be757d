import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'

/** Where the page tests look for a browser; tests that need it are skipped (and say so) where it is missing. */
export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)

/**
 * Open a local page in headless Chromium with a fresh profile (`profile`, a directory) and these extra flags
 * (`--dump-dom`, `--screenshot=…`); resolves with what it printed. Async: a server the page loads from may live in
 * the calling process, and blocking here would hang Chromium on it.
 */
export async function chromium(page: string, profile: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      ...args,
      pathToFileURL(page).href,
    ],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
  )
  return stdout
}
