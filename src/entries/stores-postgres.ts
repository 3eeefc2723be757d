/**
 * `tonghop/stores/postgres`: the PostgreSQL StateStore, a separate entry so that only users who want it load `pg`
 * (an optional peer dependency: `npm install pg`).
 */
export { createPostgresStore, type PostgresStoreOptions } from '../store/postgres/index.js'
export type {
  ListStoriesOptions,
  RunChanges,
  SourceState,
  StateStore,
  StoreTransaction,
  StoryRecord,
} from '../store/types.js'
