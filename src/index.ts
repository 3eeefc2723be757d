/**
 * tonghop — aggregate Vietnamese provincial news feeds into one clean, credited, deduplicated feed.
 * Public exports only; importing this module has no side effects.
 */
export { type Aggregator, aggregate, createAggregator, type RunOptions } from './aggregator.js'
export {
  type ArticleOutcome,
  createDeduper,
  DEDUPE_DEFAULTS,
  type DedupeOptions,
  type Deduper,
  dedupeArticles,
  type PreparedArticles,
  prepareArticles,
  type StoryIndex,
} from './dedupe/index.js'
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
export {
  EXTRACT_RULES,
  type ExtractErrorCode,
  type ExtractedArticle,
  type ExtractOptions,
  type ExtractResult,
  type ExtractRule,
  extractArticle,
  FULL_TEXT_DEFAULTS,
  type FullTextMode,
  type FullTextOptions,
} from './extract/index.js'
export {
  createFetchSession,
  FETCH_DEFAULTS,
  type FetchDefaults,
  type FetchOptions,
  type FetchRequest,
  type FetchResult,
  type FetchSession,
  type FetchSessionOptions,
  type FetchSourcesOptions,
  fetchFeed,
  fetchSources,
  type PageFetchOutcome,
  type SourceFetchOutcome,
} from './fetch/index.js'
export { createJsonLogger, type Logger, silentLogger } from './logger.js'
export {
  canonicalUrl,
  cleanText,
  decodeEntities,
  findOutlet,
  foldText,
  type NormalizeOptions,
  type NormalizeResult,
  normalizeFeed,
  OUTLETS,
  type OutletEntry,
  type ParseDateOptions,
  parseDate,
  repairMojibake,
  resolveCredit,
} from './normalize/index.js'
export {
  type AggregatorOptions,
  DEFAULTS,
  type OutputOptions,
  type ResolvedOptions,
  resolveOptions,
  type StoreOptions,
} from './options.js'
export { type ParsedFeed, type ParsedItem, type ParsedMedia, type ParseOptions, parseFeed } from './parse/index.js'
export {
  filterStories,
  type OutputFilter,
  PUBLISH_DEFAULTS,
  pingHub,
  type RenderOptions,
  renderFeed,
  type WriteFeedOptions,
  writeFeed,
} from './publish/index.js'
export {
  type DiscoveredFeed,
  discoverFeeds,
  readOpml,
  resolveSources,
  type SourceConfig,
  type SourcesInput,
  writeOpml,
} from './sources/index.js'
export {
  assessHealth,
  createMemoryStore,
  createSqliteStore,
  HEALTH_DEFAULTS,
  nextHealth,
  type SqliteStoreOptions,
} from './store/index.js'
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
} from './store/types.js'
export type {
  Article,
  ArticleCredit,
  ArticleImage,
  ArticleSource,
  Enclosure,
  HookReport,
  OutputFormat,
  RunMetrics,
  RunReport,
  Source,
  SourceHealth,
  SourceHealthRow,
  SourceOutcome,
  SourceRules,
  SourceTrouble,
  Story,
} from './types.js'
