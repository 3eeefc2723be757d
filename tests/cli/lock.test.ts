import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

/** When set, writeSync throws: a process dying after it created a file and before it wrote it. */
const crash = vi.hoisted(() => ({ writes: false }))
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>()
  return {
    ...fs,
    writeSync: ((...args: Parameters<typeof fs.writeSync>) => {
      if (crash.writes) throw new Error('killed before writing')
      return fs.writeSync(...args)
    }) as typeof fs.writeSync,
  }
})

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

  it('does not exist until its content is written: a writer dying before writing leaves no lock', () => {
    const path = join(tempDir(), 'b.lock')
    crash.writes = true
    try {
      expect(() => acquireFileLock(path)).toThrow('killed before writing')
    } finally {
      crash.writes = false
    }
    expect(existsSync(path)).toBe(false)
    // so the next run takes it at once (an empty lock would hold it for CORRUPT_GRACE_MS)
    acquireFileLock(path).release()
  })

  it('is never left empty by a process killed while taking it: the next run takes it over at once', async () => {
    const dir = tempDir()
    const path = join(dir, 'kill.lock')
    const lockModule = new URL('../../src/cli/lock.ts', import.meta.url).href
    // a child that takes and releases the lock as fast as it can, killed at a different moment each time
    const loop = `import { acquireFileLock } from ${JSON.stringify(lockModule)}
      process.stdout.write('ready\\n')
      for (;;) acquireFileLock(${JSON.stringify(path)}).release()`
    for (let round = 0; round < 12; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', loop], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
      await new Promise((resolve) => setTimeout(resolve, 5 + ((round * 7) % 30)))
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('close', resolve))
      const left = readLockInfo(path)
      // absent, or whole (the killed child's): never an empty or partial file
      expect(left === 'missing' || typeof left?.pid === 'number').toBe(true)
      const lock = acquireFileLock(path)
      lock.release()
    }
    // the files a killed writer had not linked yet are no lock: only they may remain
    expect(readdirSync(dir).filter((f) => f !== 'kill.lock' && !f.startsWith('kill.lock.new-'))).toEqual([])
  }, 60_000)
})
