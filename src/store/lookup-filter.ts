/**
 * A Bloom filter over 53-bit hashes (bucketHash()) of an index's values, for the SQLite store's bucket index and key
 * index: a lookup skips the index for a value no stored story has (at 1M stories, about nine in ten of the buckets
 * dedupe asks for). A hash it has never seen is answered "absent" except for about one in a hundred; a hash added is
 * always "present". Deleting rows (pruning) leaves their bits set: the filter only ever answers "present" too often,
 * never wrongly "absent".
 */

/** Bits per row the filter is built with: 16 (5 probes: 0.14% false "present"), 2.2% once it holds twice as many. */
const BITS_PER_ROW = 16
const PROBES = 5
/** The smallest filter built (bits): 128 KiB. */
const MIN_BITS = 1 << 20
const SPLIT = 0x200000 // 2^21: bucketHash() is h0 · 2^21 + (21 bits of h1)

export class LookupFilter {
  /** Rows it was sized for: past this, the store rebuilds it bigger. */
  readonly capacity: number
  /** Rows added so far (an upper bound: pruned rows stay counted). */
  rows: number
  readonly words: Uint32Array
  private readonly bits: number

  private constructor(capacity: number, rows: number, words: Uint32Array) {
    this.capacity = capacity
    this.rows = rows
    this.words = words
    this.bits = words.length * 32
  }

  /** An empty filter for `rows` rows now and up to twice as many later. */
  static sized(rows: number): LookupFilter {
    const capacity = Math.max(rows * 2, (MIN_BITS * 2) / BITS_PER_ROW)
    const words = Math.ceil((capacity * BITS_PER_ROW) / 2 / 32)
    return new LookupFilter(capacity, 0, new Uint32Array(words))
  }

  static fromBlob(blob: Uint8Array, capacity: number, rows: number): LookupFilter {
    const copy = new Uint8Array(blob.byteLength)
    copy.set(blob)
    return new LookupFilter(capacity, rows, new Uint32Array(copy.buffer, 0, copy.byteLength >>> 2))
  }

  toBlob(): Uint8Array {
    return new Uint8Array(this.words.buffer, this.words.byteOffset, this.words.byteLength)
  }

  add(h: number): void {
    const a = Math.floor(h / SPLIT)
    const b = (h % SPLIT) * 2 + 1
    for (let i = 0; i < PROBES; i++) {
      const bit = (a + i * b) % this.bits
      const w = bit >>> 5
      this.words[w] = (this.words[w] as number) | (1 << (bit & 31))
    }
    this.rows++
  }

  has(h: number): boolean {
    const a = Math.floor(h / SPLIT)
    const b = (h % SPLIT) * 2 + 1
    for (let i = 0; i < PROBES; i++) {
      const bit = (a + i * b) % this.bits
      if (((this.words[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false
    }
    return true
  }
}
