/**
 * The outlet registry's data: who a credit line names. `Theo Baothaibinh.com.vn` → Báo Thái Bình (baothaibinh.com.vn).
 *
 * Data, easy to extend: pass more entries as `extra` (from the config's `outlets`); they win over shipped ones.
 * Domains: current first, former after. Where a domain is not known for sure it is left out (and said so in a
 * comment) rather than guessed — a name match still works without it.
 */
import type { OutletEntry } from './types.js'

/** National outlets and agencies. */
const NATIONAL: OutletEntry[] = [
  {
    name: 'Thông tấn xã Việt Nam',
    domains: ['vnanet.vn'],
    aliases: ['TTXVN', 'VNA', 'Thông tấn xã VN', 'Vietnam News Agency'],
  },
  { name: 'Báo Tin tức', domains: ['baotintuc.vn'], aliases: ['Báo Tin tức - TTXVN', 'Tin tức TTXVN'] },
  {
    name: 'VietnamPlus',
    domains: ['vietnamplus.vn'],
    aliases: ['Vietnam+', 'Báo điện tử VietnamPlus', 'Vietnam Plus'],
  },
  { name: 'Bnews', domains: ['bnews.vn'], aliases: ['BNEWS', 'Bnews/TTXVN'] },
  { name: 'Vietnam News', domains: ['vietnamnews.vn'], aliases: ['VNS', 'Việt Nam News'] },
  {
    name: 'Đài Tiếng nói Việt Nam',
    domains: ['vov.vn'],
    aliases: ['VOV', 'VOV.VN', 'Báo điện tử VOV', 'Đài TNVN', 'Tiếng nói Việt Nam', 'VOV Online'],
  },
  { name: 'VOV Giao thông', domains: ['vovgiaothong.vn'], aliases: ['VOV Giao thông', 'VOVGT'] },
  {
    name: 'Đài Truyền hình Việt Nam',
    domains: ['vtv.vn'],
    aliases: ['VTV', 'VTV News', 'VTV.vn', 'Truyền hình Việt Nam', 'Báo điện tử VTV'],
  },
  { name: 'VTC News', domains: ['vtc.vn'], aliases: ['VTC', 'Báo điện tử VTC News'] },
  {
    name: 'Báo Nhân Dân',
    domains: ['nhandan.vn', 'nhandan.com.vn', 'nhandan.org.vn'],
    aliases: ['Nhân Dân', 'Báo Nhân dân điện tử', 'Nhân Dân điện tử'],
  },
  {
    name: 'Báo Quân đội nhân dân',
    domains: ['qdnd.vn'],
    aliases: ['Quân đội nhân dân', 'QĐND', 'QĐND Online', 'Báo QĐND', 'Báo Quân đội nhân dân điện tử'],
  },
  {
    name: 'Báo Công an nhân dân',
    domains: ['cand.com.vn'],
    aliases: ['Công an nhân dân', 'CAND', 'Báo CAND', 'CAND Online'],
  },
  { name: 'Báo Tuổi Trẻ', domains: ['tuoitre.vn'], aliases: ['Tuổi Trẻ', 'Tuổi Trẻ Online', 'TTO'] },
  { name: 'Báo Thanh Niên', domains: ['thanhnien.vn'], aliases: ['Thanh Niên', 'Thanh Niên Online', 'TNO'] },
  { name: 'VnExpress', domains: ['vnexpress.net'], aliases: ['VNE', 'Báo VnExpress', 'Vnexpress.net'] },
  { name: 'Báo Dân trí', domains: ['dantri.com.vn'], aliases: ['Dân trí', 'Dantri', 'Báo điện tử Dân trí'] },
  {
    name: 'Báo Điện tử Chính phủ',
    domains: ['baochinhphu.vn', 'chinhphu.vn'],
    aliases: [
      'VGP',
      'Chinhphu.vn',
      'Cổng TTĐT Chính phủ',
      'Cổng Thông tin điện tử Chính phủ',
      'Báo Chính phủ',
      'Báo điện tử Chính phủ nước CHXHCN Việt Nam',
      'VGP News',
    ],
  },
  { name: 'Báo Lao Động', domains: ['laodong.vn'], aliases: ['Lao Động', 'Báo Lao động điện tử'] },
  { name: 'Báo Tiền Phong', domains: ['tienphong.vn'], aliases: ['Tiền Phong', 'TPO', 'Tiền Phong Online'] },
  { name: 'Báo Người Lao Động', domains: ['nld.com.vn'], aliases: ['Người Lao Động', 'NLĐ', 'NLĐO', 'Báo NLĐ'] },
  {
    name: 'Báo Sài Gòn Giải Phóng',
    domains: ['sggp.org.vn'],
    aliases: ['Sài Gòn Giải Phóng', 'SGGP', 'SGGP Online', 'Báo SGGP'],
  },
  { name: 'Báo Hà Nội Mới', domains: ['hanoimoi.vn', 'hanoimoi.com.vn'], aliases: ['Hà Nội Mới', 'HNM', 'Hànộimới'] },
  {
    name: 'Báo Pháp Luật TP.HCM',
    domains: ['plo.vn', 'phapluattp.vn'],
    aliases: ['Pháp Luật TP.HCM', 'Pháp luật TPHCM', 'PLO', 'Báo Pháp luật Thành phố Hồ Chí Minh'],
  },
  { name: 'Báo Đại Đoàn Kết', domains: ['daidoanket.vn'], aliases: ['Đại Đoàn Kết', 'ĐĐK'] },
  {
    name: 'Báo Nông nghiệp Việt Nam',
    // Renamed "Báo Nông nghiệp và Môi trường" in 2025; its new domain is not verified here.
    domains: ['nongnghiep.vn'],
    aliases: ['Nông nghiệp Việt Nam', 'Báo Nông nghiệp và Môi trường', 'Nông nghiệp và Môi trường', 'NNVN'],
  },
  { name: 'VietNamNet', domains: ['vietnamnet.vn'], aliases: ['Vietnamnet', 'Báo VietNamNet', 'VNN'] },
  {
    name: 'Znews',
    domains: ['znews.vn', 'zingnews.vn', 'news.zing.vn'],
    aliases: ['Zing', 'Zing News', 'ZingNews', 'Zing.vn', 'Tri thức - Znews', 'Tri thức và Cuộc sống'],
  },
  {
    name: 'Báo Kinh tế & Đô thị',
    domains: ['kinhtedothi.vn'],
    aliases: ['Kinh tế & Đô thị', 'Kinh tế và Đô thị', 'KTĐT'],
  },
  { name: 'Báo An ninh Thủ đô', domains: ['anninhthudo.vn'], aliases: ['An ninh Thủ đô', 'ANTĐ'] },
  { name: 'Báo Giáo dục và Thời đại', domains: ['giaoducthoidai.vn'], aliases: ['Giáo dục và Thời đại', 'GD&TĐ'] },
  { name: 'Báo Sức khỏe và Đời sống', domains: ['suckhoedoisong.vn'], aliases: ['Sức khỏe và Đời sống', 'SK&ĐS'] },
  { name: 'Báo Đầu tư', domains: ['baodautu.vn'], aliases: ['Báo Đầu tư Online'] },
  { name: 'VnEconomy', domains: ['vneconomy.vn'], aliases: ['Kinh tế Việt Nam', 'Tạp chí Kinh tế Việt Nam'] },
  { name: 'Báo Pháp luật Việt Nam', domains: ['baophapluat.vn'], aliases: ['Pháp luật Việt Nam', 'PLVN'] },
  { name: 'Báo Công Thương', domains: ['congthuong.vn'], aliases: ['Báo Công Thương điện tử'] },
  { name: 'Báo Tài nguyên & Môi trường', domains: ['baotainguyenmoitruong.vn'], aliases: ['Tài nguyên và Môi trường'] },
  { name: 'Báo Văn hóa', domains: ['baovanhoa.vn'], aliases: ['Báo Văn hóa điện tử'] },
  { name: 'Báo Thể thao & Văn hóa', domains: ['thethaovanhoa.vn'], aliases: ['Thể thao & Văn hóa', 'TT&VH'] },
  { name: 'Tạp chí Cộng sản', domains: ['tapchicongsan.org.vn'], aliases: ['TCCS'] },
  {
    name: 'Báo điện tử Đảng Cộng sản Việt Nam',
    domains: ['dangcongsan.vn'],
    aliases: ['Đảng Cộng sản Việt Nam', 'ĐCSVN', 'Dangcongsan.vn'],
  },
  { name: 'Báo Đại biểu Nhân dân', domains: ['daibieunhandan.vn'], aliases: ['Đại biểu Nhân dân', 'ĐBND'] },
  { name: 'Báo Xây dựng', domains: ['baoxaydung.com.vn'], aliases: ['Báo Xây dựng điện tử'] },
  { name: 'Báo Giao thông', domains: ['baogiaothong.vn'], aliases: ['Báo Giao thông vận tải'] },
  { name: 'Báo Dân Việt', domains: ['danviet.vn'], aliases: ['Dân Việt', 'Nông thôn Ngày nay'] },
  { name: 'Báo Phụ nữ Việt Nam', domains: ['phunuvietnam.vn'], aliases: ['Phụ nữ Việt Nam', 'PNVN'] },
  { name: 'Báo Thế giới và Việt Nam', domains: ['baoquocte.vn'], aliases: ['Thế giới và Việt Nam', 'TG&VN'] },
  { name: 'Báo Biên phòng', domains: ['bienphong.com.vn'], aliases: ['Báo Biên phòng điện tử'] },
  { name: 'Báo Người Cao tuổi', domains: ['nguoicaotuoi.org.vn'], aliases: ['Người Cao tuổi'] },
  {
    name: 'Đài Truyền hình TP.HCM',
    domains: ['htv.com.vn'],
    aliases: ['HTV', 'Đài Truyền hình Thành phố Hồ Chí Minh'],
  },
  {
    name: 'Đài Phát thanh và Truyền hình Hà Nội',
    domains: ['hanoionline.vn'],
    aliases: ['Hà Nội Online', 'Đài Hà Nội', 'Đài PT-TH Hà Nội', 'Hanoitv'],
  },
  { name: 'Đài Phát thanh và Truyền hình Vĩnh Long', domains: ['thvl.vn'], aliases: ['THVL', 'Truyền hình Vĩnh Long'] },
  { name: 'Báo Người Đô Thị', domains: ['nguoidothi.net.vn'], aliases: ['Người Đô Thị'] },
  { name: 'Báo Tuổi Trẻ Thủ Đô', domains: ['tuoitrethudo.vn'], aliases: ['Tuổi Trẻ Thủ Đô'] },
  { name: 'Báo Thời Nay', domains: ['thoinay.nhandan.vn'], aliases: ['Thời Nay'] },
  { name: 'CafeF', domains: ['cafef.vn'], aliases: ['Cafef'] },
  { name: 'Soha', domains: ['soha.vn'], aliases: ['Soha News'] },
  { name: 'Kenh14', domains: ['kenh14.vn'], aliases: ['Kênh 14'] },
  { name: '24h', domains: ['24h.com.vn'], aliases: ['Tin tức 24h'] },
]

