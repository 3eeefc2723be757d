import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type AnyNode, type Element, isTag, isText, parsePage } from '../../src/extract/dom.js'

export const FIXTURES = join(import.meta.dirname, '../fixtures/extract')

export interface Expected {
  url: string
  method: 'rule' | 'json-ld' | 'readability'
  rule?: string
  title?: string
  lead?: string
  byline?: string
  date?: string
  paragraphs: string[]
  captions: string[]
  boilerplate: string[]
}

export interface Fixture {
  name: string
  html: string
  expected: Expected
}

export function fixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.expected.json'))
    .map((f) => {
      const name = f.slice(0, -'.expected.json'.length)
      return {
        name,
        html: readFileSync(join(FIXTURES, `${name}.html`), 'utf8'),
        expected: JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as Expected,
      }
    })
}

export function norm(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'td', 'th', 'blockquote', 'div'])

function isCaption(el: Element): boolean {
  return el.name === 'figcaption' || /caption|image_desc|image-desc/i.test(el.attribs.class ?? '')
}

/** Paragraph texts of an HTML body (captions apart) and its captions. */
export function blocksOf(html: string): { paragraphs: string[]; captions: string[] } {
  const paragraphs: string[] = []
  const captions: string[] = []
  const visit = (node: AnyNode, current: string[] | undefined, inCaption: boolean): void => {
    if (isText(node)) {
      current?.push(node.data)
      return
    }
    if (!('children' in node)) return
    if (isTag(node) && !inCaption && isCaption(node)) {
      const parts: string[] = []
      for (const c of node.children) visit(c, parts, true)
      const t = norm(parts.join(' '))
      if (t !== '') captions.push(t)
      return
    }
    if (isTag(node) && node.name === 'figure') {
      for (const c of node.children) visit(c, undefined, inCaption)
      return
    }
    if (isTag(node) && BLOCKS.has(node.name) && !inCaption) {
      // A block: its own text runs, with nested blocks as their own paragraphs.
      let parts: string[] = []
      const flush = () => {
        const t = norm(parts.join(''))
        if (t !== '') paragraphs.push(t)
        parts = []
      }
      for (const c of node.children) {
        if (isTag(c) && (BLOCKS.has(c.name) || c.name === 'figure' || isCaption(c))) {
          flush()
          visit(c, undefined, inCaption)
        } else visit(c, parts, inCaption)
      }
      flush()
      return
    }
    for (const c of node.children) visit(c, current, inCaption)
  }
  const doc = parsePage(html)
  const top: string[] = []
  for (const c of doc.children) visit(c, top, false)
  const t = norm(top.join(''))
  if (t !== '') paragraphs.unshift(t)
  return { paragraphs, captions }
}

/** Paragraph F1 of extracted against expected (normalized texts, each matched once). */
export function paragraphF1(got: string[], want: string[]): { f1: number; precision: number; recall: number } {
  const left = new Map<string, number>()
  for (const w of want.map(norm)) left.set(w, (left.get(w) ?? 0) + 1)
  let hit = 0
  for (const g of got.map(norm)) {
    const n = left.get(g) ?? 0
    if (n > 0) {
      hit++
      left.set(g, n - 1)
    }
  }
  const precision = got.length === 0 ? 0 : hit / got.length
  const recall = want.length === 0 ? 1 : hit / want.length
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { f1, precision, recall }
}
