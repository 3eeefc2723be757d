/**
 * The one file that imports the markup libraries shared by parse/ (XML feeds) and normalize/ (HTML bodies):
 * htmlparser2's tokenizer and the `entities` decoder. Swap them here.
 */
export { DecodingMode, decodeHTML, decodeHTMLAttribute } from 'entities'
export { Parser } from 'htmlparser2'
