export { DEFAULT_USER_AGENT, FETCH_DEFAULTS, type ResolvedFetchDefaults, resolveFetchDefaults } from './defaults.js'
export { fetchFeed } from './fetch-feed.js'
export { fetchSources } from './fetch-sources.js'
export { isBlockedAddress } from './guard.js'
export type {
  FetchDefaults,
  FetchLimits,
  FetchOptions,
  FetchRedirect,
  FetchRequest,
  FetchResult,
  FetchSourcesOptions,
  SourceFetchOutcome,
  SourceFetchStatus,
} from './types.js'
