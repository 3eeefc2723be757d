import { type ErrorCode, StoreError } from '../../errors.js'

function sqliteCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown }).errcode
  return typeof code === 'number' ? code & 0xff : undefined
}

/** Wrap a node:sqlite error in a StoreError with a stable code. */
export function storeError(
  error: unknown,
  what: string,
  path: string,
  fallback: ErrorCode = 'ERR_STORE_QUERY',
): StoreError {
  if (error instanceof StoreError) return error
  const primary = sqliteCode(error)
  const message = error instanceof Error ? error.message : String(error)
  // SQLITE_BUSY (5) / SQLITE_LOCKED (6): another connection holds the database past busy_timeout
  if (primary === 5 || primary === 6) {
    return new StoreError('ERR_STORE_LOCKED', `SQLite database is locked (${what}): ${path}: ${message}`, {
      cause: error,
      url: path,
    })
  }
  // SQLITE_CANTOPEN (14), SQLITE_NOTADB (26), SQLITE_READONLY (8), SQLITE_IOERR (10), SQLITE_PERM (3)
  const code: ErrorCode =
    primary === 14 || primary === 26 || primary === 8 || primary === 10 ? 'ERR_STORE_UNAVAILABLE' : fallback
  return new StoreError(code, `SQLite ${what} failed: ${path}: ${message}`, { cause: error, url: path })
}
