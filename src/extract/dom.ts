/**
 * The one file that imports the DOM libraries of extract/: domhandler's tree (built by htmlparser2's parser from
 * src/internal/markup.ts), css-select over it, domutils and dom-serializer. Swap them here.
 *
 * The tree is depth-capped while it is built: an element opened deeper than MAX_DEPTH is not added (its children go
 * to the deepest kept ancestor), so every walk over the tree — recursive or not — is bounded, whatever the page.
 */
import { compile } from 'css-select'
import render from 'dom-serializer'
import {
  type AnyNode,
  type ChildNode,
  type Document,
  DomHandler,
  Element,
  isTag,
  isText,
  type ParentNode,
} from 'domhandler'
import { removeElement } from 'domutils'
import { Parser } from '../internal/markup.js'

export type { AnyNode, ChildNode, Document, Element, ParentNode }
export { isTag, isText }

/** Deeper elements are flattened into their ancestor at this depth. Real article pages stay well under 100. */
export const MAX_DEPTH = 160

class CappedHandler extends DomHandler {
  private depth = 0
  private skipped = 0

  override onopentag(name: string, attribs: { [key: string]: string }): void {
    if (this.depth >= MAX_DEPTH) {
      this.skipped++
      return
    }
    this.depth++
    super.onopentag(name, attribs)
  }

  override onclosetag(): void {
    // The parser closes elements in the reverse order it opened them, so the skipped ones close first.
    if (this.skipped > 0) {
      this.skipped--
      return
    }
    if (this.depth > 0) this.depth--
    super.onclosetag()
  }
}

/** Parses an HTML page into a depth-capped domhandler Document. */
export function parsePage(html: string): Document {
  const handler = new CappedHandler()
  const parser = new Parser(handler, { decodeEntities: true })
  parser.end(html)
  return handler.root
}

export type Matcher = (el: Element) => boolean

const compiled = new Map<string, Matcher | null>()

/** A compiled CSS selector (css-select), or undefined for one it cannot read. Cached per selector text. */
export function matcher(selector: string): Matcher | undefined {
  const known = compiled.get(selector)
  if (known !== undefined) return known ?? undefined
  let fn: Matcher | null = null
  try {
    const test = compile<AnyNode, Element>(selector)
    fn = (el) => test(el)
  } catch {
    fn = null
  }
  if (compiled.size > 2000) compiled.clear()
  compiled.set(selector, fn)
  return fn ?? undefined
}

/** Elements under `root` (document order, iterative walk) that match. */
export function findAll(root: AnyNode, test: Matcher, limit = Number.POSITIVE_INFINITY): Element[] {
  const out: Element[] = []
  const stack: ChildNode[] = []
  const start = 'children' in root ? root.children : []
  for (let i = start.length - 1; i >= 0; i--) stack.push(start[i] as ChildNode)
  while (stack.length > 0) {
    const node = stack.pop() as ChildNode
    if (!isTag(node)) continue
    if (test(node)) {
      out.push(node)
      if (out.length >= limit) break
    }
    const children = node.children
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as ChildNode)
  }
  return out
}

/**
 * The first element under `root` matching `selector`; in a comma list the earlier part wins (`.a, .b` is `.a` when
 * there is one, wherever it is). One walk for the whole list.
 */
export function selectFirst(root: AnyNode, selector: string): Element | undefined {
  const tests = splitSelectorList(selector)
    .map((part) => matcher(part))
    .filter((m): m is Matcher => m !== undefined)
  if (tests.length === 0) return undefined
  const firsts: (Element | undefined)[] = tests.map(() => undefined)
  let best = tests.length
  findAll(
    root,
    (el) => {
      for (let i = 0; i < best; i++) {
        if (firsts[i] === undefined && (tests[i] as Matcher)(el)) {
          firsts[i] = el
          best = i
          break
        }
      }
      // Stop once the first part has matched: nothing can beat it.
      return best === 0
    },
    1,
  )
  return best < tests.length ? firsts[best] : undefined
}

/** Splits `a, b[x="1,2"], c` at its top-level commas. */
export function splitSelectorList(selector: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quote = ''
  let start = 0
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]
    if (quote !== '') {
      if (c === quote) quote = ''
      continue
    }
    if (c === '"' || c === "'") quote = c
    else if (c === '(' || c === '[') depth++
    else if ((c === ')' || c === ']') && depth > 0) depth--
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(selector.slice(start).trim())
  return parts.filter((p) => p !== '')
}

/** The text of a node (iterative). */
export function textOf(node: AnyNode): string {
  if (isText(node)) return node.data
  if (!('children' in node)) return ''
  const parts: string[] = []
  const stack: ChildNode[] = []
  for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as ChildNode)
  while (stack.length > 0) {
    const n = stack.pop() as ChildNode
    if (isText(n)) parts.push(n.data)
    else if (isTag(n)) {
      if (n.name === 'script' || n.name === 'style' || n.name === 'template') continue
      // Block boundaries separate words.
      if (n.name === 'br' || n.name === 'p' || n.name === 'div' || n.name === 'li') parts.push(' ')
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as ChildNode)
    }
  }
  return parts.join('')
}

/** Removes a node from its parent. */
export function remove(node: ChildNode): void {
  removeElement(node)
}

/** Whether `inner` is `outer` or inside it. */
export function contains(outer: AnyNode, inner: AnyNode): boolean {
  for (let n: AnyNode | null = inner; n !== null; n = n.parent) if (n === outer) return true
  return false
}

/** Serializes a node as HTML (dom-serializer). */
export function outerHtml(node: AnyNode | AnyNode[]): string {
  return render(node, { decodeEntities: true, encodeEntities: 'utf8' })
}

/** A new element (for rebuilt bodies). */
export function createElement(name: string, attribs: Record<string, string>, children: ChildNode[]): Element {
  const el = new Element(name, attribs, children)
  for (const [i, child] of children.entries()) {
    child.parent = el
    child.prev = children[i - 1] ?? null
    child.next = children[i + 1] ?? null
  }
  return el
}
