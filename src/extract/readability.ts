/**
 * The generic fallback: Mozilla's Readability over a linkedom document. The one file that imports either library.
 * The page handed in is already cleaned of scripts and depth-capped (see extract-article.ts), so linkedom's tree
 * and Readability's walks stay bounded.
 */
import { Readability } from '@mozilla/readability'
import { parseHTML } from 'linkedom'

export interface Readable {
  /** Article content HTML (Readability's, not yet cleaned). */
  content: string
  title?: string
  byline?: string
  textLength: number
}

/** Readability gives up on pages with more elements than this. */
const MAX_ELEMENTS = 60_000

export function readable(html: string): Readable | undefined {
  const { document } = parseHTML(html)
  let article: ReturnType<Readability['parse']>
  try {
    article = new Readability(document as never, {
      charThreshold: 200,
      maxElemsToParse: MAX_ELEMENTS,
      keepClasses: true,
      // JSON-LD is read by metadata.ts; the page handed in has no scripts left.
      disableJSONLD: true,
    }).parse()
  } catch {
    return undefined
  }
  if (article === null || typeof article.content !== 'string' || article.content === '') return undefined
  const title = article.title?.trim()
  const byline = article.byline?.trim()
  return {
    content: article.content,
    ...(title === undefined || title === '' ? {} : { title }),
    ...(byline === undefined || byline === '' ? {} : { byline }),
    textLength: article.length ?? 0,
  }
}
