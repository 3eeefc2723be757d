export { type DiscoverOptions, discoverFeeds, PROBE_PATHS } from './discover.js'
export { readOpml, writeOpml } from './opml.js'
export { resolveSourceOptions } from './options.js'
export { deriveId, resolveSources } from './resolve.js'
export type {
  DiscoveredFeed,
  ReadOpmlOptions,
  ResolveSourcesOptions,
  SourceConfig,
  SourcesInput,
  WriteOpmlOptions,
} from './types.js'
