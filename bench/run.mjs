#!/usr/bin/env node
// Runs the benchmarks in bench/ one after another (or the ones named: `npm run bench -- parse dedupe`).
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const wanted = process.argv.slice(2)
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort()
// fetch and e2e measure the built package (dist/), as a user runs it: build it first.
if (files.some((f) => f.startsWith('fetch') || f.startsWith('e2e'))) {
  const build = spawnSync('npm', ['run', 'build'], { cwd: join(here, '..'), stdio: 'inherit' })
  if (build.status !== 0) process.exit(1)
}
let failed = 0
for (const file of files) {
  console.log(`\n## ${file}\n`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, file)], { stdio: 'inherit' })
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
