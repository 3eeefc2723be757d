/**
 * The run lock of the CLI: a file created whole (hard-linked from a written file; O_EXCL) next to the state (`<sqlite path>.lock`, or
 * `<config file>.lock` for other stores), holding the pid, hostname and start time of its owner. A lock whose
 * process is gone (on this host) is stale and taken over; a held lock makes the caller fail at once with
 * StoreError `ERR_STORE_LOCKED` (the CLI exits 75). Released on exit, also on SIGINT/SIGTERM (see run.ts).
 */
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import { StoreError } from '../errors.js'

export interface LockInfo {
  pid: number
  hostname: string
  /** ISO instant the lock was taken. */
  startedAt: string
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat), to tell a reused pid. */
  procStart?: string
}

export interface FileLock {
  readonly path: string
  readonly info: LockInfo
  /** Remove the lock file if it is still ours. Idempotent; safe in an 'exit' handler (synchronous). */
  release(): void
}

/** A lock file that is empty or unreadable is a crashed writer's only after this long. */
const CORRUPT_GRACE_MS = 10_000

/** Take the lock at `path` (creating its directory), or throw StoreError ERR_STORE_LOCKED. */
export function acquireFileLock(path: string, options: { now?: () => Date } = {}): FileLock {
  mkdirSync(dirname(path), { recursive: true })
  const info: LockInfo = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: (options.now?.() ?? new Date()).toISOString(),
    ...optional('procStart', processStart(process.pid)),
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, info)) return holdLock(path, info)
    const holder = readLockInfo(path)
    if (holder === 'missing') continue // released between our open and our read: try again
    if (!isStale(path, holder)) throw lockedError(path, holder)
    takeOver(path, holder)
  }
  throw lockedError(path, readLockInfo(path))
}

/** What the lock file says, `undefined` when it is empty or not a lock, 'missing' when there is none. */
export function readLockInfo(path: string): LockInfo | undefined | 'missing' {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    return undefined
  }
  try {
    const value = JSON.parse(text) as Partial<LockInfo>
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.startedAt === 'string') {
      return value as LockInfo
    }
  } catch {}
  return undefined
}

/** True when the process that holds the lock is known to be gone. */
export function isStale(path: string, holder: LockInfo | undefined): boolean {
  if (holder === undefined) {
    try {
      return Date.now() - statSync(path).mtimeMs > CORRUPT_GRACE_MS
    } catch {
      return false
    }
  }
  if (holder.hostname !== hostname()) return false // cannot see processes of another host
  if (!isAlive(holder.pid)) return true
  if (holder.procStart !== undefined) {
    const now = processStart(holder.pid)
    if (now !== undefined && now !== holder.procStart) return true // the pid was reused by another process
  }
  return false
}

/**
 * Create the lock file with its content in one step: the info is written and synced to a file of our own, which is
 * then hard-linked to the lock's name (link() fails if the name exists). A process killed at any point leaves either
 * no lock or a complete one, never an empty lock that would block the next run for CORRUPT_GRACE_MS.
 */
function tryCreate(path: string, info: LockInfo): boolean {
  const own = `${path}.new-${process.pid}-${Date.now().toString(36)}`
  try {
    writeNew(own, info)
    try {
      linkSync(own, path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // a file system without hard links: the lock is created in place (O_EXCL), then written
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error
      writeNew(path, info)
    }
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new StoreError('ERR_STORE_UNAVAILABLE', `Cannot create the lock file ${path}: ${(error as Error).message}`, {
      cause: error,
    })
  } finally {
    rmSync(own, { force: true })
  }
}

/** Create `path` (O_EXCL: EEXIST when it is there) holding the lock's JSON, flushed to disk. */
function writeNew(path: string, info: LockInfo): void {
  const fd = openSync(path, 'wx', 0o644)
  try {
    writeSync(fd, `${JSON.stringify(info)}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Move a stale lock out of the way. The rename is atomic, so of two processes taking over the same stale lock only
 * one moves it; if what we moved turns out not to be the stale lock we judged (another process took over first),
 * it is put back.
 */
function takeOver(path: string, stale: LockInfo | undefined): void {
  const aside = `${path}.stale-${process.pid}-${Date.now().toString(36)}`
  try {
    renameSync(path, aside)
  } catch {
    return // gone already: someone else took it over or released it
  }
  const moved = readLockInfo(aside)
  const same =
    stale === undefined
      ? moved === undefined
      : moved !== 'missing' && moved?.pid === stale.pid && moved.startedAt === stale.startedAt
  if (!same) {
    try {
      linkSync(aside, path) // put it back, unless a new lock is already there
    } catch {}
  }
  rmSync(aside, { force: true })
}

function holdLock(path: string, info: LockInfo): FileLock {
  let released = false
  const release = () => {
    if (released) return
    released = true
    process.removeListener('exit', release)
    const current = readLockInfo(path)
    if (current !== 'missing' && current?.pid === info.pid && current.startedAt === info.startedAt) {
      rmSync(path, { force: true })
    }
  }
  process.on('exit', release)
  return { path, info, release }
}

function lockedError(path: string, holder: LockInfo | undefined | 'missing'): StoreError {
  const who =
    holder === undefined || holder === 'missing'
      ? 'another process'
      : `pid ${holder.pid} on ${holder.hostname} since ${holder.startedAt}`
  return new StoreError(
    'ERR_STORE_LOCKED',
    `Another tonghop run holds the lock ${path} (${who}); if no run is active, remove the file`,
  )
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' // exists, owned by another user
  }
}

/** Field 22 of /proc/<pid>/stat (start time in ticks since boot); undefined where there is no /proc. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}
