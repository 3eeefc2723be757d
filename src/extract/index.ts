// The only file other stages import from extract/.
export { extractArticle } from './extract-article.js'
export { EXTRACT_RULES } from './rules.js'
export type { ExtractErrorCode, ExtractOptions, ExtractResult, ExtractRule } from './types.js'
