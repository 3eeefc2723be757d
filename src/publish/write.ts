import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { chmod, type FileHandle, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { PublishError } from '../errors.js'
import type { Article, Story } from '../types.js'
import { toEntry } from './entry.js'
import { ordered, renderChunks, resolveRenderOptions } from './render.js'
import type { RenderOptions, WriteFeedOptions } from './types.js'
import { pingHub } from './websub.js'

export interface WriteFeedResult {
  path: string
  /** False when the finished content equals the existing file: the file (and its mtime) was left alone. */
  written: boolean
  items: number
  bytes: number
  /** The WebSub ping sent after a changed output was written (`hub` and `feedUrl` set). */
  ping?: { ok: boolean; status?: number; message?: string }
  /** RFC 5005 archive pages (oldest first), when `archive` was asked for. */
  archives?: { path: string; written: boolean; items: number; bytes: number }[]
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
 * Stream a feed to `options.path` atomically (and, with `archive`, its RFC 5005 archive pages; with `hub` and
 * `feedUrl`, ping the WebSub hub when the file changed): render into a temp file in the same directory (never one giant
 * string), fsync, rename over the old file. When the new content hashes the same as the existing file, the temp
 * file is dropped and the old one is not touched (`written: false`, mtime kept). On any failure the old file is
 * untouched, the temp file removed, and a PublishError('ERR_PUBLISH_WRITE') thrown (its `cause` is the original).
 */
export async function writeFeed(
  items: Iterable<Story | Article> | AsyncIterable<Story | Article>,
  options: WriteFeedOptions,
): Promise<WriteFeedResult> {
  const result = options.archive
    ? await writeWithArchives(items, options, options.archive.pageSize)
    : await writeOne(items, options)
  if (result.written && options.hub && options.feedUrl) {
    // WebSub: tell the hub the topic changed. A failed ping is reported, never a failed write.
    try {
      const status = await pingHub(options.hub, options.feedUrl, {
        ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
      })
      result.ping = { ok: true, status }
    } catch (error) {
      result.ping = { ok: false, message: (error as Error).message }
    }
  }
  return result
}

async function writeOne(
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
      for (let offset = 0; offset < buffer.length; ) {
        offset += (await handle!.write(buffer, offset, buffer.length - offset)).bytesWritten
      }
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

/** `<name>-archive-<n><ext>` next to `path`. */
function archiveName(path: string, n: number): string {
  const ext = extname(path)
  return `${basename(path, ext)}-archive-${n}${ext}`
}

function hrefFor(name: string, feedUrl: string | undefined): string {
  return feedUrl ? new URL(name, feedUrl).href : name
}

function reviveStory(line: string): Story {
  return JSON.parse(line, (key, value) =>
    (key === 'published' || key === 'updated') && typeof value === 'string' ? new Date(value) : value,
  ) as Story
}

/**
 * RFC 5005 archived feeds: the newest `limit` stories go to the subscription feed (held in memory: `limit` is
 * small), older ones are spooled to a temp file, then written to pages of `pageSize` (page 1 = oldest), each page
 * atomically and only when changed. Pages beyond the new count are removed.
 */
async function writeWithArchives(
  items: Iterable<Story | Article> | AsyncIterable<Story | Article>,
  options: WriteFeedOptions,
  pageSize: number,
): Promise<WriteFeedResult> {
  const path = resolve(options.path)
  const resolved = resolveRenderOptions(options)
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw new PublishError(
      'ERR_PUBLISH_RENDER',
      `Expected \`archive.pageSize\` to be an integer ≥ 1, got \`${pageSize}\``,
    )
  }
  if (!Number.isFinite(resolved.limit)) {
    throw new PublishError('ERR_PUBLISH_RENDER', 'Archives need a finite `limit` (the size of the subscription feed)')
  }
  const { archive: _archive, ...rest } = options
  const spoolPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.spool`)
  let spool: FileHandle | undefined
  try {
    const current: Story[] = []
    let older = 0
    let pending: string[] = []
    for await (const story of ordered(items, resolved)) {
      if (!toEntry(story, resolved)) continue
      if (current.length < resolved.limit) {
        current.push(story)
        continue
      }
      spool ??= await open(spoolPath, 'wx', 0o600)
      pending.push(`${JSON.stringify(story)}\n`)
      older++
      if (pending.length >= 256) {
        await spool.write(pending.join(''))
        pending = []
      }
    }
    if (spool && pending.length) await spool.write(pending.join(''))
    await spool?.close()
    spool = undefined

    const pages = Math.ceil(older / pageSize)
    const feedUrl = resolved.feedUrl
    const currentHref = feedUrl ?? basename(path)
    const main = await writeOne(current, {
      ...rest,
      presorted: true,
      ...(pages ? { archiveLinks: { prevArchive: hrefFor(archiveName(path, pages), feedUrl) } } : {}),
    })
    const archives: NonNullable<WriteFeedResult['archives']> = []
    if (pages) {
      // The spool is newest first: index i belongs to page floor((older - 1 - i) / pageSize) + 1.
      const lines = createInterface({ input: createReadStream(spoolPath), crlfDelay: Number.POSITIVE_INFINITY })
      const iterator = lines[Symbol.asyncIterator]()
      for (let page = pages; page >= 1; page--) {
        const first = (page - 1) * pageSize // position from the oldest
        const count = Math.min(pageSize, older - first)
        async function* pageStories(): AsyncGenerator<Story> {
          for (let k = 0; k < count; k++) {
            const next = await iterator.next()
            if (next.done) return
            yield reviveStory(next.value)
          }
        }
        const name = archiveName(path, page)
        const result = await writeOne(pageStories(), {
          ...rest,
          path: join(dirname(path), name),
          limit: 0,
          presorted: true,
          ...(feedUrl ? { feedUrl: hrefFor(name, feedUrl) } : {}),
          archiveLinks: {
            archived: true,
            current: currentHref,
            ...(page > 1 ? { prevArchive: hrefFor(archiveName(path, page - 1), feedUrl) } : {}),
            ...(page < pages ? { nextArchive: hrefFor(archiveName(path, page + 1), feedUrl) } : {}),
          },
        })
        archives.unshift(result)
      }
      lines.close()
    }
    // Pages from an earlier, longer run would dangle: remove them.
    const ext = extname(path)
    const prefix = `${basename(path, ext)}-archive-`
    for (const file of await readdir(dirname(path))) {
      if (!file.startsWith(prefix) || !file.endsWith(ext)) continue
      const n = Number(file.slice(prefix.length, file.length - ext.length))
      if (Number.isSafeInteger(n) && n > pages) await rm(join(dirname(path), file), { force: true })
    }
    return { ...main, archives }
  } catch (error) {
    if (error instanceof PublishError) throw error
    throw new PublishError(
      'ERR_PUBLISH_WRITE',
      `Could not write ${options.format} archives of ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    )
  } finally {
    await spool?.close().catch(() => {})
    await unlink(spoolPath).catch(() => {})
  }
}
