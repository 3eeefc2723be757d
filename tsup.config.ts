import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    // the subpath entries (package.json `exports`), one file each in src/entries/:
    // `tonghop/fetch`: the fetch stage alone, for users who only fetch (loads undici and p-queue, not the other stages)
    fetch: 'src/entries/fetch.ts',
    // `tonghop/stores/postgres`: the PostgreSQL store (loads `pg`, an optional peer dependency)
    'stores/postgres': 'src/entries/stores-postgres.ts',
    cli: 'src/cli/index.ts',
    // worker thread that parses and normalizes feeds (src/threads/pool.ts finds it beside its chunk)
    worker: 'src/threads/entry.ts',
    // the thread `tonghop run` works in (src/cli/thread.ts finds it beside its chunk)
    'run-thread': 'src/cli/run-thread.ts',
  },
  format: ['esm'],
  target: 'node22',
  platform: 'node',
  dts: {
    entry: {
      index: 'src/index.ts',
      fetch: 'src/entries/fetch.ts',
      'stores/postgres': 'src/entries/stores-postgres.ts',
    },
  },
  clean: true,
  splitting: true,
  sourcemap: false,
  treeshake: true,
  // keep `node:sqlite` as is: without this tsup emits a bare `sqlite` import
  removeNodeProtocol: false,
  external: ['pg'],
})
