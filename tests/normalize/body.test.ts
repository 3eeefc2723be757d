import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type BodyOptions, processBody } from '../../src/normalize/body/index.js'

const DIR = join(import.meta.dirname, '../fixtures/normalize/body')

function fixture(name: string): { input: string; options: BodyOptions } {
  const file = existsSync(join(DIR, `${name}.txt`)) ? `${name}.txt` : `${name}.html`
  const optionsFile = join(DIR, `${name}.options.json`)
  return {
    input: readFileSync(join(DIR, file), 'utf8'),
    options: existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as BodyOptions) : {},
  }
}

describe('body fixtures', () => {
  const names = readdirSync(DIR)
    .filter((f) => f.endsWith('.expected.json'))
    .map((f) => f.replace(/\.expected\.json$/, ''))
  it('has fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(20)
  })
  for (const name of names) {
    it(`normalizes ${name}`, () => {
      const { input, options } = fixture(name)
      const expected = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8'))
      expect(processBody(input, options)).toEqual(expected)
    })
  }
})

const SEED_CAPTION =
  'Đồng chí Nguyễn Hoàng Giang, Tỉnh ủy viên, Phó Chủ tịch UBND tỉnh, Trưởng ban Hội nhập kinh tế quốc tế tỉnh chủ trì cuộc họp.'

describe('the seed', () => {
  for (const name of ['seed-html', 'seed-text']) {
    it(`${name}: five paragraphs, one captioned image credited Thu Thủy, credit Báo Thái Bình`, () => {
      const { input, options } = fixture(name)
      const body = processBody(input, options)
      expect(body.text).toHaveLength(5)
      for (const p of body.text) {
        expect(p).not.toContain('Ảnh:')
        expect(p).not.toContain('Theo Baothaibinh')
        expect(p).not.toBe(SEED_CAPTION)
      }
      expect(body.images).toHaveLength(1)
      expect(body.images[0]?.caption).toBe(SEED_CAPTION)
      expect(body.images[0]?.credit).toBe('Thu Thủy')
      expect(body.credit).toEqual({
        text: 'Theo Baothaibinh.com.vn',
        name: 'Báo Thái Bình',
        domain: 'baothaibinh.com.vn',
      })
      expect(body.lead).toBe(body.text[0])
      expect(body.contentHtml).not.toContain('Theo Baothaibinh')
      expect(body.contentHtml.match(/<figcaption>/g)).toHaveLength(1)
      expect(body.contentHtml).toContain(`<figcaption>${SEED_CAPTION} — Ảnh: Thu Thủy</figcaption>`)
    })
  }
  it('seed-html: the image keeps its absolute URL', () => {
    const { input, options } = fixture('seed-html')
    expect(processBody(input, options).images[0]?.url).toBe(
      'http://www.baothaibinh.com.vn/dataimages/201703/original/images1234_a.jpg',
    )
  })
})