interface ProvinceRow {
  province: string
  /** The party newspaper's name when it is not "Báo <province>". */
  paper?: string
  /** The newspaper's domains, current first. */
  domains: string[]
  aliases?: string[]
  /** Radio-TV station domains known for sure (else the station is matched by name only). */
  tv?: string[]
  tvAliases?: string[]
  /** Since 1 July 2025 part of this province. */
  mergedInto?: string
}

/**
 * The 63 provinces and cities of before 2025 and their party newspapers. Former domains after the current one.
 * Newspapers of provinces merged in 2025 keep their entry (old stories credit them) with `mergedInto` noted.
 */
const PROVINCES: ProvinceRow[] = [
  { province: 'An Giang', domains: ['baoangiang.com.vn'], aliases: ['Báo AG'], tv: ['atv.org.vn'] },
  {
    province: 'Bà Rịa - Vũng Tàu',
    domains: ['baobariavungtau.com.vn'],
    aliases: ['Báo Bà Rịa Vũng Tàu', 'Báo BR-VT', 'Báo Bà Rịa-Vũng Tàu'],
    mergedInto: 'TP. Hồ Chí Minh',
  },
  { province: 'Bạc Liêu', domains: ['baobaclieu.vn'], mergedInto: 'Cà Mau' },
  // baobacgiang.com.vn is the former domain.
  { province: 'Bắc Giang', domains: ['baobacgiang.vn', 'baobacgiang.com.vn'], mergedInto: 'Bắc Ninh' },
  // baobackan.org.vn is believed to be the former domain (unverified).
  {
    province: 'Bắc Kạn',
    domains: ['baobackan.vn', 'baobackan.org.vn'],
    aliases: ['Báo Bắc Cạn'],
    mergedInto: 'Thái Nguyên',
  },
  // baobacninh.com.vn is believed to be the former domain (unverified).
  { province: 'Bắc Ninh', domains: ['baobacninh.vn', 'baobacninh.com.vn'] },
  {
    province: 'Bến Tre',
    paper: 'Báo Đồng Khởi',
    domains: ['baodongkhoi.vn'],
    aliases: ['Đồng Khởi', 'Báo Bến Tre'],
    mergedInto: 'Vĩnh Long',
  },
  { province: 'Bình Định', domains: ['baobinhdinh.vn', 'baobinhdinh.com.vn'], mergedInto: 'Gia Lai' },
  {
    province: 'Bình Dương',
    domains: ['baobinhduong.vn'],
    tvAliases: ['BTV', 'Bình Dương TV'],
    mergedInto: 'TP. Hồ Chí Minh',
  },
  { province: 'Bình Phước', domains: ['baobinhphuoc.com.vn'], mergedInto: 'Đồng Nai' },
  { province: 'Bình Thuận', domains: ['baobinhthuan.com.vn'], mergedInto: 'Lâm Đồng' },
  { province: 'Cà Mau', domains: ['baocamau.vn', 'baocamau.com.vn'] },
  { province: 'Cao Bằng', domains: ['baocaobang.vn'] },
  { province: 'Cần Thơ', domains: ['baocantho.com.vn'], aliases: ['Báo Cần Thơ điện tử'] },
  { province: 'Đà Nẵng', domains: ['baodanang.vn'], tvAliases: ['DRT', 'Đài PT-TH Đà Nẵng'] },
  { province: 'Đắk Lắk', domains: ['baodaklak.vn'], aliases: ['Báo Đắc Lắc', 'Báo Daklak'] },
  {
    province: 'Đắk Nông',
    domains: ['baodaknong.vn', 'baodaknong.org.vn'],
    aliases: ['Báo Đắc Nông'],
    mergedInto: 'Lâm Đồng',
  },
  {
    province: 'Điện Biên',
    paper: 'Báo Điện Biên Phủ',
    domains: ['baodienbienphu.info.vn'],
    aliases: ['Điện Biên Phủ', 'Báo Điện Biên'],
  },
  { province: 'Đồng Nai', domains: ['baodongnai.com.vn'], tv: ['dnrtv.org.vn'], tvAliases: ['ĐNRTV', 'Đồng Nai TV'] },
  { province: 'Đồng Tháp', domains: ['baodongthap.vn', 'baodongthap.com.vn'] },
  { province: 'Gia Lai', domains: ['baogialai.com.vn'] },
  { province: 'Hà Giang', domains: ['baohagiang.vn'], mergedInto: 'Tuyên Quang' },
  { province: 'Hà Nam', domains: ['baohanam.com.vn'], mergedInto: 'Ninh Bình' },
  // Hà Nội's party newspaper is Hà Nội Mới (in NATIONAL above, with its own domains).
  { province: 'Hà Nội', paper: 'Báo Hà Nội Mới', domains: [] },
  { province: 'Hà Tĩnh', domains: ['baohatinh.vn'] },
  { province: 'Hải Dương', domains: ['baohaiduong.vn'], mergedInto: 'Hải Phòng' },
  // baohaiphong.vn as the current domain is unverified; baohaiphong.com.vn is the long-standing one.
  { province: 'Hải Phòng', domains: ['baohaiphong.com.vn'], tv: ['thhp.vn'], tvAliases: ['THP'] },
  { province: 'Hậu Giang', domains: ['baohaugiang.com.vn'], mergedInto: 'Cần Thơ' },
  { province: 'Hòa Bình', domains: ['baohoabinh.com.vn'], aliases: ['Báo Hoà Bình'], mergedInto: 'Phú Thọ' },
  // TP.HCM's party newspaper is Sài Gòn Giải Phóng (in NATIONAL above).
  { province: 'TP. Hồ Chí Minh', paper: 'Báo Sài Gòn Giải Phóng', domains: [] },
  { province: 'Hưng Yên', domains: ['baohungyen.vn'] },
  {
    province: 'Khánh Hòa',
    domains: ['baokhanhhoa.vn', 'baokhanhhoa.com.vn'],
    aliases: ['Báo Khánh Hoà'],
    tv: ['ktv.org.vn'],
    tvAliases: ['KTV'],
  },
  { province: 'Kiên Giang', domains: ['baokiengiang.vn'], mergedInto: 'An Giang' },
  { province: 'Kon Tum', domains: ['baokontum.com.vn'], mergedInto: 'Quảng Ngãi' },
  { province: 'Lai Châu', domains: ['baolaichau.vn'] },
  { province: 'Lâm Đồng', domains: ['baolamdong.vn'] },
  { province: 'Lạng Sơn', domains: ['baolangson.vn'] },
  { province: 'Lào Cai', domains: ['baolaocai.vn'] },
  { province: 'Long An', domains: ['baolongan.vn'], mergedInto: 'Tây Ninh' },
  { province: 'Nam Định', domains: ['baonamdinh.vn', 'baonamdinh.com.vn'], mergedInto: 'Ninh Bình' },
  { province: 'Nghệ An', domains: ['baonghean.vn'] },
  { province: 'Ninh Bình', domains: ['baoninhbinh.org.vn'] },
  { province: 'Ninh Thuận', domains: ['baoninhthuan.com.vn'], mergedInto: 'Khánh Hòa' },
  { province: 'Phú Thọ', domains: ['baophutho.vn'] },
  { province: 'Phú Yên', domains: ['baophuyen.vn', 'baophuyen.com.vn'], mergedInto: 'Đắk Lắk' },
  { province: 'Quảng Bình', domains: ['baoquangbinh.vn'], mergedInto: 'Quảng Trị' },
  { province: 'Quảng Nam', domains: ['baoquangnam.vn'], mergedInto: 'Đà Nẵng' },
  { province: 'Quảng Ngãi', domains: ['baoquangngai.vn', 'baoquangngai.com.vn'] },
  {
    province: 'Quảng Ninh',
    domains: ['baoquangninh.vn', 'baoquangninh.com.vn'],
    // Since 2019 the paper and the radio-TV station form the province's media centre.
    aliases: ['Trung tâm Truyền thông tỉnh Quảng Ninh', 'Trung tâm Truyền thông Quảng Ninh'],
    tv: ['qtv.vn'],
    tvAliases: ['QTV'],
  },
  { province: 'Quảng Trị', domains: ['baoquangtri.vn'] },
  { province: 'Sóc Trăng', domains: ['baosoctrang.org.vn'], mergedInto: 'Cần Thơ' },
  { province: 'Sơn La', domains: ['baosonla.vn', 'baosonla.org.vn'] },
  { province: 'Tây Ninh', domains: ['baotayninh.vn'] },
  { province: 'Thái Bình', domains: ['baothaibinh.com.vn'], tv: ['thaibinhtv.vn'], mergedInto: 'Hưng Yên' },
  { province: 'Thái Nguyên', domains: ['baothainguyen.vn'] },
  { province: 'Thanh Hóa', domains: ['baothanhhoa.vn'], aliases: ['Báo Thanh Hoá'] },
  {
    province: 'Thừa Thiên Huế',
    // The province became Huế city (2025); the paper's new name/domain is not verified here.
    domains: ['baothuathienhue.vn'],
    aliases: ['Báo Thừa Thiên - Huế', 'Báo Huế', 'Báo TT-Huế'],
    tv: ['trt.com.vn'],
    tvAliases: ['TRT'],
  },
  {
    province: 'Tiền Giang',
    paper: 'Báo Ấp Bắc',
    domains: ['baoapbac.vn'],
    aliases: ['Ấp Bắc', 'Báo Tiền Giang'],
    mergedInto: 'Đồng Tháp',
  },
  { province: 'Trà Vinh', domains: ['baotravinh.vn'], mergedInto: 'Vĩnh Long' },
  { province: 'Tuyên Quang', domains: ['baotuyenquang.com.vn'] },
  { province: 'Vĩnh Long', domains: ['baovinhlong.com.vn'] },
  { province: 'Vĩnh Phúc', domains: ['baovinhphuc.com.vn'], mergedInto: 'Phú Thọ' },
  { province: 'Yên Bái', domains: ['baoyenbai.com.vn'], mergedInto: 'Lào Cai' },
]

