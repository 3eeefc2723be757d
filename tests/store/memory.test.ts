import { describe, expect, it } from 'vitest'
import { createMemoryStore } from '../../src/store/index.js'
import { describeStoreContract, record } from '../contract/store-contract.js'

describeStoreContract('memory', async () => {
  const store = createMemoryStore()
  await store.init()
  return store
})

describe('memory store', () => {
  it('hands out copies: changing a returned record does not change the store', async () => {
    const store = createMemoryStore()
    const tx = await store.begin()
    const r = record('s1', Date.UTC(2025, 0, 1), ['k1'])
    await tx.write({ stories: [r] })
    await tx.commit()
    r.story.primary.title = 'changed after write'
    const [got] = await store.getStories(['s1'])
    got!.story.primary.title = 'changed after read'
    expect((await store.getStories(['s1']))[0]?.story.primary.title).toBe('Tiêu đề s1')
  })

  it('refuses a second open transaction and use after close', async () => {
    const store = createMemoryStore()
    const tx = await store.begin()
    await expect(store.begin()).rejects.toMatchObject({ code: 'ERR_STORE_QUERY' })
    await tx.commit()
    await expect(tx.write({})).rejects.toMatchObject({ code: 'ERR_STORE_QUERY' })
    await store.close()
    await expect(store.findByKeys(['k'])).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
  })
})
