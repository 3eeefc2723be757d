import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const generator = resolve(here, '../../shared/bench/gen-corpus.mjs')

export interface CorpusFile {
  file: string
  path: string
  format: string
  url?: string
  items: number
  bytes: number
}

/**
 * The shared benchmark corpus at `feeds` x `items`, generated once into bench/.corpus-<feeds>x<items>
 * (git-ignored) with ../shared/bench/gen-corpus.mjs, seed 1.
 */
export function ensureCorpus(feeds = 200, items = 50): { dir: string; files: CorpusFile[] } {
  const dir = join(here, `.corpus-${feeds}x${items}`)
  if (!existsSync(join(dir, 'manifest.json'))) {
    if (!existsSync(generator)) throw new Error(`corpus generator not found at ${generator}`)
    execFileSync(
      process.execPath,
      [generator, '--out', dir, '--feeds', String(feeds), '--items', String(items), '--quiet'],
      {
        stdio: 'inherit',
      },
    )
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    files: { file: string; format: string; url?: string; items: number; bytes: number }[]
  }
  return { dir, files: manifest.files.map((f) => ({ ...f, path: join(dir, f.file) })) }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Deterministic PRNG (mulberry32): the same synthetic data on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
