/**
 * The sources page (`sources.html` beside an HTML output): every source's health, most troubled first, as a static,
 * script-free page under the same CSP as the river page. Every value is escaped; feed links are http(s) only.
 */
import { randomBytes } from 'node:crypto'
import { type FileHandle, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { PublishError } from '../errors.js'
import type { SourceHealthRow, SourceTrouble } from '../types.js'
import { cleanText, cleanUrl, escapeXml } from './clean.js'
import { PUBLISH_DEFAULTS } from './defaults.js'
import { formatVietnamTime, HTML_CSP } from './html.js'

export interface SourcesPageOptions {
  /** Site title (the page is "Tình trạng nguồn tin · <title>"). */
  title: string
  /** When the page was made. */
  now: Date
  /** Days without a new item after which a daily source is stale (shown in the legend). */
  staleDays: number
  /** Relative link back to the river page, e.g. `index.html`. */
  indexHref?: string
}

const LABEL: Record<SourceTrouble | 'ok' | 'unknown', string> = {
  failing: 'Lỗi',
  stale: 'Lâu không có tin mới',
  retired: 'Ngừng hoạt động (410)',
  moved: 'Đã chuyển địa chỉ',
  ok: 'Bình thường',
  unknown: 'Chưa chạy',
}

const CSS = `
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#e6e2da;--paper:#fbfaf7;--card:#fff;--bad:#b3261e;--warn:#8a5a00;--info:#0b57d0;--good:#1e7a3a}
@media (prefers-color-scheme:dark){:root{--ink:#ece9e4;--muted:#a8a49d;--line:#34322e;--paper:#171614;--card:#1f1e1b;--bad:#f2b8b5;--warn:#f5c77e;--info:#a8c7fa;--good:#8fd19e}}
*{box-sizing:border-box}
body{margin:0;background:var(--paper);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header{background:var(--card);border-bottom:1px solid var(--line);padding:20px}
header h1{margin:0;font-size:24px}
header p{margin:4px 0 0;color:var(--muted)}
main{max-width:1200px;margin:0 auto;padding:16px 20px 40px}
.summary{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 16px;padding:0;list-style:none}
.summary li{padding:6px 12px;border:1px solid var(--line);border-radius:999px;background:var(--card)}
.table{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:12px}
table{border-collapse:collapse;width:100%}
th,td{padding:8px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
tr:last-child td{border-bottom:0}
.id{color:var(--muted);font-size:13px}
.state{font-weight:700;white-space:nowrap}
.failing .state{color:var(--bad)}.stale .state{color:var(--warn)}.retired .state,.moved .state{color:var(--info)}.ok .state{color:var(--good)}
code{font-size:13px}
time{white-space:nowrap}
.bars{display:flex;align-items:flex-end;gap:1px;height:24px}
.bars span{display:inline-block;width:4px;min-height:1px;background:var(--muted)}
a{color:var(--info)}
`.trim()

function time(ms: number | undefined): string {
  if (ms === undefined) return '—'
  const date = new Date(ms)
  return `<time datetime="${date.toISOString()}">${formatVietnamTime(date)}</time>`
}

function detail(row: SourceHealthRow): string {
  const h = row.health
  switch (row.trouble) {
    case 'failing': {
      const first = h?.failingSince
      const code = first
        ? `<code>${escapeXml(first.code)}</code>${first.httpStatus ? ` (HTTP ${first.httpStatus})` : ''}`
        : ''
      return `${h?.failures ?? 0} lần liên tiếp từ ${time(first?.at)}: ${code}`
    }
    case 'stale':
      return `${row.daysWithoutNewItems ?? 0} ngày không có tin mới`
    case 'retired':
      return `từ ${time(h?.retired?.at)}`
    case 'moved': {
      const to = h?.moved?.to ? cleanUrl(h.moved.to) : undefined
      return `từ ${time(h?.moved?.at)}${to ? ` → <a href="${escapeXml(to)}" rel="nofollow noreferrer">${escapeXml(to)}</a>` : ''}`
    }
    default:
      return ''
  }
}

function bars(row: SourceHealthRow): string {
  const max = Math.max(1, ...row.itemsPerDay)
  const total = row.itemsPerDay.reduce((a, b) => a + b, 0)
  const spans = row.itemsPerDay.map((n) => `<span style="height:${Math.round((n / max) * 24)}px"></span>`).join('')
  return `<div class="bars" role="img" aria-label="${total} tin mới trong 30 ngày">${spans}</div>`
}

export function renderSourcesPage(rows: SourceHealthRow[], options: SourcesPageOptions): string {
  const title = escapeXml(cleanText(options.title) || 'tonghop')
  const count = (t: SourceTrouble) => rows.filter((r) => r.trouble === t).length
  const summary = [
    `${rows.length} nguồn`,
    ...(['failing', 'stale', 'retired', 'moved'] as const).map((t) => `${LABEL[t]}: ${count(t)}`),
  ]
  const body = rows
    .map((row) => {
      const kind = row.trouble ?? (row.health ? 'ok' : 'unknown')
      const url = cleanUrl(row.url)
      const name = escapeXml(cleanText(row.name) || row.id)
      return `<tr class="${kind}">
<td>${url ? `<a href="${escapeXml(url)}" rel="nofollow noreferrer">${name}</a>` : name}<div class="id">${escapeXml(row.id)}</div></td>
<td class="state">${escapeXml(LABEL[kind])}</td>
<td>${detail(row)}</td>
<td>${time(row.health?.lastSuccessAt)}</td>
<td>${time(row.health?.lastNewItemAt)}</td>
<td>${bars(row)}</td>
</tr>`
    })
    .join('\n')
  const back = options.indexHref
    ? (cleanUrl(options.indexHref) ?? (/^[\w./-]+$/.test(options.indexHref) ? options.indexHref : undefined))
    : undefined
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<meta name="generator" content="${PUBLISH_DEFAULTS.generator}">
<title>Tình trạng nguồn tin · ${title}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Tình trạng nguồn tin · ${title}</h1>
<p>Cập nhật ${time(options.now.getTime())} (giờ Việt Nam) · nguồn thường đăng hằng ngày mà ${options.staleDays} ngày không có tin mới được coi là lâu không có tin mới${back ? ` · <a href="${escapeXml(back)}">Trang tin</a>` : ''}</p>
</header>
<main>
<ul class="summary">${summary.map((s) => `<li>${escapeXml(s)}</li>`).join('')}</ul>
<div class="table"><table>
<thead><tr><th>Nguồn</th><th>Tình trạng</th><th>Chi tiết</th><th>Lấy được lần cuối</th><th>Tin mới lần cuối</th><th>Tin mới 30 ngày</th></tr></thead>
<tbody>
${body}
</tbody>
</table></div>
</main>
</body>
</html>
`
}

/** Write the sources page to `path` atomically (a temp file in the same directory, fsync, rename). */
export async function writeSourcesPage(
  path: string,
  rows: SourceHealthRow[],
  options: SourcesPageOptions,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let handle: FileHandle | undefined
  try {
    handle = await open(temp, 'wx', 0o644)
    await handle.writeFile(renderSourcesPage(rows, options))
    await handle.sync()
    await handle.close()
    handle = undefined
    await rename(temp, path)
  } catch (error) {
    await handle?.close().catch(() => {})
    await rm(temp, { force: true })
    throw new PublishError('ERR_PUBLISH_WRITE', `Cannot write the sources page ${path}: ${(error as Error).message}`, {
      cause: error,
    })
  }
}
