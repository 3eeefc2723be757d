export { rememberArticleJson } from './codec.js'
export { createMemoryStore } from './memory.js'
export { createSqliteStore, type SqliteStoreOptions } from './sqlite.js'
export type {
  ListStoriesOptions,
  RunChanges,
  SourceState,
  StateStore,
  StoreTransaction,
  StoryRecord,
} from './types.js'
