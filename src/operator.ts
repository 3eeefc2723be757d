/**
 * What the operator reads besides the run report: the sources page (`sources.html` beside each HTML output), built
 * from the feed health the store keeps. A page that cannot be written is logged, never a failed run.
 */
import { basename, dirname, join } from 'node:path'
import type { ResolvedOptions } from './options.js'
import { writeSourcesPage } from './publish/index.js'
import { assessHealth } from './store/index.js'
import type { StateStore } from './store/types.js'
import type { Source } from './types.js'

export const SOURCES_PAGE = 'sources.html'

/** Write `sources.html` in the directory of every HTML output (once per directory). */
export async function publishSourcesPages(
  options: ResolvedOptions,
  store: StateStore,
  sources: Source[],
): Promise<void> {
  const pages = new Map<string, { path: string; indexHref: string; title: string }>()
  for (const output of options.outputs) {
    if (output.format !== 'html') continue
    const path = join(dirname(output.path), SOURCES_PAGE)
    if (path === output.path || pages.has(path)) continue
    pages.set(path, { path, indexHref: basename(output.path), title: output.title })
  }
  if (pages.size === 0) return
  try {
    const now = options.now()
    const states = await store.getSourceStates(sources.map((s) => s.id))
    const rows = assessHealth(sources, states, { now, staleDays: options.health.staleDays })
    for (const page of pages.values()) {
      await writeSourcesPage(page.path, rows, {
        title: page.title,
        now,
        staleDays: options.health.staleDays,
        indexHref: page.indexHref,
      })
    }
  } catch (error) {
    options.logger.warn({ error: (error as Error).message }, 'cannot write the sources page')
  }
}
