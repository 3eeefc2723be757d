export {
  DEFAULT_USER_AGENT,
  FETCH_DEFAULTS,
  PAGE_DEFAULTS,
  type ResolvedFetchDefaults,
  type ResolvedPageDefaults,
  resolveFetchDefaults,
  resolvePageDefaults,
} from './defaults.js'
export { fetchFeed } from './fetch-feed.js'
export { fetchSources } from './fetch-sources.js'
export { isBlockedAddress } from './guard.js'
export { createFetchSession } from './session.js'
export type {
  FetchDefaults,
  FetchLimits,
  FetchOptions,
  FetchRedirect,
  FetchRequest,
  FetchResult,
  FetchSession,
  FetchSessionOptions,
  FetchSourcesOptions,
  OutcomeControl,
  PageDefaults,
  PageFetchOptions,
  PageFetchOutcome,
  RobotsRecord,
  SourceFetchOutcome,
  SourceFetchStatus,
} from './types.js'
