/** Times as the CLI prints them: Vietnam time, day first. */

const VN_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** `07/12/2026 16:22` in Vietnam time; `—` for nothing. */
export function vnTime(ms: number | undefined): string {
  if (ms === undefined) return '—'
  const p = Object.fromEntries(VN_TIME.formatToParts(new Date(ms)).map((x) => [x.type, x.value]))
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`
}
