// The only file other stages import from extract/.
export { extractArticle } from './extract-article.js'
export {
  FULL_TEXT_DEFAULTS,
  type FullTextMode,
  type FullTextOptions,
  type ResolvedFullTextOptions,
  resolveFullTextOptions,
} from './options.js'
export { EXTRACT_RULES } from './rules.js'
export type { ExtractErrorCode, ExtractedArticle, ExtractOptions, ExtractResult, ExtractRule } from './types.js'
