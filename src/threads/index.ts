/**
 * Feed work off the main thread: a pool of worker threads (pool.ts; each runs entry.ts, built to dist/worker.js)
 * that parse and normalize one feed per job (process-feed.ts), with full text's in-thread half (pages.ts). Jobs
 * and results are plain data, so the same functions run in the main thread when there are no threads.
 */
export {
  EXTRACTED_FIELDS,
  extractPage,
  type FullTextJob,
  isTeaser,
  type PageInput,
  type PageOutput,
  roughText,
  type Teaser,
  teasersOf,
  teaserText,
  withPage,
} from './pages.js'
export { createFeedProcessor, createInlineProcessor, type FeedProcessor, type FeedProcessorOptions } from './pool.js'
export { type ProcessJob, type ProcessResult, processFeed } from './process-feed.js'