/**
 * Provinces of the 34 since 1 July 2025 (the centrally-run cities and Quảng Ninh left out). In 2025 most provinces also merged their newspaper and radio-TV
 * station into one "Báo và Phát thanh, Truyền hình <tỉnh>"; those entries match by name only — their domains are
 * not verified here (most appear to keep the former newspaper's domain, which already resolves to that paper).
 */
const PROVINCES_2025 = [
  'Tuyên Quang',
  'Lào Cai',
  'Thái Nguyên',
  'Phú Thọ',
  'Bắc Ninh',
  'Hưng Yên',
  'Ninh Bình',
  'Quảng Trị',
  'Quảng Ngãi',
  'Gia Lai',
  'Khánh Hòa',
  'Lâm Đồng',
  'Đắk Lắk',
  'Đồng Nai',
  'Tây Ninh',
  'Vĩnh Long',
  'Đồng Tháp',
  'Cà Mau',
  'An Giang',
  'Lai Châu',
  'Điện Biên',
  'Sơn La',
  'Lạng Sơn',
  'Cao Bằng',
  'Thanh Hóa',
  'Nghệ An',
  'Hà Tĩnh',
]

function stationAliases(province: string): string[] {
  return [
    `Đài PT-TH ${province}`,
    `Đài PTTH ${province}`,
    `Đài PT&TH ${province}`,
    `Đài PT và TH ${province}`,
    `Đài Phát thanh - Truyền hình ${province}`,
    `Truyền hình ${province}`,
  ]
}

