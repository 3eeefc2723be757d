/** Fast, deterministic 32-bit hashing for keys and shingles (not cryptographic, not for security). */
import { hashPair, hashPairCodes } from '../internal/hash-pair.js'

/** FNV-1a over UTF-16 code units. */
export function fnv1a(value: string, seed = 0x811c9dc5): number {
  let h = seed
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** MurmurHash3's finaliser: spreads every input bit over the output. */
export function fmix32(value: number): number {
  let h = value
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Combine 32-bit values into one hash. */
export function combine(values: ArrayLike<number>, from = 0, to = values.length): number {
  let h = 0x9747b28c
  for (let i = from; i < to; i++) h = fmix32((Math.imul(h, 0x01000193) ^ (values[i] as number)) >>> 0)
  return h
}

/** A 64-bit hex digest of a string (two independent 32-bit hashes in one pass): for exact content keys. */
export function digest(value: string): string {
  const h = hashPair(value)
  return hex64(h[0] as number, h[1] as number)
}

/** `digest()` of the string made of `codes[0..length)`, without building it. */
export function digestCodes(codes: Uint16Array, length: number): string {
  const h = hashPairCodes(codes, length)
  return hex64(h[0] as number, h[1] as number)
}

function hex64(a: number, b: number): string {
  return (
    fmix32(a >>> 0)
      .toString(16)
      .padStart(8, '0') +
    fmix32(b >>> 0)
      .toString(16)
      .padStart(8, '0')
  )
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1

/** Base64 of the values as little-endian uint32. */
export function encodeU32(values: ArrayLike<number>): string {
  if (LITTLE_ENDIAN) {
    const typed = values instanceof Uint32Array ? values : Uint32Array.from(values)
    return Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength).toString('base64')
  }
  const buf = Buffer.allocUnsafe(values.length * 4)
  for (let i = 0; i < values.length; i++) buf.writeUInt32LE((values[i] as number) >>> 0, i * 4)
  return buf.toString('base64')
}

export function decodeU32(value: string): Uint32Array {
  const buf = Buffer.from(value, 'base64')
  const out = new Uint32Array(buf.length >>> 2)
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(buf.subarray(0, out.length * 4))
  else for (let i = 0; i < out.length; i++) out[i] = buf.readUInt32LE(i * 4)
  return out
}
