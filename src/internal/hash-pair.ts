/**
 * Two independent 32-bit hashes of a text in one pass (FNV-1a, and a multiplicative mix seeded with the length), for
 * dedupe's content digests and the SQLite store's bucket-index key. Both are persisted: never change them without a
 * migration. The result is written into one shared pair, valid until the next call.
 */
const pair = new Uint32Array(2)

export function hashPair(value: string): Uint32Array {
  let a = 0x811c9dc5
  let b = 0x050c5d1f ^ value.length
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  pair[0] = a
  pair[1] = b
  return pair
}

/** `hashPair()` of the string made of `codes[0..length)`, without building it. */
export function hashPairCodes(codes: Uint16Array, length: number): Uint32Array {
  let a = 0x811c9dc5
  let b = 0x050c5d1f ^ length
  for (let i = 0; i < length; i++) {
    const c = codes[i] as number
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  pair[0] = a
  pair[1] = b
  return pair
}
