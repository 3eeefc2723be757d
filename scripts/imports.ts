/**
 * Import rules of src/ (DESIGN: each third-party library imported in exactly one file, no upward imports, no
 * cycles). cli/ sits on top of the library and may import any of it. Prints the third-party packages imported (at run time) by more than one file, the imports of a top-level
 * module from a stage folder other than the shared ones, and every cycle among run-time imports.
 *
 *   node --import tsx scripts/imports.ts [--dir src]
 *
 * Exits 1 when any rule is broken. Type-only imports are listed apart and do not count.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import ts from 'typescript'

const { values } = parseArgs({ options: { dir: { type: 'string', default: 'src' } } })
const root = resolve(values.dir)
/** Top-level modules every stage may import: cross-stage types, errors, the logger, the version. */
const SHARED = new Set(['types.ts', 'errors.ts', 'logger.ts', 'version.ts'])

function* tsFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* tsFiles(path)
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path
  }
}

interface Edge {
  spec: string
  typeOnly: boolean
}

function importsOf(path: string): Edge[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true)
  const out: Edge[] = []
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const spec = (node.moduleSpecifier as ts.StringLiteral).text
      const clause = ts.isImportDeclaration(node) ? node.importClause : undefined
      let typeOnly = ts.isImportDeclaration(node) ? clause?.isTypeOnly === true : node.isTypeOnly
      const named = ts.isImportDeclaration(node) ? clause?.namedBindings : node.exportClause
      if (!typeOnly && named && ts.isNamedImports(named) && !clause?.name && named.elements.length > 0)
        typeOnly = named.elements.every((e) => e.isTypeOnly)
      if (!typeOnly && named && ts.isNamedExports(named) && named.elements.length > 0)
        typeOnly = named.elements.every((e) => e.isTypeOnly)
      out.push({ spec, typeOnly })
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push({ spec: node.arguments[0].text, typeOnly: false })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out
}

function resolveLocal(from: string, spec: string): string | undefined {
  const target = resolve(dirname(from), spec.replace(/\.js$/, '.ts'))
  return existsSync(target) ? target : undefined
}

const packages = new Map<string, Set<string>>()
const typePackages = new Map<string, Set<string>>()
const graph = new Map<string, string[]>()
const upward: string[] = []
for (const file of tsFiles(root)) {
  const rel = relative(root, file)
  const edges: string[] = []
  for (const { spec, typeOnly } of importsOf(file)) {
    if (spec.startsWith('.')) {
      const target = resolveLocal(file, spec)
      if (target === undefined) continue
      const targetRel = relative(root, target)
      const above = rel.startsWith('cli/') // the CLI sits on top of the library and composes it
      if (rel.includes('/') && !above && !targetRel.includes('/') && !SHARED.has(targetRel) && !typeOnly)
        upward.push(`${rel} → ${targetRel}`)
      if (!typeOnly) edges.push(target)
    } else if (!spec.startsWith('node:')) {
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!
      const map = typeOnly ? typePackages : packages
      if (!map.has(name)) map.set(name, new Set())
      map.get(name)!.add(rel)
    }
  }
  graph.set(file, edges)
}

// Tarjan's strongly connected components: every component of more than one file (or a self-import) is a cycle.
const cycles: string[][] = []
{
  let index = 0
  const order = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const on = new Set<string>()
  const connect = (v: string): void => {
    order.set(v, index)
    low.set(v, index++)
    stack.push(v)
    on.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        connect(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!))
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        on.delete(w)
        component.push(relative(root, w))
      } while (w !== v)
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!order.has(v)) connect(v)
}

let broken = 0
console.log('Third-party packages imported at run time by more than one file:')
for (const [name, files] of [...packages].sort()) {
  if (files.size > 1) {
    broken++
    console.log(`  ${name}: ${[...files].sort().join(', ')}`)
  }
}
console.log('Third-party packages by file (run time):')
for (const [name, files] of [...packages].sort()) console.log(`  ${name}: ${[...files].sort().join(', ')}`)
console.log('Type-only third-party imports (do not count):')
for (const [name, files] of [...typePackages].sort()) console.log(`  ${name}: ${[...files].sort().join(', ')}`)
console.log('Upward imports (a stage file importing a top-level module other than types/errors/logger/version):')
for (const line of upward.sort()) console.log(`  ${line}`)
console.log('Cycles among run-time imports:')
for (const cycle of cycles) {
  broken++
  console.log(`  ${cycle.join(' ↔ ')}`)
}
if (cycles.length === 0) console.log('  none')
process.exitCode = broken || upward.length ? 1 : 0
