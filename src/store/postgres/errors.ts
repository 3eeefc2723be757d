import { type ErrorCode, StoreError } from '../../errors.js'

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '28000', // invalid_authorization_specification
  '28P01', // invalid_password
  '3D000', // invalid_catalog_name (no such database)
])
const LOCKED_CODES = new Set(['40P01', '55P03', '40001'])

export function toStoreError(error: unknown, what: string, fallback: ErrorCode = 'ERR_STORE_QUERY'): StoreError {
  if (error instanceof StoreError) return error
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message || String(error) : String(error)
  let storeCode: ErrorCode = fallback
  if (typeof code === 'string' && LOCKED_CODES.has(code)) storeCode = 'ERR_STORE_LOCKED'
  else if (
    (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(message)
  ) {
    storeCode = 'ERR_STORE_UNAVAILABLE'
  }
  return new StoreError(storeCode, `PostgreSQL store: ${what} failed: ${message}`, { cause: error })
}

/** The 'error' listener of a checked-out client: without one, a lost connection would crash the process. */
export function ignore(): void {}
