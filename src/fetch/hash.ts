import { createHash } from 'node:crypto'

/** SHA-256 of a body, hex: what `SourceState.bodyHash` stores. */
export function hashBody(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
