/** Vietnamese test text and a windows-1258 encoder (TextDecoder can decode windows-1258 but nothing encodes it). */
export const VI_TITLE = 'Thái Bình: Lễ hội đền Trần, đường phố Thành Nam'

export const RSS_VI = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Báo Thái Bình</title><item><title>${VI_TITLE}</title><link>https://baothaibinh.com.vn/tin-tuc/1</link></item></channel></rss>`

let table: Map<string, number> | undefined

/** windows-1258 bytes: precomposed letters where the code page has them, else base letter + combining tone mark. */
export function cp1258(text: string): Uint8Array {
  if (!table) {
    table = new Map()
    const decoder = new TextDecoder('windows-1258')
    for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b)
  }
  const map = table
  const marks = [...map.keys()].filter((k) => /\p{M}/u.test(k))
  const out: number[] = []
  for (const ch of text.normalize('NFC')) {
    const direct = map.get(ch)
    if (direct !== undefined) {
      out.push(direct)
      continue
    }
    let found: number[] | undefined
    for (const base of map.keys()) {
      const mark = marks.find((m) => (base + m).normalize('NFC') === ch)
      if (mark) {
        found = [map.get(base)!, map.get(mark)!]
        break
      }
    }
    out.push(...(found ?? [0x3f]))
  }
  return Uint8Array.from(out)
}
