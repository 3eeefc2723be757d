import { describe, expect, it } from 'vitest'
import { detectByline, isNameLike } from '../../src/normalize/byline.js'

describe('detectByline', () => {
  it.each([
    ['Minh Hà', { formatted: true }, { byline: 'Minh Hà' }],
    ['Minh Hà', {}, { byline: 'Minh Hà' }],
    ['Nguyễn Văn An - Thu Hà', { formatted: true }, { byline: 'Nguyễn Văn An - Thu Hà' }],
    ['N.H', { formatted: true }, { byline: 'N.H' }],
    ['Bài và ảnh: Thu Thủy', {}, { byline: 'Thu Thủy' }],
    ['Bài, ảnh: Minh Hà', {}, { byline: 'Minh Hà' }],
    ['Tin, ảnh: Việt Thắng', {}, { byline: 'Việt Thắng' }],
    ['Bài: Hồng Nhung', {}, { byline: 'Hồng Nhung' }],
    ['Hồng Nhung (tổng hợp)', {}, { byline: 'Hồng Nhung (tổng hợp)' }],
    ['Hồng Nhung (TH)', {}, { byline: 'Hồng Nhung (TH)' }],
    ['Minh Hà (TTXVN)', {}, { byline: 'Minh Hà (TTXVN)', agency: 'TTXVN' }],
    ['Thu Hà (Theo VOV)', {}, { byline: 'Thu Hà (Theo VOV)', agency: 'VOV' }],
    ['Thu Hà (Theo Báo Thái Bình)', {}, { byline: 'Thu Hà (Theo Báo Thái Bình)', agency: 'Báo Thái Bình' }],
    ['Nhóm PV', {}, { byline: 'Nhóm PV' }],
    ['Nhóm phóng viên', {}, { byline: 'Nhóm phóng viên' }],
  ])('%s is a byline', (text, options, expected) => {
    expect(detectByline(text, options)).toEqual(expected)
  })

  it.each([
    ['Mời bạn đọc đón xem.', { formatted: true }],
    ['Xin cảm ơn!', { formatted: true }],
    ['Kết luận', { formatted: true }],
    ['Chúc mừng năm mới', {}],
    ['Hà Nội, ngày 9 tháng 3 năm 2017', { formatted: true }],
    ['Người dân phấn khởi (ảnh)', {}],
    ['Văn Bản Chỉ Đạo Của Tỉnh Ủy Thái Bình Về Công Tác Phòng Chống Lụt Bão Năm Nay', { formatted: true }],
    ['', {}],
  ])('%s is not a byline', (text, options) => {
    expect(detectByline(text, options)).toBeUndefined()
  })

  it('does not take an unformatted name of more than four words', () => {
    expect(detectByline('Nguyễn Thị Thu Hà Giang')).toBeUndefined()
    expect(detectByline('Nguyễn Thị Thu Hà Giang', { formatted: true })).toEqual({ byline: 'Nguyễn Thị Thu Hà Giang' })
  })
})

describe('isNameLike', () => {
  it('wants capitalised words and no sentence', () => {
    expect(isNameLike('Thu Thủy')).toBe(true)
    expect(isNameLike('Thu thủy')).toBe(false)
    expect(isNameLike('Thu Thủy.')).toBe(false)
    expect(isNameLike('T.H.')).toBe(true)
    expect(isNameLike('Số 12345 Phố Huế')).toBe(false)
  })
})
