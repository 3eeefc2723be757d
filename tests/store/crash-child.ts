// Child process for the crash test: opens the store, begins a run, writes, reports, and waits to be SIGKILLed.
import { createSqliteStore } from '../../src/store/index.js'
import { record } from '../contract/store-contract.js'

const path = process.argv[2]!
const store = createSqliteStore({ path })
await store.init()
const tx = await store.begin()
const changed = record('kept', Date.UTC(2025, 5, 2), ['k-kept', 'k-half-written'], ['b-half-written'])
changed.story.primary.title = 'half-written update'
await tx.write({
  stories: [changed, ...Array.from({ length: 500 }, (_, i) => record(`half-${i}`, Date.UTC(2025, 5, 3), [`h${i}`]))],
  sources: [{ key: 'src', etag: 'half-written' }],
})
process.stdout.write('written\n')
setInterval(() => {}, 1_000)
