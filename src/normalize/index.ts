// The only file other stages import from normalize/.
export { type BodyOptions, type BodyResult, processBody } from './body/index.js'
export { resolveCredit } from './credit.js'
export { DEFAULT_TIME_ZONE, isValidTimeZone, type ParseDateOptions, parseDate } from './date.js'
export { type ArticleIdInput, articleId } from './id.js'
export { plausibleEnclosureLength } from './media.js'
export { cleanAuthor, normalizeFeed } from './normalize-feed.js'
export { resolveNormalizeOptions } from './options.js'
export {
  findOutlet,
  OUTLETS,
  type OutletInput,
  outletFromTitle,
  outletKey,
  resolveOutlet,
  resolveSiteOutlet,
} from './outlets.js'
export { cleanText, decodeEntities, foldText, isTrimSpace, repairMojibake } from './text/index.js'
export type { NormalizeOptions, NormalizeResult, NormalizeWarningCode, OutletEntry } from './types.js'
export { absoluteUrl, canonicalUrl } from './url.js'
