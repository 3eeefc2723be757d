import { describe, expect, it } from 'vitest'
import { createAdmission } from '../../src/fetch/admission.js'
import { resolveFetchDefaults } from '../../src/fetch/defaults.js'
import { createQueues, FEED_PRIORITY } from '../../src/fetch/queues.js'

describe('createAdmission', () => {
  it('gives a freed slot to a key with nothing running before a key that has one', async () => {
    const admit = createAdmission(2, 2)
    const started: string[] = []
    const gates = new Map<string, () => void>()
    const task = (name: string) => () =>
      new Promise<void>((resolve) => {
        started.push(name)
        gates.set(name, resolve)
      })
    const all = [
      admit('a', task('a1')),
      admit('a', task('a2')),
      admit('a', task('a3')),
      admit('b', task('b1')),
      admit('c', task('c1')),
    ]
    await Promise.resolve()
    expect(started).toEqual(['a1', 'a2'])
    gates.get('a1')!()
    await new Promise((r) => setTimeout(r, 0))
    // a3 came first, but b has nothing running
    expect(started).toEqual(['a1', 'a2', 'b1'])
    gates.get('b1')!()
    await new Promise((r) => setTimeout(r, 0))
    // a (a2 running) still waits: c has nothing running
    expect(started).toEqual(['a1', 'a2', 'b1', 'c1'])
    gates.get('a2')!()
    await new Promise((r) => setTimeout(r, 0))
    expect(started).toEqual(['a1', 'a2', 'b1', 'c1', 'a3'])
    gates.get('c1')!()
    gates.get('a3')!()
    await Promise.all(all)
  })

  it('never runs more than `total`, nor more than `perKey` of one key', async () => {
    const admit = createAdmission(3, 1)
    let running = 0
    let peak = 0
    const perKey = new Map<string, number>()
    let peakPerKey = 0
    const task = (key: string) => async () => {
      running++
      perKey.set(key, (perKey.get(key) ?? 0) + 1)
      peak = Math.max(peak, running)
      peakPerKey = Math.max(peakPerKey, perKey.get(key)!)
      await new Promise((r) => setTimeout(r, 2))
      perKey.set(key, perKey.get(key)! - 1)
      running--
    }
    await Promise.all(Array.from({ length: 30 }, (_, i) => admit(`k${i % 5}`, task(`k${i % 5}`))))
    expect(peak).toBe(3)
    expect(peakPerKey).toBe(1)
  })
})

describe('createAdmission releaseKey', () => {
  it('lets the next task of a key start once a task gives its key back, still within `total`', async () => {
    const admit = createAdmission(2, 1)
    const started: string[] = []
    const gates = new Map<string, () => void>()
    const releases = new Map<string, () => void>()
    const task = (name: string) => (releaseKey: () => void) =>
      new Promise<void>((resolve) => {
        started.push(name)
        gates.set(name, resolve)
        releases.set(name, releaseKey)
      })
    const tick = () => new Promise((r) => setTimeout(r, 0))
    const all = [admit('a', task('a1')), admit('a', task('a2')), admit('a', task('a3'))]
    await tick()
    expect(started).toEqual(['a1'])
    releases.get('a1')!()
    releases.get('a1')!() // twice: no second slot freed
    await tick()
    expect(started).toEqual(['a1', 'a2'])
    releases.get('a2')!()
    await tick()
    // a1 and a2 still count against total (2): a3 waits although a holds no slot
    expect(started).toEqual(['a1', 'a2'])
    gates.get('a1')!()
    await tick()
    expect(started).toEqual(['a1', 'a2', 'a3'])
    // a task that ends without giving its key back frees it at its end
    gates.get('a2')!()
    gates.get('a3')!()
    await Promise.all(all)
    const after: string[] = []
    await Promise.all([admit('a', async () => void after.push('x')), admit('a', async () => void after.push('y'))])
    expect(after).toEqual(['x', 'y'])
  })
})

describe('createQueues', () => {
  it('starts a waiting feed request before the pages already waiting for its host', async () => {
    const queues = createQueues(resolveFetchDefaults({ perHost: 1, concurrency: 4, minHostInterval: 20 }))
    const started: string[] = []
    const task = (name: string) => async () => {
      started.push(name)
      await new Promise((r) => setTimeout(r, 5))
    }
    const runs = [1, 2, 3, 4].map((k) => queues.run('h', task(`page${k}`)))
    await new Promise((r) => setTimeout(r, 1))
    runs.push(queues.run('h', task('feed'), undefined, FEED_PRIORITY))
    await Promise.all(runs)
    expect(started).toEqual(['page1', 'feed', 'page2', 'page3', 'page4'])
  })
})
