/**
 * `tonghop status [<source-id>] [--json] [--all] [--stale-days N]`: which feeds need the operator, from the health
 * the runs keep in the store. Sorted by trouble (failing, stale, retired, moved); dates in Vietnam time. Exit 0 when
 * no source is failing or stale, 3 when one is (as `run --strict`), so cron or a monitor can alert on it.
 */
import { existsSync } from 'node:fs'
import type { StateStore } from '../store/types.js'
import type { SourceHealthRow } from '../types.js'
import { loadConfig } from './config.js'
import { EXIT, exitCodeForError } from './exit-codes.js'
import { parseStoreFlag } from './run.js'
import { createUi } from './ui.js'
import { vnTime } from './vn-time.js'

export interface StatusFlags {
  config?: string
  json?: boolean
  quiet?: boolean
  verbose?: boolean
  store?: string
  /** Overrides `health.staleDays`. */
  staleDays?: number
  /** List every source, not only those in trouble. */
  all?: boolean
  /** The clock (tests). @default () => new Date() */
  now?: () => Date
  /** Where the output goes. @default process.stdout */
  write?: (text: string) => void
}

/** Whether a row makes `status` exit 3. */
export function isAlerting(row: SourceHealthRow): boolean {
  return row.trouble === 'failing' || row.trouble === 'stale'
}

async function openStore(spec: unknown): Promise<StateStore | undefined> {
  const s = spec as { sqlite?: string; postgres?: string; begin?: unknown }
  if (typeof s.begin === 'function') return spec as StateStore
  if (typeof s.sqlite === 'string') {
    // no state yet: nothing has run; do not create the file
    if (s.sqlite === ':memory:' || !existsSync(s.sqlite)) return undefined
    const { createSqliteStore } = await import('../store/index.js')
    return createSqliteStore({ path: s.sqlite })
  }
  if (typeof s.postgres === 'string') {
    const { createPostgresStore } = await import('../store/postgres/index.js')
    return createPostgresStore({ connectionString: s.postgres })
  }
  return undefined // memory: nothing outlives a run
}

/** The health of the config's sources, most troubled first. */
export async function loadHealthRows(
  flags: Pick<StatusFlags, 'config' | 'store' | 'staleDays' | 'now'>,
): Promise<{ rows: SourceHealthRow[]; staleDays: number; now: Date }> {
  const { options } = loadConfig(flags.config, {
    ...(flags.store === undefined
      ? {}
      : {
          override: (data) => {
            data.store = parseStoreFlag(flags.store!)
          },
        }),
  })
  const [{ resolveSources }, { assessHealth }] = await Promise.all([
    import('../sources/index.js'),
    import('../store/index.js'),
  ])
  const sources = await resolveSources(options.sources, { baseDir: options.baseDir })
  const store = await openStore(options.store)
  let states = new Map()
  if (store) {
    try {
      await store.init()
      states = await store.getSourceStates(sources.map((s) => s.id))
    } finally {
      await store.close()
    }
  }
  const now = (flags.now ?? (() => new Date()))()
  const staleDays = flags.staleDays ?? options.health.staleDays
  return { rows: assessHealth(sources, states, { now, staleDays }), staleDays, now }
}

export async function statusCommand(sourceId: string | undefined, flags: StatusFlags): Promise<number> {
  const ui = createUi({ ...(flags.quiet ? { quiet: true } : {}), ...(flags.verbose ? { verbose: true } : {}) })
  const write = flags.write ?? ((text: string) => void process.stdout.write(text))
  try {
    const { rows, staleDays, now } = await loadHealthRows(flags)
    const alerting = rows.filter(isAlerting)
    const exitCode = alerting.length > 0 ? EXIT.PARTIAL : EXIT.OK
    if (sourceId !== undefined) {
      const row = rows.find((r) => r.id === sourceId)
      if (!row) {
        ui.error(
          Object.assign(
            new Error(`No source \`${sourceId}\` in the config (ids: ${rows.map((r) => r.id).join(', ')})`),
            {
              code: 'ERR_CONFIG_INVALID',
            },
          ),
        )
        return EXIT.CONFIG
      }
      write(flags.json ? `${toJson({ now, staleDays, source: row })}\n` : renderSource(row, staleDays))
      return isAlerting(row) ? EXIT.PARTIAL : EXIT.OK
    }
    const shown = flags.all ? rows : rows.filter((r) => r.trouble !== undefined)
    if (flags.json) {
      const healthy = rows.length - rows.filter((r) => r.trouble !== undefined).length
      write(`${toJson({ now, staleDays, total: rows.length, healthy, alerting: alerting.length, sources: shown })}\n`)
    } else write(renderTable(shown, rows.length, alerting.length))
    return exitCode
  } catch (error) {
    ui.error(error)
    return exitCodeForError(error)
  }
}

