/** Blocks out: the rebuilt HTML (the writer's own form, which the final gate checks), text paragraphs, images. */

import type { ArticleImage } from '../../types.js'
import { escapeAttribute, escapeText } from '../html/index.js'
import { formatCaption, isPlaceholderAlt, resolveUrl } from '../media.js'
import { cleanText } from '../text/index.js'
import {
  type Block,
  BOLD,
  type BodyOptions,
  type ImageBlock,
  ITALIC,
  type Run,
  STRIKE,
  SUB,
  SUP,
  type TableBlock,
  type TextTag,
  UNDERLINE,
} from './types.js'

const TAG_ORDER: [number, string][] = [
  [BOLD, 'strong'],
  [ITALIC, 'em'],
  [UNDERLINE, 'u'],
  [STRIKE, 's'],
  [SUB, 'sub'],
  [SUP, 'sup'],
]

function runsToHtml(runs: Run[]): string {
  // Most paragraphs are one plain run: no tags to open or close.
  const only = runs.length === 1 ? runs[0] : undefined
  if (only !== undefined && only.kind === 'text' && only.flags === 0 && only.href === undefined)
    return escapeText(only.text)
  let out = ''
  let open: string[] = []
  let openKeys: string[] = []
  for (const run of runs) {
    if (run.kind === 'br') {
      out += '<br />'
      continue
    }
    const want: string[] = []
    const wantKeys: string[] = []
    if (run.href !== undefined) {
      want.push(
        `<a href="${escapeAttribute(run.href)}"${run.title === undefined ? '' : ` title="${escapeAttribute(run.title)}"`}>`,
      )
      wantKeys.push(`a ${run.href} ${run.title ?? ''}`)
    }
    for (const [flag, tag] of TAG_ORDER) {
      if ((run.flags & flag) !== 0) {
        want.push(`<${tag}>`)
        wantKeys.push(tag)
      }
    }
    let common = 0
    while (common < openKeys.length && common < wantKeys.length && openKeys[common] === wantKeys[common]) common++
    for (let k = open.length - 1; k >= common; k--) out += closeTag(openKeys[k] ?? '')
    for (let k = common; k < want.length; k++) out += want[k]
    open = want
    openKeys = wantKeys
    out += escapeText(run.text)
  }
  for (let k = openKeys.length - 1; k >= 0; k--) out += closeTag(openKeys[k] ?? '')
  return out
}

function closeTag(key: string): string {
  return key.startsWith('a ') ? '</a>' : `</${key}>`
}

function imageHtml(image: ImageBlock): string {
  const caption = formatCaption(image.caption, image.credit)
  let out = '<figure>'
  if (image.url !== undefined) {
    const alt = image.alt ?? image.caption ?? ''
    out += `<img src="${escapeAttribute(image.url)}" alt="${escapeAttribute(alt)}"`
    if (image.width !== undefined) out += ` width="${image.width}"`
    if (image.height !== undefined) out += ` height="${image.height}"`
    out += ' />'
  }
  if (caption !== '') out += `<figcaption>${escapeText(caption)}</figcaption>`
  return `${out}</figure>`
}

function tableHtml(table: TableBlock): string {
  let out = '<table><tbody>'
  for (const row of table.rows) {
    out += '<tr>'
    for (const cell of row) {
      out += `<${cell.tag}${cell.colspan === undefined ? '' : ` colspan="${cell.colspan}"`}${cell.rowspan === undefined ? '' : ` rowspan="${cell.rowspan}"`}>`
      out += runsToHtml(cell.runs)
      out += `</${cell.tag}>`
    }
    out += '</tr>'
  }
  return `${out}</tbody></table>`
}

/** blocksToHtml's state (module-level functions rather than closures: one allocation per body, not five). The
 * HTML is collected in parts and joined once: one flat string, not a deep chain of concatenations that the gate
 * would have to flatten. */
interface HtmlWriter {
  parts: string[]
  list: { id: number; ordered: boolean } | undefined
  para: { group: number; tag: TextTag } | undefined
}

