import type { Article, Story } from '../../src/types.js'
import { makeArticle, makeStory } from './fixtures.js'

/** Values `feed` 6 mishandles when trusted: each must come out clean in every format. */
export function hostileStories(): Story[] {
  const evilTitle =
    'Hai\uE002\uE001\uE000 ]]> lần ]]><script>alert(1)</script> và \u0000NUL\u0007\u001b\u0085 <b>đậm</b> & "ngoặc"'
  return [
    makeStory(
      makeArticle({
        id: '12345', // a bare numeric guid: feed's atom1() throws on it
        url: 'https://baonamdinh.vn/tin/hostile-1.html',
        title: evilTitle,
        author: 'Phóng viên <b>X</b>\u0000',
        summary: 'Tóm tắt ]]> với <i>thẻ</i>',
        contentHtml:
          '<p>Đoạn ]]><script>alert(2)</script> một</p><SCRIPT src=x></SCRIPT><p>\u0000hai\u0008</p><iframe src="https://evil.example/"></iframe>' +
          '<p>&lt;/item&gt;</p></item></channel></entry></feed><rights>\uE0020\uE002</rights>',
        categories: ['Thời sự <Nóng> & "mới"', 'a<b'],
        published: new Date('2026-02-01T03:00:00Z'),
        images: [{ url: 'https://baonamdinh.vn/anh/1.JPG', caption: 'Chú thích ]]> <x>', credit: 'Ảnh <y>' }],
        enclosures: [
          { url: 'https://baonamdinh.vn/anh/2.jpg', type: 'image/jpg', length: 0 },
          { url: 'https://baonamdinh.vn/media/bai.mp3', length: 123456 },
        ],
        credit: { text: 'Theo Báo <Nam> Định & Cộng sự', name: 'Báo <Nam> Định & Cộng sự' },
      }),
    ),
    // relative link resolved against the carrying site
    makeStory(
      makeArticle({
        id: 'tag:baothaibinh.com.vn,2026:relative',
        url: '/tin-tuc/tuong-doi.html',
        title: 'Liên kết tương đối',
        published: new Date('2026-02-01T02:00:00Z'),
        source: { id: 'tb', feedUrl: 'https://baothaibinh.com.vn/rss.xml', siteUrl: 'https://baothaibinh.com.vn/' },
      }),
    ),
    // relative link with no base anywhere: left out, the rest of the feed is produced
    makeStory(
      makeArticle({
        id: 'tuong-doi-khong-goc',
        url: 'tin/khong-goc.html',
        title: 'Không có gốc',
        published: new Date('2026-02-01T01:00:00Z'),
        source: { id: 'x', feedUrl: 'file-not-a-url' },
      }),
    ),
    // data: link (makes feed's Atom invalid XML) and javascript: link: left out
    makeStory(
      makeArticle({
        id: 'data:text/html,<script>alert(3)</script>',
        url: 'data:text/html,<script>alert(3)</script>',
        title: 'Liên kết data',
        published: new Date('2026-02-01T00:30:00Z'),
      }),
    ),
    makeStory(
      makeArticle({
        id: 'javascript:alert(4)',
        url: 'javascript:alert(4)',
        title: 'Liên kết javascript',
        published: new Date('2026-02-01T00:20:00Z'),
      }),
    ),
    // invalid date with no other date: left out; invalid published with a valid updated: kept
    makeStory(makeArticle({ title: 'Ngày hỏng', published: new Date('không phải ngày') })),
    makeStory(
      makeArticle({
        title: 'Ngày hỏng nhưng có cập nhật',
        published: new Date(Number.NaN),
        updated: new Date('2026-01-31T00:00:00Z'),
      }),
    ),
  ]
}

export const HOSTILE_KEPT = 3 // hostile-1, relative resolved, updated-only
export const HOSTILE_TITLE_CLEAN = 'Hai ]]> lần ]]><script>alert(1)</script> và NUL <b>đậm</b> & "ngoặc"'

export function allArticles(stories: Story[]): Article[] {
  return stories.flatMap((s) => [s.primary, ...s.duplicates])
}
