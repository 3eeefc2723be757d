/**
 * The HTML layer of normalize/: tree.ts parses a body into a small, depth-capped tree (htmlparser2, through
 * internal/markup.ts); sanitize.ts is the sanitize-html allowlist; gate.ts is the one gated path for the HTML body/
 * rebuilds (a proof that it is the allowlist's fixed point, else the allowlist itself); escape.ts writes text.
 */
export { escapeAttribute, escapeHtml, escapeHtmlNumeric, escapeText } from './escape.js'
export { sanitizeRebuiltHtml, sanitizeRebuiltHtmlAll } from './gate.js'
export { sanitizeHtml } from './sanitize.js'
export {
  BLOCK_TAGS,
  capNesting,
  type HtmlElement,
  type HtmlNode,
  type HtmlText,
  MAX_BODY_LENGTH,
  MAX_DEPTH,
  type ParseHtmlOptions,
  parseHtml,
  textContent,
} from './tree.js'
