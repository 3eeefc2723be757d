export { choosePrimary, createDeduper, dedupeArticles } from './deduper.js'
export { foldUrl } from './keys.js'
export { DEDUPE_DEFAULTS } from './options.js'
export type { ArticleOutcome, DedupeOptions, Deduper, DeduperOptions, ResolvedDedupeOptions } from './types.js'
