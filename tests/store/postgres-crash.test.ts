import { describe, expect, it } from 'vitest'
import { createPostgresStore } from '../../src/entries/stores-postgres.js'
import { record } from '../contract/store-contract.js'
import { killAfterWrite } from '../helpers/crash.js'
import { PG_URL, schemaFactory } from '../helpers/postgres.js'
import { listIds } from '../helpers/stores.js'

const newSchema = schemaFactory()
const T0 = Date.UTC(2025, 5, 1)

describe('postgres store: a worker killed mid-run', () => {
  it('keeps what was committed or checkpointed, loses the open batch, and frees its key locks', async () => {
    const schema = newSchema()
    const store = createPostgresStore({ connectionString: PG_URL, schema })
    await store.init()
    const tx = await store.begin()
    await tx.write({ stories: [record('kept', T0, ['k-kept'], ['b-kept'])], sources: [{ key: 'src', etag: 'before' }] })
    await tx.commit()

    expect(await killAfterWrite(['postgres', PG_URL, schema])).toBe('SIGKILL')

    // The server notices the dead connection and rolls its transaction back; the locks go with it.
    const tx2 = await store.begin()
    await store.lockKeys!(['k-kept', 'k-half-written'])
    expect(await listIds(store)).toEqual(['batch1', 'kept'])
    const [kept] = await store.getStories(['kept'])
    expect(kept?.story.primary.title).toBe('Tiêu đề kept')
    expect(kept?.keys).toEqual(['k-kept'])
    expect(Object.fromEntries(await store.findByKeys(['k-kept', 'k-half-written', 'h1', 'k-batch1']))).toEqual({
      'k-kept': 'kept',
      'k-batch1': 'batch1',
    })
    expect((await store.getSourceStates(['src'])).get('src')?.etag).toBe('b1')
    await tx2.write({ stories: [record('next', T0 + 1, ['k-next'])] })
    await tx2.commit()
    expect(await listIds(store)).toEqual(['batch1', 'next', 'kept'])
    await store.close()
  }, 30_000)
})
