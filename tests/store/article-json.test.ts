/**
 * RunChanges.articleJson: the articles' JSON made ahead of the write (by the feed worker) is what the JSON stores
 * keep, joined as given; articles without an entry are stringified by the store.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPostgresStore } from '../../src/entries/stores-postgres.js'
import { createSqliteStore } from '../../src/store/index.js'
import type { StateStore } from '../../src/store/types.js'
import { record } from '../contract/store-contract.js'
import { PG_URL, schemaFactory } from '../helpers/postgres.js'
import { tempDir } from '../helpers/tmp.js'

const newSchema = schemaFactory()
const T0 = Date.UTC(2025, 5, 1, 3, 0, 0)

const stores: [string, () => StateStore][] = [
  ['sqlite', () => createSqliteStore({ path: join(tempDir(), 'state.sqlite') })],
  ['postgres', () => createPostgresStore({ connectionString: PG_URL, schema: newSchema() })],
]

describe.each(stores)('%s store: article JSON given with the write', (_name, make) => {
  it('keeps the given JSON of an article, and stringifies the others', async () => {
    const store = make()
    await store.init()
    try {
      const given = record('s1', T0, ['k1'])
      const plain = record('s2', T0 + 1000, ['k2'])
      // JSON that differs from JSON.stringify(article) only in the title: it shows which text was stored
      const json = JSON.stringify({ ...given.story.primary, title: 'Tiêu đề từ worker' })
      const tx = await store.begin()
      await tx.write({ stories: [given, plain], articleJson: new Map([[given.story.primary, json]]) })
      await tx.commit()
      const got = await store.getStories(['s1', 's2'])
      const s1 = got.find((r) => r.story.id === 's1')
      const s2 = got.find((r) => r.story.id === 's2')
      expect(s1?.story.primary.title).toBe('Tiêu đề từ worker')
      expect(s1?.story.primary.published).toEqual(given.story.primary.published)
      expect(s2?.story.primary).toEqual(plain.story.primary)
    } finally {
      await store.close()
    }
  })
})
