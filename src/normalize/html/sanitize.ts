/**
 * The allowlist: sanitize-html with the news allowlist, the one file that imports sanitize-html. body/ rebuilds
 * HTML that the gate (gate.ts) proves is already in this pass's output form; anything else goes through here.
 */
import sanitize from 'sanitize-html'

/** The news allowlist. No style, class, id, event handler or target attribute survives; URLs are http(s)/mailto. */
const SANITIZE_OPTIONS: sanitize.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'sub',
    'sup',
    'h2',
    'h3',
    'h4',
    'blockquote',
    'ul',
    'ol',
    'li',
    'figure',
    'figcaption',
    'img',
    'a',
    'table',
    'caption',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'template',
    'title',
    'head',
    'iframe',
    'object',
    'svg',
    'math',
    'xmp',
    'noembed',
    'noframes',
  ],
  enforceHtmlBoundary: false,
  parseStyleAttributes: false,
  allowVulnerableTags: false,
  // Stricter than the scheme allowlist: only absolute http(s)/mailto URLs survive (body/ resolves every URL).
  transformTags: { a: absoluteOnly('href'), img: absoluteOnly('src') },
}

function absoluteOnly(attr: string): sanitize.Transformer {
  return (tagName, attribs) => {
    const value = attribs[attr]
    if (value === undefined || /^(?:https?:\/\/|mailto:)[^\s\u0000-\u001f]*$/i.test(value.trim()))
      return { tagName, attribs }
    const { [attr]: _dropped, ...rest } = attribs
    return { tagName, attribs: rest }
  }
}

/** Final allowlist pass over HTML. Never throws; anything it does not know is removed. */
export function sanitizeHtml(html: string): string {
  return sanitize(html, SANITIZE_OPTIONS)
}
