/**
 * Long units in src/ (issue 19): every function (declaration, expression, arrow, method, accessor, constructor)
 * and class over `--max` lines (default 120), and every file over `--file-max` lines (default 500), longest first.
 * Nested functions are measured on their own; a function's count includes the functions inside it.
 *
 *   node --import tsx scripts/long-units.ts [--max 120] [--file-max 500] [--dir src] [--exclude a.ts,b.ts]
 *
 * Exits 1 when anything is over (excluded files are listed but do not fail).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import ts from 'typescript'

const { values } = parseArgs({
  options: {
    max: { type: 'string', default: '120' },
    'file-max': { type: 'string', default: '500' },
    dir: { type: 'string', default: 'src' },
    exclude: { type: 'string', default: '' },
  },
})
const max = Number(values.max)
const fileMax = Number(values['file-max'])
const excluded = new Set(values.exclude.split(',').filter(Boolean))

function* tsFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* tsFiles(path)
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path
  }
}

function nameOf(node: ts.Node, source: ts.SourceFile): string {
  const named = node as { name?: ts.Node }
  if (named.name) return named.name.getText(source)
  if (ts.isConstructorDeclaration(node)) return 'constructor'
  const parent = node.parent
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(source)
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(source)
  if (parent && ts.isPropertyDeclaration(parent)) return parent.name.getText(source)
  return '(anonymous)'
}

interface Unit {
  file: string
  name: string
  kind: 'function' | 'class'
  line: number
  lines: number
}

const units: Unit[] = []
const longFiles: { file: string; lines: number }[] = []
for (const path of tsFiles(values.dir)) {
  const text = readFileSync(path, 'utf8')
  const file = relative(process.cwd(), path)
  const lineCount = text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
  if (lineCount > fileMax) longFiles.push({ file, lines: lineCount })
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true)
  const visit = (node: ts.Node): void => {
    const isFunction =
      ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)
    const isClass = ts.isClassDeclaration(node) || ts.isClassExpression(node)
    if (isFunction || isClass) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line
      const lines = end - start + 1
      if (lines > max) {
        units.push({
          file,
          name: nameOf(node, source),
          kind: isFunction ? 'function' : 'class',
          line: start + 1,
          lines,
        })
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
}

units.sort((a, b) => b.lines - a.lines)
longFiles.sort((a, b) => b.lines - a.lines)
let failing = 0
console.log(`Files over ${fileMax} lines:`)
for (const f of longFiles) {
  const skip = excluded.has(f.file)
  if (!skip) failing++
  console.log(`  ${String(f.lines).padStart(5)}  ${f.file}${skip ? '  (excluded)' : ''}`)
}
console.log(`Functions and classes over ${max} lines:`)
for (const u of units) {
  const skip = excluded.has(u.file)
  if (!skip && u.kind === 'function') failing++
  console.log(`  ${String(u.lines).padStart(5)}  ${u.file}:${u.line}  ${u.kind} ${u.name}${skip ? '  (excluded)' : ''}`)
}
process.exitCode = failing ? 1 : 0
