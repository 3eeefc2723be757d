import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { chmod, type FileHandle, open, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { PublishError } from '../errors.js'
import type { Article, Story } from '../types.js'
import { renderChunks } from './render.js'
import type { RenderOptions } from './types.js'

export interface WriteFeedResult {
  path: string
  /** False when the finished content equals the existing file: the file (and its mtime) was left alone. */
  written: boolean
  items: number
  bytes: number
}

const FLUSH_BYTES = 64 * 1024

async function hashFile(path: string): Promise<string | undefined> {
  const hash = createHash('sha256')
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  return hash.digest('hex')
}

async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch {
    // Directory fsync is not supported everywhere (and not needed on every file system): best effort.
  } finally {
    await handle?.close().catch(() => {})
  }
}

/**
 * Stream a feed to `options.path` atomically: render into a temp file in the same directory (never one giant
 * string), fsync, rename over the old file. When the new content hashes the same as the existing file, the temp
 * file is dropped and the old one is not touched (`written: false`, mtime kept). On any failure the old file is
 * untouched, the temp file removed, and a PublishError('ERR_PUBLISH_WRITE') thrown (its `cause` is the original).
 */
export async function writeFeed(
  items: Iterable<Story | Article> | AsyncIterable<Story | Article>,
  options: RenderOptions & { path: string },
): Promise<WriteFeedResult> {
  const path = resolve(options.path)
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const stats = { items: 0 }
  let handle: FileHandle | undefined
  let created = false
  // Hash the current file while the new one is rendered.
  const oldHash = hashFile(path).catch(() => undefined)
  try {
    handle = await open(temp, 'wx', 0o644)
    created = true
    const hash = createHash('sha256')
    let bytes = 0
    let pending: Buffer[] = []
    let pendingBytes = 0
    const flush = async () => {
      if (pendingBytes === 0) return
      const buffer = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes)
      pending = []
      pendingBytes = 0
      await handle!.write(buffer)
    }
    for await (const chunk of renderChunks(items, options, stats)) {
      const buffer = Buffer.from(chunk, 'utf8')
      hash.update(buffer)
      bytes += buffer.length
      pending.push(buffer)
      pendingBytes += buffer.length
      if (pendingBytes >= FLUSH_BYTES) await flush()
    }
    await flush()
    await handle.sync()
    await handle.close()
    handle = undefined
    const digest = hash.digest('hex')
    if ((await oldHash) === digest) {
      await unlink(temp)
      created = false
      return { path, written: false, items: stats.items, bytes }
    }
    const previous = await stat(path).catch(() => undefined)
    if (previous) await chmod(temp, previous.mode & 0o7777).catch(() => {})
    await rename(temp, path)
    created = false
    await syncDir(dir)
    return { path, written: true, items: stats.items, bytes }
  } catch (error) {
    await handle?.close().catch(() => {})
    if (created) await unlink(temp).catch(() => {})
    const reason = error instanceof Error ? error.message : String(error)
    throw new PublishError('ERR_PUBLISH_WRITE', `Could not write ${options.format} output ${path}: ${reason}`, {
      cause: error,
    })
  }
}
