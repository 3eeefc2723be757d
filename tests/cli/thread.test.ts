import { describe, expect, it } from 'vitest'
import { wantsRunThread } from '../../src/cli/thread.js'

describe('cli/thread.ts: whether `tonghop run` gets a thread of its own', () => {
  it('does by default', () => {
    expect(wantsRunThread(undefined, {})).toBe(true)
    expect(wantsRunThread(false, { TONGHOP_RUN_THREAD: '1' })).toBe(true)
  })

  it('does not with --no-thread', () => {
    expect(wantsRunThread(true, {})).toBe(false)
  })

  it('does not with the deprecated TONGHOP_RUN_THREAD=0 (alias of --no-thread)', () => {
    expect(wantsRunThread(undefined, { TONGHOP_RUN_THREAD: '0' })).toBe(false)
  })
})
