/**
 * Schema errors → messages: turns the validator's errors into one field path and a sentence such as
 * "Expected `fetch.perHost` to be an integer ≥ 1, got `0`" or "Unknown field `sourcse` at the top level (did you
 * mean `sources`?)". Knows nothing of ajv beyond the shape of its errors (src/options.ts compiles the schema).
 */

/** The parts of an ajv ErrorObject read here (ajv's own type is structurally the same). */
export interface SchemaError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  parentSchema?: unknown
  data?: unknown
}

/** The most telling schema error, as a field path and a sentence. */
export function explain(errors: readonly SchemaError[]): { path: string; message: string } {
  // An unknown field first: a typo (`sourcse`) also explains the "missing" field it was meant to be.
  const error =
    errors.find((e) => e.keyword === 'additionalProperties') ?? errors.find((e) => e.keyword !== 'if') ?? errors[0]
  if (!error) return { path: '', message: 'Invalid options' }
  const segments = pointerSegments(error.instancePath)
  const at = formatPath(segments)
  const node = (error.parentSchema ?? {}) as SchemaNode

  if (error.keyword === 'additionalProperties') {
    const field = String((error.params as { additionalProperty: string }).additionalProperty)
    const known = Object.keys(node.properties ?? {})
    const where = at === '' ? 'at the top level' : `in \`${at}\``
    const hint = suggest(field, known)
    const tail = hint ? ` (did you mean \`${hint}\`?)` : known.length ? ` (expected one of ${list(known)})` : ''
    return { path: formatPath([...segments, field]), message: `Unknown field \`${field}\` ${where}${tail}` }
  }
  if (error.keyword === 'required') {
    const field = String((error.params as { missingProperty: string }).missingProperty)
    const path = formatPath([...segments, field])
    const what = describe(node.properties?.[field] ?? {})
    return {
      path,
      message: `Missing required field \`${path}\`${what ? `: expected ${what}` : ''}`,
    }
  }
  const subject = at === '' ? 'the config' : `\`${at}\``
  return { path: at, message: `Expected ${subject} to be ${describe(node) || 'valid'}, got ${show(error.data)}` }
}

interface SchemaNode {
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  minimum?: number
  maximum?: number
  minLength?: number
  minItems?: number
  items?: SchemaNode
  properties?: Record<string, SchemaNode>
  'x-expected'?: string
}

function describe(node: SchemaNode): string {
  if (node['x-expected']) return node['x-expected']
  if (node.enum) return `one of ${list(node.enum.map(String))}`
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``
  const type = Array.isArray(node.type) ? node.type[0] : node.type
  const { minimum: min, maximum: max } = node
  switch (type) {
    case 'integer':
    case 'number': {
      const noun = type === 'integer' ? 'an integer' : 'a number'
      if (min !== undefined && max !== undefined) return `${noun} between ${min} and ${max}`
      if (min !== undefined) return `${noun} ≥ ${min}`
      if (max !== undefined) return `${noun} ≤ ${max}`
      return noun
    }
    case 'string':
      return node.minLength ? 'a non-empty string' : 'a string'
    case 'boolean':
      return '`true` or `false`'
    case 'array': {
      const itemType = node.items?.type
      const items = itemType === 'string' ? ' of strings' : itemType === 'object' ? ' of objects' : ''
      return node.minItems
        ? `a list${items} with at least ${node.minItems} item${node.minItems > 1 ? 's' : ''}`
        : `a list${items}`
    }
    case 'object':
      return 'an object'
    default:
      return ''
  }
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s))
}

/** `['sources', 2, 'url']` → `sources[2].url` */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = ''
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out === '' ? s : `.${s}`
    else out += `[${JSON.stringify(s)}]`
  }
  return out
}

/** `sources[2].url` → `['sources', 2, 'url']` (the inverse of formatPath). */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = []
  const re = /([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1])
    else if (m[2] !== undefined) out.push(Number(m[2]))
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string)
  }
  return out
}

function list(values: string[]): string {
  return values.map((v) => `\`${v}\``).join(', ')
}

/** The known name closest to a typo (edit distance ≤ 2, or equal ignoring case). */
function suggest(field: string, known: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const name of known) {
    const d = name.toLowerCase() === field.toLowerCase() ? 0 : distance(field, name)
    if (d < bestDistance) {
      best = name
      bestDistance = d
    }
  }
  return best
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      // transposition counts as one edit ("sourcse" → "sources")
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) prev[j] = Math.min(prev[j]!, diag)
      diag = up
    }
  }
  return prev[b.length]!
}

/** A value as shown in a message: `0`, `"8"`, `{"a":1}` (long values shortened). */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (typeof value === 'function') return 'a function'
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  if (text.length > 80) text = `${text.slice(0, 77)}…`
  return `\`${text}\``
}