describe('processBody', () => {
  it('returns empty results for an empty body', () => {
    expect(processBody('')).toEqual({ contentHtml: '', text: [], images: [] })
    expect(processBody('<p>&nbsp;</p><div> </div>')).toEqual({ contentHtml: '', text: [], images: [] })
  })

  it('drops empty paragraphs', () => {
    const body = processBody('<p>Một.</p><p>&nbsp;</p><p><br></p><p></p><p>Hai.</p>')
    expect(body.text).toEqual(['Một.', 'Hai.'])
    expect(body.contentHtml).toBe('<p>Một.</p><p>Hai.</p>')
  })

  it('keeps a paragraph of single-<br> lines together in the HTML, one text entry per line', () => {
    const body = processBody('<p>Dòng một<br>Dòng hai</p>')
    expect(body.contentHtml).toBe('<p>Dòng một<br />Dòng hai</p>')
    expect(body.text).toEqual(['Dòng một', 'Dòng hai'])
  })

  it('makes links and images absolute against baseUrl', () => {
    const body = processBody('<p><a href="../a.html">x</a></p><p><img src="/i.jpg"></p>', {
      baseUrl: 'https://baothaibinh.com.vn/tin/b/c.html',
    })
    expect(body.contentHtml).toContain('href="https://baothaibinh.com.vn/tin/a.html"')
    expect(body.images[0]?.url).toBe('https://baothaibinh.com.vn/i.jpg')
  })

  it('drops link targets of unsafe schemes but keeps the text', () => {
    const body = processBody('<p><a href="javascript:alert(1)">bấm</a> và <a href="mailto:toasoan@bao.vn">thư</a></p>')
    expect(body.contentHtml).toBe('<p>bấm và <a href="mailto:toasoan@bao.vn">thư</a></p>')
  })

  it('does not treat a placeholder alt as a caption', () => {
    for (const alt of ['Chú thích ảnh', 'IMG_1234.JPG', 'Họp Ban Hội nhập - Ảnh 1', 'anh-1']) {
      const body = processBody(`<p><img src="https://a.vn/x.jpg" alt="${alt}"></p><p>Nội dung bài viết.</p>`, {
        title: 'Họp Ban Hội nhập',
      })
      expect(body.images).toEqual([{ url: 'https://a.vn/x.jpg' }])
      expect(body.contentHtml).not.toContain('figcaption')
    }
  })

  it('recognises "Ảnh minh họa" as a caption without a credit', () => {
    const body = processBody('<p><img src="https://a.vn/x.jpg"></p><p><em>Ảnh minh họa</em></p><p>Nội dung.</p>')
    expect(body.images).toEqual([{ url: 'https://a.vn/x.jpg', caption: 'Ảnh minh họa' }])
    expect(body.text).toEqual(['Nội dung.'])
  })

  it('drops the duplicated caption paragraph only once', () => {
    const body = processBody(
      '<p><img src="https://a.vn/x.jpg" alt="Cầu mới"></p><p><em>Cầu mới. Ảnh: Hà</em></p><p>Cầu mới.</p><p>Cầu mới.</p>',
    )
    expect(body.images).toEqual([{ url: 'https://a.vn/x.jpg', alt: 'Cầu mới', caption: 'Cầu mới.', credit: 'Hà' }])
    expect(body.text).toEqual(['Cầu mới.'])
  })

  it('does not take a long italic paragraph after an image as its caption', () => {
    const long = 'Đây là một đoạn văn in nghiêng rất dài. '.repeat(15)
    const body = processBody(`<p><img src="https://a.vn/x.jpg"></p><p><em>${long}</em></p>`)
    expect(body.images[0]?.caption).toBeUndefined()
    expect(body.text).toHaveLength(1)
  })

  it('keeps the lead once, also when the summary repeats it', () => {
    const lead = 'Sáng 10/3, tỉnh khánh thành nhà máy xử lý rác thải.'
    const body = processBody(`<p>${lead}</p><p>Nhà máy hiện đại.</p>`, { summary: lead })
    expect(body.text).toEqual([lead, 'Nhà máy hiện đại.'])
    expect(body.lead).toBe(lead)
    const doubled = processBody(`<p><strong>${lead}</strong></p><p>${lead}</p><p>Nhà máy hiện đại.</p>`, {
      summary: lead,
    })
    expect(doubled.text).toEqual([lead, 'Nhà máy hiện đại.'])
  })

  it('drops a first paragraph that repeats the title', () => {
    const body = processBody('<h1>Khánh thành nhà máy</h1><p>Nội dung.</p>', { title: 'Khánh thành nhà máy' })
    expect(body.text).toEqual(['Nội dung.'])
  })

  it('takes the credit from a byline that names its outlet', () => {
    const body = processBody('<p>Nội dung.</p><p style="text-align:right"><strong>Thu Hà (Theo VOV)</strong></p>')
    expect(body.byline).toBe('Thu Hà (Theo VOV)')
    expect(body.credit).toEqual({ text: 'VOV', name: 'Đài Tiếng nói Việt Nam', domain: 'vov.vn' })
    expect(body.text).toEqual(['Nội dung.'])
  })

  it('leaves rules.credit to the caller', () => {
    const body = processBody('<p>Nội dung.</p>', { rules: { credit: 'Báo Thái Bình' } })
    expect(body.credit).toBeUndefined()
  })

  it('uses extra outlets from config', () => {
    const body = processBody('<p>Nội dung.</p><p>Theo Cổng TTĐT huyện Kiến Xương</p>', {
      outlets: [{ name: 'Cổng TTĐT huyện Kiến Xương', domains: ['kienxuong.thaibinh.gov.vn'] }],
    })
    expect(body.credit).toEqual({
      text: 'Theo Cổng TTĐT huyện Kiến Xương',
      name: 'Cổng TTĐT huyện Kiến Xương',
      domain: 'kienxuong.thaibinh.gov.vn',
    })
  })

  it('ignores an invalid rules.creditPattern and unsupported selectors', () => {
    const body = processBody('<div class="a"><p>Nội dung.</p></div>', {
      rules: { creditPattern: '(unclosed', remove: ['div > p', 'div .a', ''] },
    })
    expect(body.text).toEqual(['Nội dung.'])
  })

  it('credits a leading "(TTXVN) –" dateline and strips it from the lead', () => {
    const body = processBody('<p>(TTXVN) – Sáng nay, Quốc hội khai mạc kỳ họp.</p><p>Nội dung.</p>')
    expect(body.credit?.name).toBe('Thông tấn xã Việt Nam')
    expect(body.lead).toBe('Sáng nay, Quốc hội khai mạc kỳ họp.')
    expect(body.contentHtml.startsWith('<p>Sáng nay')).toBe(true)
  })

  it('credits a bare "TTO - " dateline unless a trailing credit line names the origin', () => {
    const lead = '<p>TTO - Sáng nay, Quốc hội khai mạc kỳ họp.</p><p>Nội dung.</p>'
    const alone = processBody(lead)
    expect(alone.credit).toEqual({ text: 'TTO', name: 'Báo Tuổi Trẻ', domain: 'tuoitre.vn' })
    expect(alone.text).toEqual(['Sáng nay, Quốc hội khai mạc kỳ họp.', 'Nội dung.'])
    const credited = processBody(`${lead}<p>Theo Baothaibinh.com.vn</p>`)
    expect(credited.credit?.name).toBe('Báo Thái Bình')
    // The dateline is credit data either way, never body text.
    expect(credited.text).toEqual(['Sáng nay, Quốc hội khai mạc kỳ họp.', 'Nội dung.'])
  })

  it('reads a body with no markup as text paragraphs', () => {
    const body = processBody('Dòng một\n\nDòng hai & 3 < 5\nDòng ba')
    expect(body.text).toEqual(['Dòng một', 'Dòng hai & 3 < 5', 'Dòng ba'])
    expect(body.contentHtml).toBe('<p>Dòng một</p><p>Dòng hai &amp; 3 &lt; 5</p><p>Dòng ba</p>')
  })

  it('flattens a layout table around an article but keeps a data table', () => {
    const layout = processBody('<table><tr><td><p>Đoạn một của bài.</p><p>Đoạn hai của bài.</p></td></tr></table>')
    expect(layout.contentHtml).toBe('<p>Đoạn một của bài.</p><p>Đoạn hai của bài.</p>')
    const data = processBody('<table><tr><td>A</td><td>1</td></tr><tr><td>B</td><td>2</td></tr></table>')
    expect(data.contentHtml).toBe(
      '<table><tbody><tr><td>A</td><td>1</td></tr><tr><td>B</td><td>2</td></tr></tbody></table>',
    )
    expect(data.text).toEqual(['A | 1', 'B | 2'])
  })

  it('never throws on odd input', () => {
    for (const input of ['<', '<<>>', '<p', '</p></div>', '<img>', '<a href>', '<table><td>', '\u0000', '&#xD800;']) {
      expect(() => processBody(input)).not.toThrow()
    }
  })
})
