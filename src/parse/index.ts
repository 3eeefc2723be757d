// The only file other stages import from parse/.
export { DEFAULT_MAX_SIZE, parseFeed } from './parse-feed.js'
export type { ParsedFeed, ParsedItem, ParsedMedia, ParseOptions } from './types.js'
