import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { acquireFileLock, isStale, readLockInfo } from '../../src/cli/lock.js'
import { StoreError } from '../../src/errors.js'
import { tempDir } from '../helpers/tmp.js'

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(child.stdout)
}

describe('the run lock file', () => {
  it('is created with pid, hostname and start time, and removed on release', () => {
    const path = join(tempDir(), 'state', 'tonghop.sqlite.lock')
    const lock = acquireFileLock(path)
    const info = JSON.parse(readFileSync(path, 'utf8'))
    expect(info.pid).toBe(process.pid)
    expect(info.hostname).toBe(hostname())
    expect(Number.isNaN(Date.parse(info.startedAt))).toBe(false)
    lock.release()
    expect(existsSync(path)).toBe(false)
    lock.release() // idempotent
  })

  it('refuses a lock held by a live process with ERR_STORE_LOCKED naming the holder', () => {
    const path = join(tempDir(), 'a.lock')
    const lock = acquireFileLock(path)
    let error: unknown
    try {
      acquireFileLock(path)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('ERR_STORE_LOCKED')
    expect((error as StoreError).message).toContain(`pid ${process.pid}`)
    expect((error as StoreError).message).toContain(path)
    lock.release()
    acquireFileLock(path).release()
  })

  it('takes over a stale lock whose process is gone', () => {
    const path = join(tempDir(), 'a.lock')
    const pid = deadPid()
    writeFileSync(path, JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }))
    expect(isStale(path, readLockInfo(path) as never)).toBe(true)
    const lock = acquireFileLock(path)
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid)
    lock.release()
  })

  it('takes over a lock whose pid now belongs to another process', () => {
    const path = join(tempDir(), 'a.lock')
    // our own pid, but recorded with another process start time: the pid was reused
    writeFileSync(
      path,
      JSON.stringify({
        pid: process.ppid,
        hostname: hostname(),
        startedAt: '2026-01-01T00:00:00.000Z',
        procStart: '1',
      }),
    )
    if (!existsSync(`/proc/${process.ppid}/stat`)) return // no /proc here: cannot tell a reused pid
    const lock = acquireFileLock(path)
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid)
    lock.release()
  })

  it('keeps a lock held by a process on another host', () => {
    const path = join(tempDir(), 'a.lock')
    writeFileSync(
      path,
      JSON.stringify({ pid: deadPid(), hostname: 'elsewhere.example', startedAt: '2026-01-01T00:00:00Z' }),
    )
    expect(() => acquireFileLock(path)).toThrow(/elsewhere\.example/)
  })

  it('keeps a fresh empty lock (its writer is still writing) and takes over an old one', () => {
    const path = join(tempDir(), 'a.lock')
    writeFileSync(path, '')
    expect(() => acquireFileLock(path)).toThrow(StoreError)
    const old = new Date(Date.now() - 60_000)
    utimesSync(path, old, old)
    const lock = acquireFileLock(path)
    expect(readLockInfo(path)).toMatchObject({ pid: process.pid })
    lock.release()
  })

  it('does not remove a lock that is no longer its own', () => {
    const path = join(tempDir(), 'a.lock')
    const lock = acquireFileLock(path)
    const other = { pid: deadPid(), hostname: hostname(), startedAt: '2026-02-02T00:00:00.000Z' }
    writeFileSync(path, JSON.stringify(other))
    lock.release()
    expect(readLockInfo(path)).toEqual(other)
  })
})
