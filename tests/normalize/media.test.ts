import { describe, expect, it } from 'vitest'
import {
  bestSrcsetCandidate,
  formatCaption,
  isIllustrationLabel,
  isPlaceholderAlt,
  isTrackerImage,
  pickImageUrl,
  resolveUrl,
  splitPhotoCredit,
} from '../../src/normalize/media.js'

describe('splitPhotoCredit', () => {
  it.each([
    ['Quang cảnh hội nghị. Ảnh: Thu Thủy', { caption: 'Quang cảnh hội nghị.', credit: 'Thu Thủy' }],
    ['Quang cảnh hội nghị (Ảnh: TTXVN)', { caption: 'Quang cảnh hội nghị', credit: 'TTXVN' }],
    ['Quang cảnh hội nghị. (Ảnh: TTXVN)', { caption: 'Quang cảnh hội nghị.', credit: 'TTXVN' }],
    ['Thủ tướng phát biểu - Ảnh: VGP/Nhật Bắc', { caption: 'Thủ tướng phát biểu', credit: 'VGP/Nhật Bắc' }],
    ['Cánh đồng lúa. Tin, ảnh: Ngọc Lan', { caption: 'Cánh đồng lúa.', credit: 'Ngọc Lan' }],
    ['Cánh đồng lúa (Bài và ảnh: Ngọc Lan)', { caption: 'Cánh đồng lúa', credit: 'Ngọc Lan' }],
    ['Cánh đồng lúa. ẢNH: NGỌC LAN', { caption: 'Cánh đồng lúa.', credit: 'NGỌC LAN' }],
    ['Cánh đồng lúa [Ảnh: Ngọc Lan]', { caption: 'Cánh đồng lúa', credit: 'Ngọc Lan' }],
    ['Tàu cá ngư dân. Ảnh minh họa: TTXVN', { caption: 'Tàu cá ngư dân.', credit: 'TTXVN' }],
    ['Ảnh: Thu Thủy', { credit: 'Thu Thủy' }],
    ['Ảnh: Thu Thủy - Lãnh đạo tỉnh thăm mô hình', { caption: 'Lãnh đạo tỉnh thăm mô hình', credit: 'Thu Thủy' }],
    ['Ảnh minh họa', { caption: 'Ảnh minh họa' }],
    ['Người dân tham gia lễ hội', { caption: 'Người dân tham gia lễ hội' }],
    ['Hình ảnh: đẹp', { caption: 'Hình ảnh: đẹp' }],
    ['Cánh đồng lúa. Ảnh , video : Ngọc Lan', { caption: 'Cánh đồng lúa.', credit: 'Ngọc Lan' }],
    ['Cánh đồng lúa. PHOTO: Ngọc Lan', { caption: 'Cánh đồng lúa.', credit: 'Ngọc Lan' }],
    [
      'Bão gây ảnh hưởng tới 3 tỉnh: Quảng Ninh, Hải Phòng',
      { caption: 'Bão gây ảnh hưởng tới 3 tỉnh: Quảng Ninh, Hải Phòng' },
    ],
    ['', {}],
  ])('%s', (text, expected) => {
    expect(splitPhotoCredit(text)).toEqual(expected)
  })

  it('does not take a sentence after "ảnh:" as a credit', () => {
    expect(
      splitPhotoCredit('Ông nói về bức ảnh: đây là kỷ niệm. Nó rất quý giá với gia đình ông').credit,
    ).toBeUndefined()
  })
})

describe('isIllustrationLabel', () => {
  it('knows the illustrative-picture labels', () => {
    expect(isIllustrationLabel('Ảnh minh họa')).toBe(true)
    expect(isIllustrationLabel('(Ảnh minh hoạ)')).toBe(true)
    expect(isIllustrationLabel('Ảnh tư liệu')).toBe(true)
    expect(isIllustrationLabel('Ảnh đẹp về quê hương')).toBe(false)
  })
})

