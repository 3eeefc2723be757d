/**
 * tonghop — aggregate Vietnamese provincial news feeds into one clean, credited, deduplicated feed.
 * Public exports only; importing this module has no side effects.
 */
export { type Aggregator, aggregate, createAggregator, type RunOptions } from './aggregator.js'
export { type DedupeOptions, dedupeArticles } from './dedupe/index.js'
export {
  ConfigError,
  type ErrorCode,
  FetchError,
  isTonghopError,
  NormalizeError,
  ParseError,
  PublishError,
  StoreError,
  TonghopError,
} from './errors.js'
export { type FetchOptions, type FetchResult, fetchFeed } from './fetch/index.js'
export { createJsonLogger, type Logger, silentLogger } from './logger.js'
export {
  canonicalUrl,
  cleanText,
  foldText,
  type NormalizeOptions,
  type NormalizeResult,
  normalizeFeed,
  type OutletEntry,
  parseDate,
} from './normalize/index.js'
export { type AggregatorOptions, DEFAULTS, type ResolvedOptions, resolveOptions } from './options.js'
export { type ParsedFeed, type ParsedItem, type ParseOptions, parseFeed } from './parse/index.js'
export { type OutputOptions, type RenderOptions, renderFeed, writeFeed } from './publish/index.js'
export { type DiscoveredFeed, discoverFeeds, resolveSources } from './sources/index.js'
export { createMemoryStore, createSqliteStore } from './store/index.js'
export type { RunChanges, SourceState, StateStore, StoreTransaction, StoryRecord } from './store/types.js'
export type {
  Article,
  ArticleCredit,
  ArticleImage,
  ArticleSource,
  Enclosure,
  OutputFormat,
  RunReport,
  Source,
  SourceOutcome,
  SourceRules,
  Story,
} from './types.js'
