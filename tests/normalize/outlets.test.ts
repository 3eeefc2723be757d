import { describe, expect, it } from 'vitest'
import { domainOf, findOutlet, OUTLETS } from '../../src/normalize/outlets.js'
import { foldText } from '../../src/normalize/text/index.js'

const PROVINCES_63 = [
  'An Giang',
  'Bà Rịa - Vũng Tàu',
  'Bạc Liêu',
  'Bắc Giang',
  'Bắc Kạn',
  'Bắc Ninh',
  'Bến Tre',
  'Bình Định',
  'Bình Dương',
  'Bình Phước',
  'Bình Thuận',
  'Cà Mau',
  'Cao Bằng',
  'Cần Thơ',
  'Đà Nẵng',
  'Đắk Lắk',
  'Đắk Nông',
  'Điện Biên',
  'Đồng Nai',
  'Đồng Tháp',
  'Gia Lai',
  'Hà Giang',
  'Hà Nam',
  'Hà Nội',
  'Hà Tĩnh',
  'Hải Dương',
  'Hải Phòng',
  'Hậu Giang',
  'Hòa Bình',
  'TP. Hồ Chí Minh',
  'Hưng Yên',
  'Khánh Hòa',
  'Kiên Giang',
  'Kon Tum',
  'Lai Châu',
  'Lâm Đồng',
  'Lạng Sơn',
  'Lào Cai',
  'Long An',
  'Nam Định',
  'Nghệ An',
  'Ninh Bình',
  'Ninh Thuận',
  'Phú Thọ',
  'Phú Yên',
  'Quảng Bình',
  'Quảng Nam',
  'Quảng Ngãi',
  'Quảng Ninh',
  'Quảng Trị',
  'Sóc Trăng',
  'Sơn La',
  'Tây Ninh',
  'Thái Bình',
  'Thái Nguyên',
  'Thanh Hóa',
  'Thừa Thiên Huế',
  'Tiền Giang',
  'Trà Vinh',
  'Tuyên Quang',
  'Vĩnh Long',
  'Vĩnh Phúc',
  'Yên Bái',
]

describe('OUTLETS', () => {
  it('has a radio-TV station entry for each of the 63 pre-2025 provinces', () => {
    expect(PROVINCES_63).toHaveLength(63)
    for (const p of PROVINCES_63) {
      expect(findOutlet(`Đài Phát thanh và Truyền hình ${p}`)?.name, p).toBe(`Đài Phát thanh và Truyền hình ${p}`)
      expect(findOutlet(`Đài PT-TH ${p}`)?.name, p).toBe(`Đài Phát thanh và Truyền hình ${p}`)
    }
  })

  it("knows every province's party newspaper with a domain", () => {
    const special: Record<string, string> = {
      'Bến Tre': 'Báo Đồng Khởi',
      'Điện Biên': 'Báo Điện Biên Phủ',
      'Hà Nội': 'Báo Hà Nội Mới',
      'TP. Hồ Chí Minh': 'Báo Sài Gòn Giải Phóng',
      'Tiền Giang': 'Báo Ấp Bắc',
    }
    for (const p of PROVINCES_63) {
      const name = special[p] ?? `Báo ${p}`
      const outlet = findOutlet(name)
      expect(outlet?.name, p).toBe(name)
      expect(outlet?.domains.length, p).toBeGreaterThan(0)
    }
  })

  it('has well-formed, lower-case domains, each naming one outlet', () => {
    const seen = new Map<string, string>()
    for (const o of OUTLETS) {
      expect(o.name.trim()).toBe(o.name)
      for (const d of o.domains) {
        expect(domainOf(d), d).toBe(d)
        expect(seen.get(d) ?? o.name, d).toBe(o.name)
        seen.set(d, o.name)
      }
    }
    expect(seen.size).toBeGreaterThan(120)
  })

  it('has no alias that folds to another outlet’s name', () => {
    const names = new Map(OUTLETS.map((o) => [foldText(o.name), o.name]))
    for (const o of OUTLETS) {
      for (const a of o.aliases ?? []) {
        const other = names.get(foldText(a))
        if (other !== undefined) expect(other, a).toBe(o.name)
      }
    }
  })

  it('lists the 2025 merged provincial media by name, with no guessed domains', () => {
    const merged = findOutlet('Báo và Phát thanh, Truyền hình Hưng Yên')
    expect(merged?.name).toBe('Báo và Phát thanh, Truyền hình Hưng Yên')
    expect(merged?.domains).toEqual([])
  })
})

describe('findOutlet', () => {
  it.each([
    ['Baothaibinh.com.vn', 'Báo Thái Bình'],
    ['baothaibinh.com.vn', 'Báo Thái Bình'],
    ['www.baothaibinh.com.vn', 'Báo Thái Bình'],
    ['https://WWW.BaoThaiBinh.com.vn/tin-tuc/123.html', 'Báo Thái Bình'],
    ['m.baothaibinh.com.vn', 'Báo Thái Bình'],
    ['Baothaibinh', 'Báo Thái Bình'],
    ['báo thái bình', 'Báo Thái Bình'],
    ['BÁO THÁI BÌNH', 'Báo Thái Bình'],
    ['Báo Thái Bình điện tử', 'Báo Thái Bình'],
    ['Báo Thanh Hoá', 'Báo Thanh Hóa'],
    ['baoquangninh.com.vn', 'Báo Quảng Ninh'],
    ['TTXVN', 'Thông tấn xã Việt Nam'],
    ['vnanet.vn', 'Thông tấn xã Việt Nam'],
    ['english.vov.vn', 'Đài Tiếng nói Việt Nam'],
    ['VGP', 'Báo Điện tử Chính phủ'],
    ['chinhphu.vn', 'Báo Điện tử Chính phủ'],
    ['Kinh tế & Đô thị', 'Báo Kinh tế & Đô thị'],
    ['Kinh tế và Đô thị', 'Báo Kinh tế & Đô thị'],
    ['zingnews.vn', 'Znews'],
    ['SGGP', 'Báo Sài Gòn Giải Phóng'],
    ['Tuoitre', 'Báo Tuổi Trẻ'],
  ])('%s → %s', (query, name) => {
    expect(findOutlet(query)?.name).toBe(name)
  })

  it.each(['', 'Thái Bình', 'Hà Nội', 'example.com', 'vn', 'Theo kế hoạch'])('%s → nothing', (query) => {
    expect(findOutlet(query)).toBeUndefined()
  })

  it('searches extra entries first', () => {
    const extra = [{ name: 'Báo Thái Bình (cấu hình)', domains: ['baothaibinh.com.vn'] }]
    expect(findOutlet('baothaibinh.com.vn', extra)?.name).toBe('Báo Thái Bình (cấu hình)')
    expect(findOutlet('VOV', extra)?.name).toBe('Đài Tiếng nói Việt Nam')
  })
})
