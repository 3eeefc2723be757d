import { describe, expect, it } from 'vitest'
import {
  compileCreditPattern,
  detectCreditLine,
  detectLeadingDateline,
  detectTrailingAgency,
  resolveCredit,
} from '../../src/normalize/credit.js'

describe('resolveCredit', () => {
  it('maps "Theo Baothaibinh.com.vn" through the registry', () => {
    expect(resolveCredit('Theo Baothaibinh.com.vn')).toEqual({
      text: 'Theo Baothaibinh.com.vn',
      name: 'Báo Thái Bình',
      domain: 'baothaibinh.com.vn',
    })
  })

  it.each([
    ['Theo TTXVN', 'Thông tấn xã Việt Nam', 'vnanet.vn'],
    ['(Theo TTXVN)', 'Thông tấn xã Việt Nam', 'vnanet.vn'],
    ['Theo VOV', 'Đài Tiếng nói Việt Nam', 'vov.vn'],
    ['Theo báo Nhân Dân', 'Báo Nhân Dân', 'nhandan.vn'],
    ['Theo Báo Quảng Ninh', 'Báo Quảng Ninh', 'baoquangninh.vn'],
    ['Theo baoquangninh.com.vn', 'Báo Quảng Ninh', 'baoquangninh.vn'],
    ['Nguồn: VnExpress', 'VnExpress', 'vnexpress.net'],
    ['Nguồn: Chinhphu.vn', 'Báo Điện tử Chính phủ', 'baochinhphu.vn'],
    ['Theo Tuổi Trẻ Online', 'Báo Tuổi Trẻ', 'tuoitre.vn'],
    ['Theo Dân trí', 'Báo Dân trí', 'dantri.com.vn'],
    ['Theo Zing News', 'Znews', 'znews.vn'],
    ['Theo QĐND', 'Báo Quân đội nhân dân', 'qdnd.vn'],
    ['Theo Minh Hà - Báo Hà Tĩnh', 'Báo Hà Tĩnh', 'baohatinh.vn'],
    ['./. (TTXVN)', 'Thông tấn xã Việt Nam', 'vnanet.vn'],
    ['TTXVN', 'Thông tấn xã Việt Nam', 'vnanet.vn'],
    ['VOV.VN', 'Đài Tiếng nói Việt Nam', 'vov.vn'],
    ['Theo Đài PT-TH Thái Bình', 'Đài Phát thanh và Truyền hình Thái Bình', 'thaibinhtv.vn'],
  ])('%s → %s', (text, name, domain) => {
    expect(resolveCredit(text)).toEqual({ text, name, domain })
  })

  it('keeps an unknown outlet as written, with its domain when it looks like one', () => {
    expect(resolveCredit('Theo Báo Ánh Dương')).toEqual({ text: 'Theo Báo Ánh Dương', name: 'Báo Ánh Dương' })
    expect(resolveCredit('Theo tinmoi.example.vn')).toEqual({
      text: 'Theo tinmoi.example.vn',
      name: 'tinmoi.example.vn',
      domain: 'tinmoi.example.vn',
    })
    expect(resolveCredit('Nguồn: Internet')).toEqual({ text: 'Nguồn: Internet', name: 'Internet' })
  })

  it.each([
    'Theo kế hoạch, dự án hoàn thành vào cuối năm 2019.',
    'Theo ông Nguyễn Văn A, Giám đốc Sở, tiến độ đang được đẩy nhanh',
    'Theo báo cáo của Sở Y tế',
    'Theo đó, tỉnh sẽ hỗ trợ các hộ dân',
    'Theo quy định',
    'Nguồn ảnh: Thu Thủy',
    'Nguồn vốn đầu tư lên tới 2.000 tỷ đồng',
    'Tỉnh sẽ khởi công dự án đường ven biển.',
    '',
  ])('is not a credit: %s', (text) => {
    expect(resolveCredit(text)).toBeUndefined()
  })

  it('uses extra outlets before the shipped registry', () => {
    const extra = [{ name: 'Cổng TTĐT tỉnh Thái Bình', domains: ['thaibinh.gov.vn'], aliases: ['TBP'] }]
    expect(resolveCredit('Theo TBP', extra)).toEqual({
      text: 'Theo TBP',
      name: 'Cổng TTĐT tỉnh Thái Bình',
      domain: 'thaibinh.gov.vn',
    })
  })
})

