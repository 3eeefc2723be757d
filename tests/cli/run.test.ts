import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lockPathFor, parseStoreFlag } from '../../src/cli/run.js'

describe('--store', () => {
  it('reads a postgres URL, memory, or an SQLite path relative to the working directory', () => {
    expect(parseStoreFlag('postgres://tonghop@db.internal/tin')).toEqual({
      postgres: 'postgres://tonghop@db.internal/tin',
    })
    expect(parseStoreFlag('postgresql://db/tin?schema=t')).toEqual({ postgres: 'postgresql://db/tin?schema=t' })
    expect(parseStoreFlag('memory')).toEqual({ memory: true })
    expect(parseStoreFlag('state/t.sqlite', '/srv/tonghop')).toEqual({ sqlite: '/srv/tonghop/state/t.sqlite' })
    expect(parseStoreFlag('/var/lib/tonghop/state.sqlite')).toEqual({ sqlite: '/var/lib/tonghop/state.sqlite' })
    expect(parseStoreFlag('t.sqlite')).toEqual({ sqlite: resolve('t.sqlite') })
  })
})

describe('where the lock lives', () => {
  const config = '/etc/tonghop/tonghop.config.yaml'

  it('is beside the SQLite file', () => {
    expect(lockPathFor({ sqlite: '/var/lib/tonghop/state.sqlite' }, config, false)).toBe(
      '/var/lib/tonghop/state.sqlite.lock',
    )
    expect(lockPathFor({ sqlite: '/var/lib/tonghop/state.sqlite' }, config, true)).toBe(
      '/var/lib/tonghop/state.sqlite.lock',
    )
  })

  it('is beside the config for other stores, and absent for postgres workers (they share work by leases)', () => {
    expect(lockPathFor({ postgres: 'postgres://db/tin' }, config, false)).toBe(`${config}.lock`)
    expect(lockPathFor({ postgres: 'postgres://db/tin' }, config, true)).toBeUndefined()
    expect(lockPathFor({ memory: true }, config, false)).toBe(`${config}.lock`)
    expect(lockPathFor({ sqlite: ':memory:' }, config, false)).toBe(`${config}.lock`)
  })
})