/** JSON with instants (ms fields named `at`, `since`, `…At`) as ISO strings. */
function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (key, v) => {
      if (typeof v === 'number' && (key === 'at' || key === 'since' || key.endsWith('At')))
        return new Date(v).toISOString()
      if (v instanceof Date) return v.toISOString()
      return v
    },
    2,
  )
}

function describeTrouble(row: SourceHealthRow): { what: string; since: string; detail: string } {
  const h = row.health
  switch (row.trouble) {
    case 'failing': {
      const first = h?.failingSince
      const last = h?.lastFailure
      const code = (f?: { code: string; httpStatus?: number }) =>
        f ? `${f.code}${f.httpStatus === undefined ? '' : ` ${f.httpStatus}`}` : ''
      const lastCode = code(last)
      return {
        what: `failing ×${h?.failures ?? 0}`,
        since: vnTime(first?.at),
        detail: `${code(first)}${lastCode && lastCode !== code(first) ? ` (now ${lastCode})` : ''}`,
      }
    }
    case 'stale':
      return {
        what: 'stale',
        since: vnTime(h?.lastNewItemAt),
        detail: `no new item for ${row.daysWithoutNewItems} days`,
      }
    case 'retired':
      return { what: 'retired', since: vnTime(h?.retired?.at), detail: 'HTTP 410 Gone' }
    case 'moved':
      return { what: 'moved', since: vnTime(h?.moved?.at), detail: `→ ${h?.moved?.to ?? ''}` }
    default:
      return { what: h ? 'ok' : 'never run', since: '', detail: '' }
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

export function renderTable(rows: SourceHealthRow[], total: number, alerting: number): string {
  const header = ['SOURCE', 'STATE', 'SINCE (giờ VN)', 'LAST SUCCESS', 'LAST NEW ITEM', 'DETAIL']
  const lines = rows.map((row) => {
    const t = describeTrouble(row)
    return [row.id, t.what, t.since, vnTime(row.health?.lastSuccessAt), vnTime(row.health?.lastNewItemAt), t.detail]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const out: string[] = []
  if (lines.length > 0) {
    for (const line of [header, ...lines])
      out.push(
        line
          .map((c, i) => pad(c, widths[i]!))
          .join('  ')
          .trimEnd(),
      )
  }
  const troubled = rows.filter((r) => r.trouble !== undefined).length
  out.push(
    alerting > 0
      ? `${alerting} of ${total} sources failing or stale`
      : troubled > 0
        ? `${total} sources: none failing or stale (${troubled} retired or moved)`
        : `${total} sources: all healthy`,
  )
  return `${out.join('\n')}\n`
}

export function renderSource(row: SourceHealthRow, staleDays: number): string {
  const h = row.health
  const t = describeTrouble(row)
  const out = [
    `${row.id}${row.name ? ` · ${row.name}` : ''}`,
    row.url,
    `state: ${t.what}${t.detail ? ` · ${t.detail}` : ''}`,
  ]
  if (!h) return `${[...out, 'no run has fetched this source yet'].join('\n')}\n`
  out.push(
    `tracked since ${vnTime(h.since)} (giờ VN)`,
    `last attempt ${vnTime(h.lastAttemptAt)} · last success ${vnTime(h.lastSuccessAt)} · last new item ${vnTime(h.lastNewItemAt)}`,
  )
  if (h.failingSince) {
    out.push(
      `failing since ${vnTime(h.failingSince.at)}: ${h.failingSince.code}${h.failingSince.httpStatus === undefined ? '' : ` (HTTP ${h.failingSince.httpStatus})`}, ${h.failures} in a row`,
    )
    if (h.lastFailure?.message) out.push(`last error: ${h.lastFailure.message}`)
  }
  if (h.moved) out.push(`moved ${vnTime(h.moved.at)} → ${h.moved.to}`)
  if (h.retired) out.push(`retired ${vnTime(h.retired.at)} (HTTP 410)`)
  out.push(
    `new items, last 30 days (oldest first): ${row.itemsPerDay.join(' ')}`,
    `usually daily: ${row.usuallyDaily ? 'yes' : 'no'} (stale after ${staleDays} days without a new item)`,
    'history (newest last):',
  )
  for (const run of h.history) {
    const code = run.code ? ` ${run.code}` : ''
    const http = run.httpStatus === undefined ? '' : ` HTTP ${run.httpStatus}`
    const items = run.newItems ? ` +${run.newItems}` : ''
    out.push(`  ${vnTime(run.at)}  ${run.status}${code}${http}${items}`)
  }
  return `${out.join('\n')}\n`
}