describe('isPlaceholderAlt', () => {
  it.each([
    '',
    'Chú thích ảnh',
    'chu thich anh',
    'Ảnh 1',
    'image',
    'IMG_1234.JPG',
    'DSC01234',
    'anh-1',
    '20170310_095512',
  ])('%s is a placeholder', (alt) => {
    expect(isPlaceholderAlt(alt)).toBe(true)
  })
  it('treats "<title> - Ảnh N" and the bare title as placeholders', () => {
    expect(isPlaceholderAlt('Họp Ban Hội nhập kinh tế - Ảnh 1', 'Họp Ban Hội nhập kinh tế')).toBe(true)
    expect(isPlaceholderAlt('Họp Ban Hội nhập kinh tế', 'Họp Ban Hội nhập kinh tế')).toBe(true)
    expect(isPlaceholderAlt('Họp Ban Hội nhập kinh tế quốc tế tỉnh năm 2017', 'Họp Ban')).toBe(false)
  })
  it('keeps real descriptions', () => {
    expect(isPlaceholderAlt('Quang cảnh hội nghị')).toBe(false)
    expect(isPlaceholderAlt('Ảnh đại biểu dự hội nghị')).toBe(false)
  })
})

describe('image URLs', () => {
  const base = 'https://bao.vn/tin/a.html'
  it('prefers lazy attributes over a placeholder src', () => {
    expect(pickImageUrl({ src: '/blank.gif', 'data-src': '/real.jpg' }, base)).toBe('https://bao.vn/real.jpg')
    expect(pickImageUrl({ src: 'data:image/gif;base64,R0l', 'data-original': 'x.jpg' }, base)).toBe(
      'https://bao.vn/tin/x.jpg',
    )
    expect(pickImageUrl({ src: '/loading.gif', 'data-lazy-src': '//cdn.bao.vn/y.jpg' }, base)).toBe(
      'https://cdn.bao.vn/y.jpg',
    )
  })
  it('takes the widest srcset candidate', () => {
    expect(bestSrcsetCandidate('/a-320.jpg 320w, /a-1024.jpg 1024w, /a-640.jpg 640w')).toBe('/a-1024.jpg')
    expect(bestSrcsetCandidate('/a.jpg 1x, /a@2x.jpg 2x')).toBe('/a@2x.jpg')
    expect(bestSrcsetCandidate('/a.jpg')).toBe('/a.jpg')
    expect(bestSrcsetCandidate('')).toBeUndefined()
  })
  it('returns nothing when every candidate is a placeholder or unsafe', () => {
    expect(pickImageUrl({ src: '/spacer.gif' }, base)).toBeUndefined()
    expect(pickImageUrl({ src: 'javascript:alert(1)' }, base)).toBeUndefined()
    expect(pickImageUrl({ src: 'x.jpg' }, undefined)).toBeUndefined()
  })
  it('spots tracking pixels', () => {
    expect(isTrackerImage({ width: '1', height: '1' }, 'https://a.vn/p.gif')).toBe(true)
    expect(isTrackerImage({ width: '0' }, 'https://a.vn/p.gif')).toBe(true)
    expect(isTrackerImage({}, 'https://feeds.feedburner.com/~r/bao/~4/abc')).toBe(true)
    expect(isTrackerImage({ width: '600' }, 'https://a.vn/photo.jpg')).toBe(false)
  })
  it('resolves only allowed schemes', () => {
    expect(resolveUrl('../b.html', base, ['http', 'https'])).toBe('https://bao.vn/b.html')
    expect(resolveUrl(' jav\tascript:alert(1)', base, ['http', 'https'])).toBeUndefined()
    expect(resolveUrl('mailto:a@bao.vn', base, ['http', 'https', 'mailto'])).toBe('mailto:a@bao.vn')
    expect(resolveUrl('//cdn.bao.vn/x.jpg', undefined, ['https'])).toBe('https://cdn.bao.vn/x.jpg')
  })
})

describe('formatCaption', () => {
  it('joins caption and credit', () => {
    expect(formatCaption('Hội nghị.', 'Thu Thủy')).toBe('Hội nghị. — Ảnh: Thu Thủy')
    expect(formatCaption(undefined, 'Thu Thủy')).toBe('Ảnh: Thu Thủy')
    expect(formatCaption('Hội nghị.', undefined)).toBe('Hội nghị.')
  })
})

describe('splitPhotoCredit: phrases are not credits', () => {
  it.each(['Mời quý vị xem video: Toàn cảnh lễ hội Đền Hùng', 'Kỷ niệm qua bức ảnh: Những ngày đầu thành lập tỉnh'])(
    '%s',
    (text) => {
      expect(splitPhotoCredit(text).credit).toBeUndefined()
    },
  )
  it('accepts an office as a credit', () => {
    expect(splitPhotoCredit('Lễ hội năm nay. Ảnh: Sở Văn hóa Thể thao').credit).toBe('Sở Văn hóa Thể thao')
  })
})
