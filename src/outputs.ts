/**
 * The run's outputs: each rendered from the stored stories, or left as it is when neither the stories nor its
 * settings changed since it was last written (its OutputState says which settings that was).
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { toTonghopError } from './errors.js'
import type { ResolvedOptions } from './options.js'
import { filterStories, writeFeed } from './publish/index.js'
import type { OutputState, SourceState, StateStore } from './store/types.js'
import type { OutputFormat, RunReport } from './types.js'
import { VERSION } from './version.js'

/** How long the publish lock of a shared store lives if the process dies without releasing it. */
const PUBLISH_LOCK_TTL_MS = 30 * 60_000

const outputKey = (path: string): OutputState['key'] => `output:${path}`

/**
 * The output state stored under `key`. States written before OutputState existed kept the settings hash in
 * `bodyHash`: it is read from there when `settingsHash` is absent, so an upgrade does not render every output again.
 */
function readOutputState(state: SourceState | undefined): Omit<OutputState, 'key'> | undefined {
  const settingsHash = state?.settingsHash ?? state?.bodyHash
  if (state === undefined || settingsHash === undefined) return undefined
  return {
    settingsHash,
    items: state.items ?? 0,
    ...(state.lastFetchedAt ? { lastFetchedAt: state.lastFetchedAt } : {}),
  }
}

export async function publishOutputs(
  options: ResolvedOptions,
  store: StateStore,
  owner: string,
  shared: boolean,
  storeChanged: boolean,
): Promise<RunReport['outputs']> {
  if (options.outputs.length === 0) return []
  // With several workers, one publishes per round.
  if (shared && !(await store.acquireLock('publish', owner, PUBLISH_LOCK_TTL_MS))) {
    return options.outputs.map((o) => ({ path: o.path, format: o.format, written: false, items: 0 }))
  }
  const keys = options.outputs.map((o) => outputKey(o.path))
  const previous = storeChanged ? new Map<string, SourceState>() : await store.getSourceStates(keys)
  const written: OutputState[] = []
  try {
    const results: RunReport['outputs'] = []
    for (const output of options.outputs) {
      const format: OutputFormat = output.format
      const key = outputKey(output.path)
      const settings = outputSettingsHash(options, output)
      const last = readOutputState(previous.get(key))
      // a `since` given as a duration moves with the clock, so such an output is always rendered
      const moving = typeof output.filter?.since === 'number'
      if (!storeChanged && !moving && last?.settingsHash === settings && existsSync(output.path)) {
        results.push({ path: output.path, format, written: false, items: last.items })
        continue
      }
      try {
        const filter = output.filter
        const unlimited = output.limit === 0 || output.limit === Number.POSITIVE_INFINITY
        // listStories is newest first; a filter drops stories, so the limit is applied after it (by writeFeed).
        const listed = store.listStories({
          limit: filter || unlimited ? Number.POSITIVE_INFINITY : output.limit,
          ...(filter?.since === undefined ? {} : { since: sinceDate(filter.since, options.now()) }),
        })
        const stories = filter ? filterStories(listed, filter, options.now()) : listed
        const description = output.description ?? options.feed.description
        const language = output.language ?? options.feed.language
        const result = await writeFeed(stories, {
          path: output.path,
          format,
          title: output.title,
          link: output.link,
          limit: output.limit,
          presorted: true,
          ...(description ? { description } : {}),
          ...(language ? { language } : {}),
          creditTemplate: options.publish.creditTemplate,
          ...(options.publish.alsoPublishedBy ? {} : { alsoPublishedByTemplate: false as const }),
          ...(options.publish.hub ? { hub: options.publish.hub } : {}),
          ...(output.url ? { feedUrl: output.url } : {}),
          ...(output.archive ? { archive: output.archive } : {}),
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
          alternates: options.outputs
            .filter((o) => o !== output && o.format !== 'html')
            .map((o) => ({ format: o.format, href: relativeHref(output.path, o.path) })),
        })
        results.push({ path: output.path, format, written: result.written, items: result.items })
        written.push({ key, settingsHash: settings, items: result.items, lastFetchedAt: options.now() })
      } catch (error) {
        const e = toTonghopError(error, 'ERR_PUBLISH_WRITE')
        options.logger.error({ path: output.path, code: e.code }, e.message)
        results.push({ path: output.path, format, written: false, items: 0, code: e.code, message: e.message })
      }
    }
    if (written.length > 0) {
      const tx = await store.begin()
      try {
        await tx.write({ sources: written })
        await tx.commit()
      } catch (error) {
        await tx.rollback().catch(() => {})
        throw error
      }
    }
    return results
  } finally {
    if (shared) await store.releaseLock('publish', owner).catch(() => {})
  }
}

/** Everything an output's bytes depend on besides the stories: its settings, the channel and publish options, tonghop's version. */
function outputSettingsHash(options: ResolvedOptions, output: ResolvedOptions['outputs'][number]): string {
  const { path: _path, ...settings } = output
  const alternates = options.outputs.map((o) => [o.path, o.format])
  return createHash('sha256')
    .update(JSON.stringify([VERSION, settings, options.feed, options.publish, alternates]))
    .digest('hex')
}

function sinceDate(since: string | number, now: Date): Date {
  return typeof since === 'number' ? new Date(now.getTime() - since) : new Date(since)
}

/** href of `target` as seen from the directory of `from` (outputs usually share one directory). */
function relativeHref(from: string, target: string): string {
  const dir = from.slice(0, from.lastIndexOf('/') + 1)
  return target.startsWith(dir) ? target.slice(dir.length) : target
}
