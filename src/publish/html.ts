/**
 * The HTML river page: a static, script-free, responsive page of the merged stories. Rendered here (not by `feed`),
 * with every value escaped; the page carries a CSP that forbids scripts outright.
 */
import type { OutputFormat } from '../types.js'
import { cleanText, cleanUrl, escapeXml } from './clean.js'
import { PUBLISH_DEFAULTS } from './defaults.js'
import type { Entry } from './entry.js'
import type { RenderOptions } from './types.js'

export const HTML_CSP = "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'"

const MIME: Record<OutputFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
  html: 'text/html',
}
const LABEL: Record<OutputFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed', html: 'HTML' }

const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: PUBLISH_DEFAULTS.timeZone,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})
const dayHeading = new Intl.DateTimeFormat('vi-VN', {
  timeZone: PUBLISH_DEFAULTS.timeZone,
  weekday: 'long',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
})

/** `10/03/2017 07:00` in Vietnam time. */
export function formatVietnamTime(date: Date): string {
  const parts = Object.fromEntries(dateTime.formatToParts(date).map((p) => [p.type, p.value]))
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`
}

const CSS = `
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#e6e2da;--paper:#fbfaf7;--card:#fff;--accent:#b3261e;--link:#0b57d0}
@media (prefers-color-scheme:dark){:root{--ink:#ece9e4;--muted:#a8a49d;--line:#34322e;--paper:#171614;--card:#1f1e1b;--accent:#f2b8b5;--link:#a8c7fa}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--paper);color:var(--ink);font:17px/1.6 Georgia,"Noto Serif","Times New Roman",serif}
a{color:inherit}
.masthead{border-bottom:3px double var(--line);background:var(--card);padding:28px 20px 18px;text-align:center}
.masthead h1 a{text-decoration:none}
.masthead h1{margin:0;font-size:clamp(28px,5vw,44px);line-height:1.15;letter-spacing:-.01em}
.masthead p{margin:6px auto 0;max-width:640px;color:var(--muted);font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:15px}
.feeds{margin-top:12px;font:600 13px/1 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;text-transform:uppercase;letter-spacing:.06em}
.feeds a{display:inline-block;margin:4px 6px;padding:6px 10px;border:1px solid var(--line);border-radius:999px;text-decoration:none;color:var(--muted)}
main{max-width:760px;margin:0 auto;padding:8px 20px 48px}
.day{margin:34px 0 6px;font:700 13px/1.2 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;text-transform:uppercase;letter-spacing:.08em;color:var(--accent)}
.story{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:22px 24px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.04)}
.meta{margin:0 0 6px;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--muted)}
.meta .outlet{font-weight:700;color:var(--accent)}
.story .title{margin:0 0 12px;font-size:clamp(21px,3.2vw,27px);line-height:1.25}
.story .title a{text-decoration:none}
.story .title a:hover{text-decoration:underline}
figure{margin:14px 0}
figure img{display:block;width:100%;height:auto;max-height:460px;object-fit:cover;border-radius:10px;background:var(--line)}
figcaption{margin-top:6px;font:italic 14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--muted)}
.photo-credit{font-style:normal;font-weight:600}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.gallery figure{margin:0}
.gallery img{max-height:140px}
.lead{margin:10px 0 0}
.credit{margin:14px 0 0;padding-top:10px;border-top:1px solid var(--line);font:600 14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.also{margin:4px 0 0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--muted)}
.also a,.credit a{color:var(--link)}
.tags{margin:8px 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:6px;font:12px/1 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.tags li{padding:4px 8px;border-radius:6px;background:var(--paper);border:1px solid var(--line);color:var(--muted)}
.pager{display:flex;justify-content:space-between;gap:12px;margin:24px 0;font:600 14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.pager a{padding:8px 14px;border:1px solid var(--line);border-radius:999px;background:var(--card);text-decoration:none;color:var(--link)}
.empty{text-align:center;color:var(--muted);margin:48px 0}
.colophon{text-align:center;color:var(--muted);font:13px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:0 20px 32px}
@media (max-width:520px){body{font-size:16px}.story{padding:16px;border-radius:10px;margin:12px -6px}main{padding:4px 12px 32px}}
`.trim()

function lead(entry: Entry): string {
  const text = entry.lead ?? ''
  return text.length > 420 ? `${text.slice(0, 417).replace(/\s+\S*$/, '')}…` : text
}

function figure(image: Entry['images'][number], eager: boolean): string {
  const caption = image.caption ? escapeXml(image.caption) : ''
  const credit = image.credit ? `<span class="photo-credit">Ảnh: ${escapeXml(image.credit)}</span>` : ''
  const figcaption =
    caption || credit ? `<figcaption>${[caption, credit].filter(Boolean).join(' — ')}</figcaption>` : ''
  const alt = escapeXml(image.alt ?? image.caption ?? '')
  return `<figure><img src="${escapeXml(image.url)}" alt="${alt}"${eager ? '' : ' loading="lazy" decoding="async"'} referrerpolicy="no-referrer">${figcaption}</figure>`
}

/** A stateful writer: the page head, one `<article>` per entry (with a heading when the Vietnamese day changes), the tail. */
export function createHtmlWriter(options: RenderOptions) {
  let lastDay = ''
  let count = 0
  return {
    head(updated: Date): string {
      const title = escapeXml(cleanText(options.title))
      const description = cleanText(options.description)
      const lang = escapeXml(cleanText(options.language) || 'vi')
      const alternates = (options.alternates ?? [])
        .map((a) => ({ ...a, href: cleanUrl(a.href) ?? (/^[\w./-]+$/.test(a.href) ? a.href : undefined) }))
        .filter((a): a is typeof a & { href: string } => a.href !== undefined && a.format !== 'html')
      const links = alternates
        .map(
          (a) =>
            `<link rel="alternate" type="${MIME[a.format]}" title="${escapeXml(`${cleanText(options.title)} (${LABEL[a.format]})`)}" href="${escapeXml(a.href)}">`,
        )
        .join('\n')
      const nav = alternates.map((a) => `<a href="${escapeXml(a.href)}">${LABEL[a.format]}</a>`).join('')
      const home = cleanUrl(options.link)
      const archive = options.archiveLinks
      const archiveLinks = (
        [
          ['current', archive?.current],
          ['prev-archive', archive?.prevArchive],
          ['next-archive', archive?.nextArchive],
        ] as const
      )
        .filter(([, href]) => href)
        .map(([rel, href]) => `\n<link rel="${rel}" href="${escapeXml(href ?? '')}">`)
        .join('')
      return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${PUBLISH_DEFAULTS.generator}">
<title>${title}</title>
${description ? `<meta name="description" content="${escapeXml(description)}">\n` : ''}${links}${archiveLinks}
<style>${CSS}</style>
</head>
<body>
<header class="masthead">
<h1>${home ? `<a href="${escapeXml(home)}">${title}</a>` : title}</h1>
${description ? `<p>${escapeXml(description)}</p>\n` : ''}<p>Cập nhật <time datetime="${updated.toISOString()}">${formatVietnamTime(updated)}</time> (giờ Việt Nam)</p>
${nav ? `<nav class="feeds" aria-label="Nguồn cấp">${nav}</nav>\n` : ''}</header>
<main>
`
    },
    item(entry: Entry): string {
      count++
      const parts: string[] = []
      const day = dayHeading.format(entry.published)
      if (day !== lastDay) {
        lastDay = day
        parts.push(`<h2 class="day">${escapeXml(day)}</h2>`)
      }
      const [first, ...rest] = entry.images
      const leadText = lead(entry)
      const outlets = entry.alsoPublishedBy
        .map((o) => (o.url ? `<a href="${escapeXml(o.url)}">${escapeXml(o.name)}</a>` : escapeXml(o.name)))
        .join(', ')
      const also =
        entry.alsoLine && outlets
          ? escapeXml(entry.alsoLine).replace(
              escapeXml(entry.alsoPublishedBy.map((o) => o.name).join(', ')),
              () => outlets,
            )
          : ''
      parts.push(
        `<article class="story" id="${escapeXml(`s-${count}`)}">`,
        `<p class="meta"><span class="outlet">${escapeXml(entry.outlet)}</span> · <time datetime="${entry.published.toISOString()}">${formatVietnamTime(entry.published)}</time>${entry.byline ? ` · ${escapeXml(entry.byline)}` : ''}</p>`,
        `<h3 class="title"><a href="${escapeXml(entry.link)}">${escapeXml(entry.title)}</a></h3>`,
        ...(first ? [figure(first, count <= 4)] : []),
        ...(leadText ? [`<p class="lead">${escapeXml(leadText)}</p>`] : []),
        ...(rest.length ? [`<div class="gallery">${rest.map((i) => figure(i, false)).join('')}</div>`] : []),
        ...(entry.categories.length
          ? [`<ul class="tags">${entry.categories.map((c) => `<li>${escapeXml(c)}</li>`).join('')}</ul>`]
          : []),
        `<p class="credit">${escapeXml(entry.creditLine)}</p>`,
        ...(also ? [`<p class="also">${also}</p>`] : []),
        '</article>',
      )
      return `${parts.join('\n')}\n`
    },
    tail(): string {
      const a = options.archiveLinks
      const pager = [
        a?.nextArchive ? `<a rel="next-archive" href="${escapeXml(a.nextArchive)}">← Tin mới hơn</a>` : '',
        a?.archived && a.current ? `<a rel="current" href="${escapeXml(a.current)}">Tin mới nhất</a>` : '',
        a?.prevArchive ? `<a rel="prev-archive" href="${escapeXml(a.prevArchive)}">Tin cũ hơn →</a>` : '',
      ].filter(Boolean)
      const nav = pager.length ? `<nav class="pager" aria-label="Trang">${pager.join('')}</nav>\n` : ''
      return `${count === 0 ? '<p class="empty">Chưa có tin nào.</p>\n' : ''}${nav}</main>
<footer class="colophon">Tổng hợp tự động bởi tonghop · Bản quyền thuộc các cơ quan báo chí được ghi nguồn</footer>
</body>
</html>
`
    },
  }
}
