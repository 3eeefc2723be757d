export { createDeduper, dedupeArticles, prepareArticles } from './deduper.js'
export { choosePrimary } from './engine.js'
export { foldUrl } from './keys.js'
export { DEDUPE_DEFAULTS, resolveDedupeOptions } from './options.js'
export { mergeRecords, type StoryIndex, type StoryRecord } from './record.js'
export type {
  ArticleOutcome,
  DedupeOptions,
  Deduper,
  DeduperOptions,
  PreparedArticles,
  ResolvedDedupeOptions,
} from './types.js'
