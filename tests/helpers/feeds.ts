/** RSS feeds made up for a test: items with distinct words (so dedupe keeps them apart) and given instants. */
const WORDS = [
  'lúa',
  'cầu',
  'đường',
  'trường',
  'bệnh viện',
  'chợ',
  'đê',
  'cảng',
  'rừng',
  'biển',
  'mưa',
  'bão',
  'hội nghị',
  'lễ hội',
  'giải chạy',
  'học bổng',
  'nhà văn hóa',
  'xe buýt',
  'nước sạch',
  'điện mặt trời',
  'cà phê',
  'hồ tiêu',
  'thanh long',
  'tôm',
  'cá tra',
  'muối',
  'gạo',
  'chè',
  'cao su',
  'vải thiều',
  'nhãn',
  'xoài',
  'sầu riêng',
  'bưởi',
  'hoa',
  'gốm',
  'lụa',
  'mây tre',
  'đình làng',
  'bảo tàng',
]

export interface FeedItem {
  /** Unique within the test: it picks the item's words. */
  n: number
  published: Date
  /** Words added to the body: the same item, edited. */
  edit?: string
}

function words(n: number): string {
  const pick = (k: number) => WORDS[(n * 7 + k * 13) % WORDS.length]
  return `${pick(1)} ${pick(2)} ${pick(3)} số ${n}`
}

export function rssFeed(origin: string, name: string, items: FeedItem[]): string {
  const entries = items
    .map(
      (item) => `<item>
  <title>Tin ${name} ${item.n}: ${words(item.n)}</title>
  <link>${origin}/a/${name}/${item.n}</link>
  <guid>${origin}/a/${name}/${item.n}</guid>
  <pubDate>${item.published.toUTCString()}</pubDate>
  <description>Bài ${item.n} của ${name} nói về ${words(item.n)} và ${words(item.n + 101)}, ${words(item.n + 211)}.${item.edit ? ` ${item.edit}` : ''}</description>
</item>`,
    )
    .join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${name}</title><link>${origin}/${name}</link><description>${name}</description>
${entries}
</channel></rss>`
}
