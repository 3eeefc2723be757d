import type { StateStore } from '../../src/store/types.js'

/** The ids of a store's stories, newest first (all of them, up to `limit`). */
export async function listIds(store: StateStore, limit = 10_000): Promise<string[]> {
  const ids: string[] = []
  for await (const story of store.listStories({ limit })) ids.push(story.id)
  return ids
}
