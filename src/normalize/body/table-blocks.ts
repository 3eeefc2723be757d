/**
 * Tables in the block walk: an image layout table as hinted blocks (its texts are captions), a data table as one
 * table block of cells (each cell walked on its own), a layout table as plain containers.
 */

import type { HtmlElement } from '../html/index.js'
import { cleanText } from '../text/index.js'
import { countImages, isDataTable, isImageTable, tableRows } from './tree.js'
import type { Block, BlockWalker, Run, TableCell, WalkCtx } from './types.js'

/** A `<table>`, by kind: image layout, data, or layout. */
export function table(b: BlockWalker, el: HtmlElement, ctx: WalkCtx): void {
  const rows = tableRows(el)
  const images = countImages(el)
  if (images > 0 && isImageTable(el, rows)) {
    // Image layout (table.image / tplCaption): images, and every text in it is a caption.
    b.block(el, ctx, { hint: true, tag: 'p' })
    return
  }
  if (isDataTable(el, rows)) {
    dataTable(b, rows, ctx)
    return
  }
  // Layout table: its cells are just containers.
  b.block(el, ctx, { tag: ctx.tag === 'li' ? 'li' : 'p' })
}

/** A data table: one table block (unless every cell is empty), then the images its cells held. */
function dataTable(b: BlockWalker, rows: HtmlElement[][], ctx: WalkCtx): void {
  b.flush()
  const out: TableCell[][] = []
  const after: Block[] = []
  for (const row of rows) {
    const cells: TableCell[] = []
    for (const cell of row) cells.push(tableCell(b, cell, after))
    if (cells.length > 0) out.push(cells)
  }
  if (out.some((r) => r.some((c) => c.text !== ''))) {
    b.blocks.push({ kind: 'table', rows: out, ...(ctx.quote === undefined ? {} : { quote: ctx.quote }) })
  }
  b.blocks.push(...after)
  b.newGroup()
}

/** One cell, walked on its own: its text blocks joined with `<br>`; its other blocks pushed to `after`. */
function tableCell(b: BlockWalker, cell: HtmlElement, after: Block[]): TableCell {
  const sub = b.sub()
  sub.walk(cell)
  const runs: Run[] = []
  for (const block of sub.blocks) {
    if (block.kind === 'text') {
      if (runs.length > 0) runs.push({ kind: 'br' })
      runs.push(...block.runs)
    } else after.push(block)
  }
  return {
    tag: cell.name === 'th' ? 'th' : 'td',
    runs,
    text: cleanText(runs.map((r) => (r.kind === 'br' ? ' ' : r.text)).join('')),
    ...(cell.attrs.colspan !== undefined && /^\d{1,3}$/.test(cell.attrs.colspan)
      ? { colspan: cell.attrs.colspan }
      : {}),
    ...(cell.attrs.rowspan !== undefined && /^\d{1,3}$/.test(cell.attrs.rowspan)
      ? { rowspan: cell.attrs.rowspan }
      : {}),
  }
}
