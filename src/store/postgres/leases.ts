import { StoreError } from '../../errors.js'
import type { PgConnection } from './connection.js'

/**
 * Named locks and source leases: rows with an expiry judged by the database clock (one clock for every worker),
 * written through the pool (autocommit) so that other workers see them at once.
 */

function checkMs(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new StoreError(
      'ERR_STORE_QUERY',
      `Expected \`${name}\` to be a positive number of ms, got \`${String(value)}\``,
    )
  }
}

export async function acquireLock(conn: PgConnection, name: string, owner: string, ttlMs: number): Promise<boolean> {
  checkMs('ttlMs', ttlMs)
  const rows = await conn.shared(
    'acquireLock',
    `INSERT INTO ${conn.s}.locks AS l (name, owner, expires_at)
     VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
     ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
     WHERE l.owner = EXCLUDED.owner OR l.expires_at <= clock_timestamp()
     RETURNING name`,
    [name, owner, ttlMs],
  )
  return rows.length === 1
}

export async function releaseLock(conn: PgConnection, name: string, owner: string): Promise<void> {
  await conn.shared('releaseLock', `DELETE FROM ${conn.s}.locks WHERE name = $1 AND owner = $2`, [name, owner])
}

export async function claimSources(
  conn: PgConnection,
  owner: string,
  keys: string[],
  leaseMs: number,
): Promise<string[]> {
  checkMs('leaseMs', leaseMs)
  if (keys.length === 0) return []
  // Sorted: concurrent claims lock rows in one order and cannot deadlock. The WHERE of DO UPDATE is re-checked on
  // the latest row version after waiting, so two claims of one key never both succeed.
  const rows = await conn.shared<{ key: string }>(
    'claimSources',
    `INSERT INTO ${conn.s}.source_leases AS l (key, owner, expires_at)
     SELECT k, $2, clock_timestamp() + $3 * interval '1 millisecond' FROM unnest($1::text[]) AS k
     ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
     WHERE l.owner = EXCLUDED.owner OR l.expires_at <= clock_timestamp()
     RETURNING key`,
    [[...new Set(keys)].sort(), owner, leaseMs],
  )
  const got = new Set(rows.map((r) => r.key))
  return [...new Set(keys)].filter((k) => got.has(k))
}

export async function releaseSources(conn: PgConnection, owner: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return
  await conn.shared(
    'releaseSources',
    `DELETE FROM ${conn.s}.source_leases WHERE owner = $1 AND key = ANY($2::text[])`,
    [owner, keys],
  )
}
