import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

/**
 * SSRF guard: by default tonghop does not talk to loopback, private, link-local, CGNAT, multicast, reserved or
 * cloud-metadata addresses. The check runs on the address a socket actually connected to (see http.ts), so a DNS
 * name that resolves to 127.0.0.1 or a redirect to a private address is refused as well.
 */
export interface GuardConfig {
  allowPrivateNetwork: boolean
  /** `host[:port]` entries exempt from the guard. */
  allowHosts: readonly string[]
}

const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT (also Alibaba's metadata 100.100.100.200)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, AWS/GCP/Azure metadata 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved + broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 can reach private IPv4
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local (AWS metadata fd00:ec2::254)
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6')
}

/** True for addresses the guard refuses (IPv4-mapped IPv6 is checked as IPv4). */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return blocked.check(address, 'ipv4')
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
    if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4')
    return blocked.check(address, 'ipv6')
  }
  return true // not an IP at all: refuse rather than guess
}

export class BlockedAddressError extends Error {
  readonly code = 'TONGHOP_BLOCKED_ADDRESS'
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`Refusing to connect to ${host} (${address}): loopback, private or reserved address`)
  }
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80'
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}

/** Whether `hostname:port` is listed in `allowHosts` (an entry without a port matches every port). */
export function isExemptHost(config: GuardConfig, hostname: string, port: string, protocol: string): boolean {
  if (config.allowPrivateNetwork) return true
  const host = stripBrackets(hostname).toLowerCase()
  const effectivePort = port || defaultPort(protocol)
  for (const entry of config.allowHosts) {
    const parsed = parseHostEntry(entry)
    if (parsed.host === host && (parsed.port === undefined || parsed.port === effectivePort)) return true
  }
  return false
}

function parseHostEntry(entry: string): { host: string; port?: string } {
  const value = entry.trim().toLowerCase()
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value)
  if (bracketed) return { host: bracketed[1]!, ...(bracketed[2] ? { port: bracketed[2] } : {}) }
  const hostPort = /^([^:]+):(\d+)$/.exec(value)
  if (hostPort) return { host: hostPort[1]!, port: hostPort[2]! }
  return { host: value }
}

/** Throws BlockedAddressError when a socket to `hostname` ended up at a refused `address`. */
export function checkConnectedAddress(
  config: GuardConfig,
  hostname: string,
  port: string,
  protocol: string,
  address: string | undefined,
): void {
  if (isExemptHost(config, hostname, port, protocol)) return
  if (address === undefined || isBlockedAddress(address)) throw new BlockedAddressError(hostname, address ?? 'unknown')
}

/**
 * The check before a request: an IP-literal host is refused without connecting; with `resolve` (a caller-supplied
 * dispatcher, whose sockets we cannot see) a host name is resolved and refused when any of its addresses is.
 */
export async function precheckUrl(config: GuardConfig, url: URL, resolve: boolean): Promise<void> {
  if (isExemptHost(config, url.hostname, url.port, url.protocol)) return
  const host = stripBrackets(url.hostname)
  if (isIP(host)) {
    if (isBlockedAddress(host)) throw new BlockedAddressError(url.hostname, host)
    return
  }
  if (!resolve) return
  let addresses: { address: string }[]
  try {
    addresses = await lookup(host, { all: true })
  } catch {
    return // the request itself reports the DNS failure
  }
  const bad = addresses.find((entry) => isBlockedAddress(entry.address))
  if (bad) throw new BlockedAddressError(url.hostname, bad.address)
}
