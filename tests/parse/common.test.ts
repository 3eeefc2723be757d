import { describe, expect, it } from 'vitest'
import { clean } from '../../src/parse/common.js'

describe('clean', () => {
  it('collapses runs of spaces, tabs and line breaks, drops control characters and trims', () => {
    expect(clean('  Hà   Nội\t\r\nhôm\u0007 nay  ')).toBe('Hà Nội hôm nay')
    expect(clean('Hà Nội hôm nay')).toBe('Hà Nội hôm nay')
    expect(clean('\u00a0Hà Nội\u00a0')).toBe('Hà Nội')
    expect(clean('a\u00a0\u00a0b')).toBe('a\u00a0\u00a0b')
    expect(clean(' \n ')).toBeUndefined()
    expect(clean(undefined)).toBeUndefined()
  })
})