function closePara(w: HtmlWriter): void {
  if (w.para !== undefined) w.parts.push(`</${w.para.tag}>`)
  w.para = undefined
}

function closeList(w: HtmlWriter): void {
  closePara(w)
  if (w.list !== undefined) w.parts.push(w.list.ordered ? '</ol>' : '</ul>')
  w.list = undefined
}

export function blocksToHtml(blocks: Block[]): string {
  const w: HtmlWriter = { parts: [], list: undefined, para: undefined }
  const parts = w.parts
  let quote: number | undefined
  for (const b of blocks) {
    const bq = b.quote
    if (bq !== quote) {
      closeList(w)
      if (quote !== undefined) parts.push('</blockquote>')
      if (bq !== undefined) parts.push('<blockquote>')
      quote = bq
    }
    if (b.kind !== 'text') {
      closeList(w)
      parts.push(b.kind === 'image' ? imageHtml(b) : tableHtml(b))
      continue
    }
    if (b.tag === 'li') {
      const l = b.list ?? { id: -1, ordered: false }
      if (w.list === undefined || w.list.id !== l.id) {
        closeList(w)
        parts.push(l.ordered ? '<ol>' : '<ul>')
        w.list = l
      }
      closePara(w)
      parts.push('<li>', runsToHtml(b.runs), '</li>')
      continue
    }
    if (w.list !== undefined) closeList(w)
    const para = w.para
    if (para !== undefined && para.group === b.group && para.tag === b.tag && b.tag === 'p') {
      parts.push('<br />', runsToHtml(b.runs))
      continue
    }
    closePara(w)
    parts.push(`<${b.tag}>`, runsToHtml(b.runs))
    w.para = { group: b.group, tag: b.tag }
  }
  closeList(w)
  if (quote !== undefined) parts.push('</blockquote>')
  return parts.join('')
}

export function blocksToText(blocks: Block[]): string[] {
  const text: string[] = []
  for (const b of blocks) {
    if (b.kind === 'text') text.push(b.text)
    else if (b.kind === 'table') {
      for (const row of b.rows) {
        const line = row
          .map((c) => c.text)
          .filter((t) => t !== '')
          .join(' | ')
        if (line !== '') text.push(line)
      }
    }
  }
  return text
}

const IMAGE_EXT = /\.(?:jpe?g|png|gif|webp|avif|bmp)(?:$|[?#])/i

export function imagesOf(blocks: Block[], options: BodyOptions): ArticleImage[] {
  const media = options.media ?? []
  const images: ArticleImage[] = []
  for (const b of blocks) {
    if (b.kind !== 'image') continue
    const m = b.url === undefined ? undefined : media.find((x) => x.url === b.url)
    const credit = b.credit ?? (m?.credit === undefined ? undefined : cleanText(m.credit))
    const mediaCaption = m?.title === undefined ? undefined : cleanText(m.title)
    const caption =
      b.caption ??
      (mediaCaption !== undefined && !isPlaceholderAlt(mediaCaption, options.title) ? mediaCaption : undefined)
    images.push({
      ...(b.url === undefined ? {} : { url: b.url }),
      ...(b.alt === undefined ? {} : { alt: b.alt }),
      ...(caption === undefined || caption === '' ? {} : { caption }),
      ...(credit === undefined || credit === '' ? {} : { credit }),
    })
  }
  if (!images.some((i) => i.url !== undefined)) {
    // An imageless body: the feed's own pictures are the article's.
    for (const m of media) {
      const isImage = m.type === undefined ? IMAGE_EXT.test(m.url) : m.type.startsWith('image/')
      if (!isImage || images.some((i) => i.url === m.url)) continue
      const url = resolveUrl(m.url, options.baseUrl, ['http', 'https'])
      if (url === undefined) continue
      const caption = m.title === undefined ? '' : cleanText(m.title)
      const credit = m.credit === undefined ? '' : cleanText(m.credit)
      images.push({
        url,
        ...(caption === '' || isPlaceholderAlt(caption, options.title) ? {} : { caption }),
        ...(credit === '' ? {} : { credit }),
      })
    }
  }
  return images
}
