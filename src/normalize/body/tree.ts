/** Questions the block walk asks of the parsed tree: an element's first `<img>`, its images, a table's rows and kind. */

import { type HtmlElement, textContent } from '../html/index.js'
import { cleanText } from '../text/index.js'

export function findFirst(el: HtmlElement, name: string): HtmlElement | undefined {
  for (const child of el.children) {
    if (child.type !== 'element') continue
    if (child.name === name) return child
    const found = findFirst(child, name)
    if (found !== undefined) return found
  }
  return undefined
}

export function countImages(el: HtmlElement): number {
  let n = 0
  for (const child of el.children) {
    if (child.type !== 'element') continue
    if (child.name === 'img' || child.name === 'amp-img') n++
    else n += countImages(child)
  }
  return n
}

function hasNested(el: HtmlElement, names: ReadonlySet<string>): boolean {
  for (const child of el.children) {
    if (child.type !== 'element') continue
    if (names.has(child.name) || hasNested(child, names)) return true
  }
  return false
}

/** The rows of a table (through thead/tbody/tfoot), each a list of td/th cells; nested tables are not entered. */
export function tableRows(table: HtmlElement): HtmlElement[][] {
  const rows: HtmlElement[][] = []
  const visit = (el: HtmlElement): void => {
    for (const child of el.children) {
      if (child.type !== 'element') continue
      if (child.name === 'tr') {
        rows.push(
          child.children.filter((c): c is HtmlElement => c.type === 'element' && (c.name === 'td' || c.name === 'th')),
        )
      } else if (child.name === 'thead' || child.name === 'tbody' || child.name === 'tfoot') visit(child)
    }
  }
  visit(table)
  return rows
}

const IMAGE_TABLE_CLASS = /image|tplcaption|picture|photo|caption|figure|hinh|anh/i

export function isImageTable(table: HtmlElement, rows: HtmlElement[][]): boolean {
  if (IMAGE_TABLE_CLASS.test(table.attrs.class ?? '')) return true
  if (rows.length > 4) return false
  return cleanText(textContent(table)).length <= 400
}

const NESTED_LAYOUT = new Set(['table', 'p', 'div', 'ul', 'ol', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'figure'])

export function isDataTable(table: HtmlElement, rows: HtmlElement[][]): boolean {
  if (rows.length < 2) return false
  if (!rows.some((r) => r.length >= 2)) return false
  // Cells holding whole paragraphs, lists or other tables mean the table lays out an article, not data.
  let blocky = 0
  for (const row of rows) for (const cell of row) if (hasNested(cell, NESTED_LAYOUT)) blocky++
  const cells = rows.reduce((n, r) => n + r.length, 0)
  if (hasNested(table, new Set(['table']))) return false
  return blocky <= cells / 2
}
