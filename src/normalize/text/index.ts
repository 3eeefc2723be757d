/**
 * Text of normalize/: clean.ts cleans (entities, mojibake, NFC, invisible characters, whitespace), mojibake.ts
 * repairs mis-decoded UTF-8, fold.ts folds for matching and keys.
 */
export { cleanText, decodeEntities, isNfcSafeUnit, isTrimSpace } from './clean.js'
export { foldStartsWith, foldsEqual, foldText } from './fold.js'
export { looksVietnamese, repairMojibake } from './mojibake.js'
