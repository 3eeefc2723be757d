import { describe, expect, it } from 'vitest'
import { isExemptHost } from '../../src/fetch/guard.js'
import { isBlockedAddress } from '../../src/fetch/index.js'
import { backoffDelay, parseRetryAfter } from '../../src/fetch/retry.js'

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.8',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254', // cloud metadata
    '100.100.100.200', // Alibaba metadata (CGNAT range)
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254', // AWS metadata over IPv6
    '::ffff:127.0.0.1',
    '::ffff:10.1.2.3',
    'not-an-ip',
  ])('blocks %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true)
  })

  it.each(['14.225.0.1', '203.162.4.191', '172.32.0.1', '8.8.8.8', '2001:ee0:4041::1', '::ffff:14.225.0.1'])(
    'allows the public address %s',
    (address) => {
      expect(isBlockedAddress(address)).toBe(false)
    },
  )
})

describe('isExemptHost', () => {
  const config = { allowPrivateNetwork: false, allowHosts: ['127.0.0.1:8080', 'intranet.local', '[::1]:9000'] }
  it('matches host:port, a bare host on any port, and bracketed IPv6', () => {
    expect(isExemptHost(config, '127.0.0.1', '8080', 'http:')).toBe(true)
    expect(isExemptHost(config, '127.0.0.1', '8081', 'http:')).toBe(false)
    expect(isExemptHost(config, 'INTRANET.local', '', 'https:')).toBe(true)
    expect(isExemptHost(config, '[::1]', '9000', 'http:')).toBe(true)
    expect(isExemptHost({ allowPrivateNetwork: true, allowHosts: [] }, '10.0.0.1', '', 'http:')).toBe(true)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-26T10:00:00Z')
  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:05:00 GMT', now)).toBe(300_000)
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now)).toBe(0)
  })
  it('ignores garbage', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-5', now)).toBeUndefined()
  })
})

describe('backoffDelay', () => {
  it('grows exponentially with jitter inside [base/2, base] and is capped', () => {
    expect(backoffDelay(1, () => 0)).toBe(150)
    expect(backoffDelay(1, () => 1)).toBe(300)
    expect(backoffDelay(3, () => 1)).toBe(1200)
    expect(backoffDelay(20, () => 1)).toBe(8000)
  })
})
