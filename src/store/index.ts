export { assessHealth, HEALTH_DAYS, HEALTH_DEFAULTS, nextHealth, vietnamDay, withHealth } from './health.js'
export { createMemoryStore } from './memory/index.js'
export { createSqliteStore, type SqliteStoreOptions } from './sqlite/index.js'
export type {
  ListStoriesOptions,
  OutputState,
  PageState,
  RunChanges,
  SourceState,
  StateStore,
  StoredExtraction,
  StoreTransaction,
  StoryRecord,
} from './types.js'
