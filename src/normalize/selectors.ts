/**
 * The small selector language of per-source rules: `tag`, `.class`, `#id`, `tag.class`, `tag#id.class`, `[attr]`,
 * `[attr=value]`, and comma-separated lists of those. Combinators (descendant, child, …) are not supported: such a
 * selector matches nothing rather than something unintended.
 */

export type SelectorMatcher = (name: string, attrs: Record<string, string>) => boolean

interface Compound {
  tag?: string
  id?: string
  classes: string[]
  attrs: { name: string; value?: string }[]
}

const COMPOUND = /^([a-zA-Z][\w:-]*|\*)?((?:[.#][\w-]+|\[\s*[\w:-]+\s*(?:=\s*(?:"[^"]*"|'[^']*'|[^\]\s]+)\s*)?\])*)$/
const PART = /([.#])([\w-]+)|\[\s*([\w:-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]+))\s*)?\]/g

function parseCompound(selector: string): Compound | undefined {
  const s = selector.trim()
  if (s === '') return undefined
  const m = COMPOUND.exec(s)
  if (m === null) return undefined
  const compound: Compound = { classes: [], attrs: [] }
  if (m[1] !== undefined && m[1] !== '*') compound.tag = m[1].toLowerCase()
  for (const part of (m[2] ?? '').matchAll(PART)) {
    if (part[1] === '.') compound.classes.push((part[2] ?? '').toLowerCase())
    else if (part[1] === '#') compound.id = part[2] ?? ''
    else if (part[3] !== undefined) {
      const value = part[4] ?? part[5] ?? part[6]
      compound.attrs.push({ name: part[3].toLowerCase(), ...(value === undefined ? {} : { value }) })
    }
  }
  if (
    compound.tag === undefined &&
    compound.id === undefined &&
    compound.classes.length === 0 &&
    compound.attrs.length === 0
  ) {
    return undefined
  }
  return compound
}

function matches(c: Compound, name: string, attrs: Record<string, string>): boolean {
  if (c.tag !== undefined && c.tag !== name) return false
  if (c.id !== undefined && attrs.id !== c.id) return false
  if (c.classes.length > 0) {
    const have = new Set((attrs.class ?? '').toLowerCase().split(/\s+/))
    for (const cls of c.classes) if (!have.has(cls)) return false
  }
  for (const a of c.attrs) {
    const v = attrs[a.name]
    if (v === undefined || (a.value !== undefined && v !== a.value)) return false
  }
  return true
}

/** Compiles selectors into one matcher; `undefined` when none is usable. Unsupported selectors are skipped. */
export function compileSelectors(selectors: readonly string[]): SelectorMatcher | undefined {
  const compounds: Compound[] = []
  for (const list of selectors) {
    for (const one of list.split(',')) {
      const c = parseCompound(one)
      if (c !== undefined) compounds.push(c)
    }
  }
  if (compounds.length === 0) return undefined
  return (name, attrs) => compounds.some((c) => matches(c, name, attrs))
}
