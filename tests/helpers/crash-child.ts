// The one child process of the crash tests: opens a store, begins a run, writes a batch it never commits, reports
// `written` on stdout and waits to be SIGKILLed (see killAfterWrite in ./crash.ts).
//
//   crash-child.ts sqlite <path>
//   crash-child.ts postgres <connection string> <schema>   (first one batch checkpointed, with its key locks)
import { record } from '../contract/store-contract.js'

const [kind, target, schema] = process.argv.slice(2) as ['sqlite' | 'postgres', string, string | undefined]
const store =
  kind === 'postgres'
    ? (await import('../../src/entries/stores-postgres.js')).createPostgresStore({
        connectionString: target,
        schema: schema!,
      })
    : (await import('../../src/store/index.js')).createSqliteStore({ path: target })
await store.init()
const tx = await store.begin()
if (kind === 'postgres') {
  await store.lockKeys!(['k-batch1'])
  await tx.write({
    stories: [record('batch1', Date.UTC(2025, 5, 2), ['k-batch1'])],
    sources: [{ key: 'src', etag: 'b1' }],
  })
  await tx.checkpoint!()
}
const changed = record('kept', Date.UTC(2025, 5, 2), ['k-kept', 'k-half-written'], ['b-half-written'])
changed.story.primary.title = 'half-written update'
if (kind === 'postgres') await store.lockKeys!(['k-kept', 'k-half-written'])
await tx.write({
  stories: [changed, ...Array.from({ length: 500 }, (_, i) => record(`half-${i}`, Date.UTC(2025, 5, 3), [`h${i}`]))],
  sources: [{ key: 'src', etag: 'half-written' }],
})
process.stdout.write('written\n')
setInterval(() => {}, 1_000)