const paperName = (row: ProvinceRow): string => row.paper ?? `Báo ${row.province}`

/**
 * The groups of the 2025 merger (Resolution 202/2025/QH15: 63 provinces became 34, and each new province's party
 * press became one outlet): absorbing province → the group key, the registry domain of its paper. Báo Thái Bình is
 * in the Hưng Yên group (`baohungyen.vn`), Báo Hậu Giang and Báo Sóc Trăng in the Cần Thơ group, Báo Đồng Khởi and Báo
 * Trà Vinh in the Vĩnh Long group. Radio-TV stations are left out of the groups (not verified per province).
 */
function mergeGroups(): Map<string, string> {
  const groups = new Map<string, string>()
  const national = new Map(NATIONAL.map((entry) => [entry.name, entry]))
  for (const row of PROVINCES) {
    if (row.mergedInto === undefined || groups.has(row.mergedInto)) continue
    const head = PROVINCES.find((r) => r.province === row.mergedInto)
    if (head === undefined) continue
    const domain = head.domains[0] ?? national.get(paperName(head))?.domains[0]
    if (domain !== undefined) groups.set(row.mergedInto, domain)
  }
  return groups
}

function buildOutlets(): OutletEntry[] {
  const groups = mergeGroups()
  const out: OutletEntry[] = NATIONAL.map((entry) => {
    // The party papers of Hà Nội and TP.HCM live in NATIONAL; TP.HCM absorbed Bình Dương and Bà Rịa - Vũng Tàu.
    const province = PROVINCES.find((row) => row.paper === entry.name)?.province
    const group = province === undefined ? undefined : groups.get(province)
    return group === undefined ? entry : { ...entry, group }
  })
  for (const row of PROVINCES) {
    const name = paperName(row)
    const group = groups.get(row.mergedInto ?? row.province)
    if (row.domains.length > 0) {
      out.push({
        name,
        ...(group === undefined ? {} : { group }),
        domains: row.domains,
        aliases: [
          ...(row.aliases ?? []),
          `Báo điện tử ${row.province}`,
          `${name} điện tử`,
          `${name} online`,
          ...(row.paper === undefined ? [] : [`Báo ${row.province}`]),
        ],
      })
    }
    out.push({
      name: `Đài Phát thanh và Truyền hình ${row.province}`,
      domains: row.tv ?? [],
      aliases: [...stationAliases(row.province), ...(row.tvAliases ?? [])],
    })
  }
  for (const province of PROVINCES_2025) {
    const group = groups.get(province)
    out.push({
      name: `Báo và Phát thanh, Truyền hình ${province}`,
      ...(group === undefined ? {} : { group }),
      domains: [],
      aliases: [`Báo và PT-TH ${province}`, `Báo và Phát thanh Truyền hình ${province}`, `Báo và PTTH ${province}`],
    })
  }
  return out
}

/** The shipped registry. */
export const OUTLETS: readonly OutletEntry[] = Object.freeze(buildOutlets())
