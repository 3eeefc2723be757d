export { createDeduper, dedupeArticles, prepareArticles } from './deduper.js'
export { foldUrl } from './keys.js'
export { DEDUPE_DEFAULTS, resolveDedupeOptions } from './options.js'
export { mergeRecords, type StoryIndex, type StoryRecord } from './record.js'
export { choosePrimary } from './story-build.js'
export type {
  ArticleOutcome,
  DedupeOptions,
  Deduper,
  DeduperOptions,
  PreparedArticles,
  ResolvedDedupeOptions,
} from './types.js'
