import type { Article, Story } from '../../src/types.js'

const SEED_PARAGRAPHS = [
  'Chiều ngày 9/3, UBND tỉnh tổ chức họp tổng kết hoạt động năm 2016, triển khai nhiệm vụ năm 2017 của Ban Hội nhập kinh tế quốc tế tỉnh.',
  'Năm 2016, Ban Hội nhập kinh tế quốc tế tỉnh triển khai thực hiện công tác hội nhập kinh tế quốc tế trên tinh thần vừa bám sát chỉ đạo của cơ quan trung ương vừa vận dụng thực tế tình hình kinh tế, xã hội của tỉnh để thực hiện công tác hội nhập thiết thực, hiệu quả.',
  'Công tác hội nhập kinh tế quốc tế triển khai ở các cấp, các ngành địa phương được nâng lên một bước. Kết quả đã góp phần đưa tổng sản phẩm trong tỉnh đạt 45.150 tỷ đồng, tăng 10,12% so với năm 2015.',
]

export const SEED_CAPTION =
  'Đồng chí Nguyễn Hoàng Giang, Tỉnh ủy viên, Phó Chủ tịch UBND tỉnh, Trưởng ban Hội nhập kinh tế quốc tế tỉnh chủ trì cuộc họp.'

/** The seed story, built by hand as normalize/ would produce it. */
export function seedArticle(imageUrl = 'https://thaibinh.gov.vn/images/2017/03/hop-ban-hoi-nhap.jpg'): Article {
  return {
    id: 'https://thaibinh.gov.vn/tin-tuc/hop-ban-hoi-nhap-kinh-te-quoc-te-tinh.html',
    guid: '4711',
    url: 'https://thaibinh.gov.vn/tin-tuc/hop-ban-hoi-nhap-kinh-te-quoc-te-tinh.html',
    title: 'Họp Ban Hội nhập kinh tế quốc tế tỉnh',
    published: new Date('2017-03-10T00:00:00.000Z'),
    summary: SEED_PARAGRAPHS[0]!,
    contentHtml:
      `<p>${SEED_PARAGRAPHS[0]}</p><figure><img src="${imageUrl}" alt="Họp Ban Hội nhập"><figcaption>${SEED_CAPTION}</figcaption></figure>` +
      SEED_PARAGRAPHS.slice(1)
        .map((p) => `<p>${p}</p>`)
        .join(''),
    text: SEED_PARAGRAPHS,
    images: [{ url: imageUrl, alt: 'Họp Ban Hội nhập', caption: SEED_CAPTION, credit: 'Thu Thủy' }],
    enclosures: [],
    credit: { text: 'Theo Baothaibinh.com.vn', name: 'Báo Thái Bình', domain: 'baothaibinh.com.vn' },
    categories: ['Kinh tế', 'Thái Bình'],
    source: {
      id: 'thaibinh-gov',
      feedUrl: 'https://thaibinh.gov.vn/rss/tin-tuc.rss',
      title: 'Cổng thông tin điện tử tỉnh Thái Bình',
      siteUrl: 'https://thaibinh.gov.vn/',
    },
    language: 'vi',
  }
}

let counter = 0

/** A plain article; `overrides` replace fields. */
export function makeArticle(overrides: Partial<Article> = {}): Article {
  counter++
  const n = overrides.id ?? `https://baonamdinh.vn/tin/${counter}.html`
  return {
    id: n,
    url: `https://baonamdinh.vn/tin/${counter}.html`,
    title: `Tin số ${counter}`,
    published: new Date(Date.UTC(2026, 0, 1, 0, counter)),
    contentHtml: `<p>Nội dung tin ${counter}.</p>`,
    text: [`Nội dung tin ${counter}.`],
    images: [],
    enclosures: [],
    categories: [],
    source: { id: 'baonamdinh', feedUrl: 'https://baonamdinh.vn/rss/home.rss', title: 'Báo Nam Định' },
    ...overrides,
  }
}

export function makeStory(primary: Article, duplicates: Article[] = []): Story {
  return { id: primary.id, primary, duplicates }
}

/** The seed story with two copies found by dedupe on other sites. */
export function seedStory(imageUrl?: string): Story {
  const primary = seedArticle(imageUrl)
  return makeStory(primary, [
    {
      ...primary,
      id: 'https://baothaibinh.com.vn/tin-tuc/4/hop-ban-hoi-nhap.html',
      url: 'https://baothaibinh.com.vn/tin-tuc/4/hop-ban-hoi-nhap.html',
      credit: { text: 'Báo Thái Bình', name: 'Báo Thái Bình', domain: 'baothaibinh.com.vn' },
      source: { id: 'baothaibinh', feedUrl: 'https://baothaibinh.com.vn/rss/thoi-su.rss', title: 'Báo Thái Bình' },
    },
    {
      ...primary,
      id: 'https://thaibinhtv.vn/tin/hop-ban-hoi-nhap',
      url: 'https://thaibinhtv.vn/tin/hop-ban-hoi-nhap',
      credit: { text: 'Đài PT-TH Thái Bình', name: 'Đài PT-TH Thái Bình' },
      source: { id: 'thaibinhtv', feedUrl: 'https://thaibinhtv.vn/rss', title: 'Đài PT-TH Thái Bình' },
    },
  ])
}
