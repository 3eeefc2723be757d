/**
 * Blocks a reader does not want: related-link lists and their headers, tag and share lines, an image block with
 * nothing to show, a first paragraph repeating the title, a lead said twice.
 */

import { same } from './runs.js'
import type { Block, TextBlock } from './types.js'

const RELATED_HEAD =
  /^[\s>»\-–•*|]*(?:xem thêm|tin liên quan|bài liên quan|tin bài liên quan|bài viết liên quan|tin cùng chuyên mục|bài cùng chuyên mục|cùng chuyên mục|tin khác|các tin khác|các tin bài khác|đọc thêm|có thể bạn quan tâm|mời (?:bạn đọc |quý độc giả )?xem thêm|tin mới nhất|tin đọc nhiều|tin nổi bật|bài cùng chủ đề|tin cùng chủ đề|xem tiếp)(?=$|[\s:>».…])\s*(.*)$/iu
const TAGS_LINE = /^(?:từ khóa|từ khoá|tags?|keywords?|thẻ|chủ đề liên quan)\s*:/iu
const SHARE_LINE =
  /^(?:chia sẻ(?: bài viết| facebook| zalo| qua facebook| qua zalo)?|share(?: on (?:facebook|twitter|zalo))?|in bài(?: viết)?|gửi bài(?: viết)?|lưu bài(?: viết)?|quay lại|trở về|về đầu trang|lên đầu trang|bình luận(?: \(\d+\))?|facebook|zalo|twitter|print|email|tweet|like)(?:\s*[|•]\s*(?:facebook|zalo|twitter|email|in|print))*$/iu

function isLinkOnly(block: TextBlock): boolean {
  const linked = block.runs.filter((r) => r.href !== undefined && r.text.trim() !== '')
  if (linked.length === 0) return false
  const rest = block.runs
    .filter((r) => r.href === undefined)
    .map((r) => r.text)
    .join('')
  return /^[\s>»\-–•*|:.,]*$/u.test(rest)
}

export function removeJunk(blocks: Block[]): Block[] {
  const out: Block[] = []
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]
    if (b === undefined) continue
    if (b.kind !== 'text') {
      out.push(b)
      continue
    }
    if (TAGS_LINE.test(b.text) || (b.text.length <= 60 && SHARE_LINE.test(b.text))) continue
    const related = RELATED_HEAD.exec(b.text)
    if (related !== null) {
      const rest = related[1] ?? ''
      const isHeader = /^[\s:>»]*$/.test(rest)
      if (isHeader || /^[:>»]/.test(rest) || isLinkOnly(b)) {
        if (isHeader) {
          // Drop the link list or link-only lines that follow the header.
          while (i + 1 < blocks.length) {
            const next = blocks[i + 1]
            if (next?.kind !== 'text' || !(isLinkOnly(next) || (next.list !== undefined && next.text.length <= 200)))
              break
            i++
          }
        }
        continue
      }
    }
    if (/^\s*(?:>>|»|>)/.test(b.text) && isLinkOnly(b)) continue
    out.push(b)
  }
  return out
}

/** An image block with nothing to show (no URL, caption or credit) is dropped. */
export function isKept(b: Block): boolean {
  return b.kind !== 'image' || b.url !== undefined || b.caption !== undefined || b.credit !== undefined
}

export function dropRepeats(blocks: Block[], title: string | undefined): Block[] {
  const out = [...blocks]
  const firstIndex = out.findIndex((b) => b.kind === 'text')
  const first = out[firstIndex]
  if (first?.kind === 'text' && title !== undefined && same(first.text, title)) out.splice(firstIndex, 1)
  // The lead repeated (summary pasted in front of a body that starts with it): keep it once.
  const texts = out.map((b, i) => [b, i] as const).filter(([b]) => b.kind === 'text')
  const a = texts[0]
  const b = texts[1]
  if (a !== undefined && b !== undefined && same((a[0] as TextBlock).text, (b[0] as TextBlock).text))
    out.splice(b[1], 1)
  return out
}