describe('detectCreditLine', () => {
  it('names the outlet from the link of "Nguồn: <a>"', () => {
    expect(detectCreditLine('Nguồn: Xem bài gốc', { href: 'https://www.vietnamplus.vn/abc.vnp' })).toEqual({
      text: 'Nguồn: Xem bài gốc',
      name: 'VietnamPlus',
      domain: 'vietnamplus.vn',
    })
    expect(detectCreditLine('Nguồn: bài gốc', { href: 'https://tinmoi.example.vn/a' })).toEqual({
      text: 'Nguồn: bài gốc',
      name: 'bài gốc',
      domain: 'tinmoi.example.vn',
    })
  })

  it('applies a per-source pattern first', () => {
    const pattern = compileCreditPattern('^Bài gốc:\\s*(.+)$')
    expect(detectCreditLine('Bài gốc: Báo Lào Cai', pattern === undefined ? {} : { pattern })?.name).toBe('Báo Lào Cai')
  })

  it('ignores an invalid pattern', () => {
    expect(compileCreditPattern('(')).toBeUndefined()
    expect(compileCreditPattern(undefined)).toBeUndefined()
  })

  it('does not read long paragraphs', () => {
    expect(detectCreditLine(`Theo TTXVN ${'x'.repeat(500)}`)).toBeUndefined()
  })
})

describe('detectLeadingDateline', () => {
  it('strips a dateline that is only the credit', () => {
    const text = '(Baoquangninh.vn) – Sáng 9/3, tại TP Hạ Long'
    const d = detectLeadingDateline(text)
    expect(d?.credit).toEqual({ text: 'Baoquangninh.vn', name: 'Báo Quảng Ninh', domain: 'baoquangninh.vn' })
    expect(text.slice(d?.strip)).toBe('Sáng 9/3, tại TP Hạ Long')
  })

  it('keeps a dateline that names a place', () => {
    const d = detectLeadingDateline('Hà Nội, 9/3 (TTXVN) - Chiều nay, Bộ Ngoại giao họp báo.')
    expect(d?.credit.name).toBe('Thông tấn xã Việt Nam')
    expect(d?.strip).toBe(0)
  })

  it('ignores parentheses that do not name an outlet', () => {
    expect(detectLeadingDateline('Ông A (Chủ tịch UBND xã) - người đứng đầu địa phương')).toBeUndefined()
    expect(detectLeadingDateline('(PV) - Sáng nay')).toBeUndefined()
    expect(detectLeadingDateline('(TTXVN) -')).toBeUndefined()
  })

  const REST = 'Sáng 7/12, UBND tỉnh tổ chức lễ khởi công cầu Hưng Hà.'
  const FORMS: [string, string][] = [
    ['(Dân trí) - ', 'Báo Dân trí'],
    ['(TTXVN) - ', 'Thông tấn xã Việt Nam'],
    ['VOV.VN - ', 'Đài Tiếng nói Việt Nam'],
    ['(Baothaibinh.com.vn) -', 'Báo Thái Bình'],
    ['(Chinhphu.vn) - ', 'Báo Điện tử Chính phủ'],
    ['TTO - ', 'Báo Tuổi Trẻ'],
    ['TTO – ', 'Báo Tuổi Trẻ'],
    ['(NLĐO) -', 'Báo Người Lao Động'],
  ]
  for (const [prefix, name] of FORMS) {
    it(`strips the dateline ${JSON.stringify(prefix)} and credits ${name}`, () => {
      const text = `${prefix}${REST}`
      const d = detectLeadingDateline(text)
      expect(d?.credit.name).toBe(name)
      expect(text.slice(d?.strip).trimStart()).toBe(REST)
    })
  }

  it('takes a bare prefix only when it is a domain or an outlet abbreviation', () => {
    for (const text of [
      `Hà Nội - ${REST}`,
      `UBND - ${REST}`,
      `Lao động - việc làm là vấn đề lớn của tỉnh.`,
      `Tuổi Trẻ - ${REST}`,
      `COVID-19 - ${REST}`,
      'TTO - ',
    ]) {
      expect(detectLeadingDateline(text), text).toBeUndefined()
    }
    expect(detectLeadingDateline(`Baothaibinh.com.vn - ${REST}`)?.credit.domain).toBe('baothaibinh.com.vn')
  })
})

describe('detectTrailingAgency', () => {
  it('cuts "./. (TTXVN)" off the last paragraph', () => {
    const text = 'Người phát ngôn trả lời các câu hỏi của phóng viên./. (TTXVN)'
    const t = detectTrailingAgency(text)
    expect(t?.credit.name).toBe('Thông tấn xã Việt Nam')
    expect(text.slice(0, t?.index)).toBe('Người phát ngôn trả lời các câu hỏi của phóng viên./.')
  })

  it('ignores a parenthesis that ends an ordinary sentence', () => {
    expect(detectTrailingAgency('Dự án được triển khai tại huyện Kiến Xương (Thái Bình).')).toBeUndefined()
    expect(detectTrailingAgency('Hội nghị có nhiều đại biểu tham dự. (Ảnh minh họa)')).toBeUndefined()
  })
})
