import fc from 'fast-check'
import { Parser } from 'htmlparser2'
import { describe, expect, it } from 'vitest'
import { processBody } from '../../src/normalize/body/index.js'
import {
  MAX_BODY_LENGTH,
  sanitizeHtml,
  sanitizeRebuiltHtml,
  sanitizeRebuiltHtmlAll,
} from '../../src/normalize/html/index.js'
import { normalizeFeed } from '../../src/normalize/index.js'
import type { ParsedFeed } from '../../src/parse/index.js'

const ALLOWED: Record<string, string[]> = {
  p: [],
  br: [],
  strong: [],
  b: [],
  em: [],
  i: [],
  u: [],
  s: [],
  sub: [],
  sup: [],
  h2: [],
  h3: [],
  h4: [],
  blockquote: [],
  ul: [],
  ol: [],
  li: [],
  figure: [],
  figcaption: [],
  img: ['src', 'alt', 'width', 'height'],
  a: ['href', 'title'],
  table: [],
  caption: [],
  thead: [],
  tbody: [],
  tfoot: [],
  tr: [],
  th: ['colspan', 'rowspan'],
  td: ['colspan', 'rowspan'],
}

/** Parses the output with a real HTML parser and lists everything that could execute or is off the allowlist. */
function problems(html: string, absoluteOnly = false): string[] {
  const found: string[] = []
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const allowed = ALLOWED[name]
        if (allowed === undefined) found.push(`element <${name}>`)
        for (const [attr, value] of Object.entries(attrs)) {
          if (allowed === undefined || !allowed.includes(attr)) found.push(`attribute ${name}[${attr}]`)
          if (attr === 'href' || attr === 'src') {
            const v = value.replace(/[\u0000-\u0020]/g, '').toLowerCase()
            // Absolute http(s)/mailto, or relative with nothing that could be read as a scheme.
            const relative = /^[^:]*$/.test(v) || /^[^:/?#]*[/?#]/.test(v)
            if (!/^(?:https?:\/\/|mailto:)/.test(v) && !(relative && !absoluteOnly)) {
              found.push(`url ${name}[${attr}]=${value}`)
            }
          }
        }
      },
      oncomment() {
        found.push('comment')
      },
      onprocessinginstruction(name) {
        found.push(`instruction ${name}`)
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  )
  parser.write(html)
  parser.end()
  if (/<\s*script/i.test(html)) found.push('script text')
  return found
}

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="jav&#x0A;ascript:alert(1)">x</a>',
  '<a href="jav\u0000ascript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="  javascript:alert(1)">x</a>',
  '<img src="javascript:alert(1)">',
  '<img srcset="javascript:alert(1) 1x, https://a.vn/x.jpg 2x">',
  '<img data-src="javascript:alert(1)" src="https://a.vn/x.jpg">',
  '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<svg onload=alert(1)><circle r="1"/></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<p style="background:url(javascript:alert(1))">x</p>',
  '<div style="width: expression(alert(1))">x</div>',
  '<iframe src="https://evil.example/"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<form action="javascript:alert(1)"><input type="submit" value="Gửi"><button formaction="javascript:alert(1)">b</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//"><a href="x">x</a>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<template><img src=x onerror=alert(1)></template>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<body onload=alert(1)><p>x</p></body>',
  '<details open ontoggle=alert(1)><summary>x</summary></details>',
  '<video><source onerror=alert(1)></video>',
  '<a href="#" onclick="alert(1)">x</a>',
  '<link rel=stylesheet href="javascript:alert(1)">',
  "<style>@import 'javascript:alert(1)';</style><p>x</p>",
  '<img src="x" onerror="alert(1)"x">',
  '<<script>alert(1)//<</script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<a href="https://ok.vn/" onmouseover="alert(1)">x</a>',
  '<table background="javascript:alert(1)"><tr><td>x</td><td>y</td></tr><tr><td>z</td><td>w</td></tr></table>',
  '<xmp><script>alert(1)</script></xmp>',
  '<img src="https://a.vn/x.jpg" alt="&quot; onerror=&quot;alert(1)">',
  '<figure><figcaption><script>alert(1)</script>Chú thích</figcaption><img src=https://a.vn/x.jpg></figure>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<![CDATA[<img src=x onerror=alert(1)>]]>',
  '<img src="https://a.vn/x.jpg" style="x" onload="alert(1)">',
  '<a href="https://a.vn/&quot;onclick=&quot;alert(1)">x</a>',
  '<isindex type=image src=1 onerror=alert(1)>',
  '<marquee onstart=alert(1)>x</marquee>',
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s></svg>',
  '<keygen autofocus onfocus=alert(1)>',
  '<textarea><script>alert(1)</script></textarea>',
  '<title><script>alert(1)</script></title>',
  '<a href="java&NewLine;script:alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<p><a href="https://a.vn" target="_blank" rel="opener">x</a></p>',
  '<div id="x" class="y" data-x="z" onpointerenter="alert(1)">x</div>',
  '<img src=`javascript:alert(1)`>',
  '<plaintext><script>alert(1)</script>',
  '<portal src="https://evil.example"></portal>',
]

describe('sanitizing (XSS)', () => {
  it(`has at least 30 payloads (${PAYLOADS.length})`, () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(30)
  })
  for (const payload of PAYLOADS) {
    it(`neutralises ${payload.slice(0, 70)}`, () => {
      for (const baseUrl of [undefined, 'https://baothaibinh.com.vn/tin/a.html']) {
        const body = processBody(`<p>Trước.</p>${payload}<p>Sau.</p>`, baseUrl === undefined ? {} : { baseUrl })
        expect(problems(body.contentHtml, baseUrl !== undefined)).toEqual([])
        for (const image of body.images) if (image.url !== undefined) expect(image.url).toMatch(/^https?:\/\//)
      }
      expect(problems(sanitizeHtml(payload))).toEqual([])
    })
  }

  it('keeps real article markup', () => {
    const html =
      '<p>Đoạn <strong>đậm</strong>, <em>nghiêng</em> và <a href="https://a.vn/x">liên kết</a>.</p><h3>Tiêu đề phụ</h3>'
    expect(processBody(html).contentHtml).toBe(html)
  })
})

describe('limits', () => {
  it('flattens 100k nested elements and keeps the text', () => {
    const deep = `${'<div>'.repeat(100_000)}Nội dung sâu${'</div>'.repeat(100_000)}`
    const body = processBody(deep)
    expect(body.text).toEqual(['Nội dung sâu'])
    expect(body.contentHtml).toBe('<p>Nội dung sâu</p>')
  })

  it('survives 100k nested inline and unclosed elements', () => {
    for (const open of ['<span>', '<b>', '<p>', '<li>', '<table><tr><td>', '<blockquote>', '<a href="https://a.vn">']) {
      // Keep the input under the size limit so that the text at the end survives.
      const count = Math.min(100_000, Math.floor((MAX_BODY_LENGTH - 10) / open.length))
      const body = processBody(`${open.repeat(count)}Chữ viết`)
      expect(body.text).toEqual(['Chữ viết'])
      expect(problems(body.contentHtml)).toEqual([])
    }
  })

  it('cuts a huge body to the size limit and keeps its start', () => {
    const para = '<p>Đoạn văn số NNN của một bài viết rất dài, lặp lại nhiều lần.</p>'
    const parts: string[] = []
    let length = 0
    for (let i = 0; length < 5 * MAX_BODY_LENGTH; i++) {
      parts.push(para.replace('NNN', String(i)))
      length += para.length
    }
    const body = processBody(parts.join(''))
    expect(body.lead).toBe('Đoạn văn số 0 của một bài viết rất dài, lặp lại nhiều lần.')
    expect(body.text.length).toBeGreaterThan(1000)
    expect(body.text.length).toBeLessThan(parts.length)
    expect(body.contentHtml.length).toBeLessThan(2 * MAX_BODY_LENGTH)
  })
})

describe('property: any tag soup', () => {
  const fragment = fc.oneof(
    fc.constantFrom(
      '<p>',
      '</p>',
      '<div class="caption">',
      '</div>',
      '<img src="javascript:alert(1)" onerror="x">',
      '<img data-src="/a.jpg" alt="Ảnh 1">',
      '<a href="jav&#x09;ascript:x">',
      '<a href="/tin/1.html">',
      '</a>',
      '<script>',
      '</script>',
      '<svg onload=x>',
      '<figure>',
      '<figcaption>',
      '<table><tr><td>',
      '<br>',
      '<em>',
      '</em>',
      '<noscript>',
      '<style>',
      '<!--',
      '-->',
      '"',
      "'",
      '>',
      '<',
      '&amp;',
      '&#x0;',
      'Ảnh: Thu Thủy',
      'Theo TTXVN',
      '(Baoquangninh.vn) – ',
      'Tin liên quan:',
    ),
    fc.string({ maxLength: 12 }),
  )
  it('never throws and never lets anything executable through', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 40 }), fc.boolean(), (parts, withBase) => {
        const body = processBody(parts.join(''), withBase ? { baseUrl: 'https://bao.vn/a/b.html' } : {})
        expect(problems(body.contentHtml, withBase)).toEqual([])
        for (const t of body.text) expect(t).toBe(t.trim())
        for (const image of body.images) if (image.url !== undefined) expect(image.url).toMatch(/^https?:\/\//)
      }),
      { numRuns: 300 },
    )
  })
})

describe('the final gate over rebuilt HTML (sanitizeRebuiltHtml)', () => {
  it('hands back what sanitize-html would, for every payload processBody rebuilt', () => {
    for (const payload of PAYLOADS) {
      for (const baseUrl of [undefined, 'https://baothaibinh.com.vn/tin/a.html']) {
        const html = processBody(
          `<p>Trước.</p>${payload}<p>Sau.</p>`,
          baseUrl === undefined ? {} : { baseUrl },
        ).contentHtml
        expect(sanitizeHtml(html)).toBe(html)
      }
    }
  })

  // Shapes only a bug in body/render.ts's writer could produce: each must come out exactly as sanitize-html makes it.
  const SMUGGLED = [
    '<p><a href="javascript:alert(1)">x</a></p>',
    '<p><a href="JaVaScRiPt:alert(1)">x</a></p>',
    '<p><a href="&#106;avascript:alert(1)">x</a></p>',
    '<p><a href="&#x6A;avascript&colon;alert(1)">x</a></p>',
    '<p><a href="java&Tab;script:alert(1)">x</a></p>',
    '<p><a href="/relative">x</a></p>',
    '<p><a href="//evil.example/">x</a></p>',
    '<p><a href="data:text/html,x">x</a></p>',
    '<p><a href="https://a.vn/" onclick="alert(1)">x</a></p>',
    '<p><a href="https://a.vn/" title="x" onmouseover="alert(1)">x</a></p>',
    '<p><a href="https://a.vn/" title="&quot; onmouseover=&quot;alert(1)">x</a></p>',
    '<p><a title="x" href="https://a.vn/">x</a></p>',
    '<a href="https://a.vn/">outside a paragraph</a>',
    '<figure><img src="javascript:alert(1)" alt="" /></figure>',
    '<figure><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="" /></figure>',
    '<figure><img src="&#106;avascript:alert(1)" alt="" /></figure>',
    '<figure><img src="https://a.vn/x.jpg" alt="x" onerror="alert(1)" /></figure>',
    '<figure><img src="https://a.vn/x.jpg" alt="x" width="1" height="1" style="x" /></figure>',
    '<p><img src="https://a.vn/x.jpg" alt="x" /></p>',
    '<p>x<script>alert(1)</script></p>',
    '<p>x</p><script>alert(1)</script>',
    '<p>x<style>p{}</style></p>',
    '<p>&#60;script&#62;alert(1)&#60;/script&#62;</p>',
    '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    '<p>a > b</p>',
    '<p>R&D &copy &amp</p>',
    '<p><!-- <img src=x onerror=alert(1)> --></p>',
    '<p><![CDATA[<img src=x onerror=alert(1)>]]></p>',
    '<p><strong>unclosed</p>',
    '<p>x</strong></p>',
    '<p><figure><img src="https://a.vn/x.jpg" alt="" /></figure></p>',
    '<ul><li><li>x</li></li></ul>',
    '<li>x</li>',
    '<table><tbody><tr><td colspan="2" onclick="x">a</td></tr></tbody></table>',
    '<table><tbody><tr><td colspan="2">a</td><th rowspan="3">b</th></tr></tbody></table>',
    '<td>x</td>',
    '<p>x</p><p',
    '<p>x\u0000y</p>',
    '<P>upper</P>',
    '<p >spaced</p >',
    '<br><br/><br />',
    '<p>a<br>b</p>',
    '<p>x</p>',
    '<p><a href="https://a.vn/" title="">x</a></p>',
    '<p><a href="https://a.vn/" title="a &copy b">x</a></p>',
    '<p><a href="https://a.vn/" title="a\'b">x</a></p>',
    '<figure><img src="https://a.vn/x.jpg" alt="x&quot; onerror=&quot;alert(1)" /></figure>',
    '<figure><img src="https://a.vn/x.jpg" alt="&#34; onerror=&#34;alert(1)" /></figure>',
    '<figure><img src="https://a.vn/x.jpg" alt="a &gt; b &amp; c" width="600" height="400" /></figure>',
    '<figure><img src="https://a.vn/x.jpg" alt="" width="600x" /></figure>',
    '<table><tbody><tr><td colspan="2" rowspan="2">a</td></tr></tbody></table>',
    '<table><tbody><tr><td colspan="99999">a</td></tr></tbody></table>',
  ]
  for (const html of SMUGGLED) {
    it(`gives sanitize-html's output for ${JSON.stringify(html).slice(0, 80)}`, () => {
      expect(sanitizeRebuiltHtml(html)).toBe(sanitizeHtml(html))
      expect(problems(sanitizeRebuiltHtml(html), true)).toEqual([])
    })
  }

  it('property: on any mix of the tokens the writer uses (and a few it never does) it equals sanitize-html', () => {
    const attribute = fc.oneof(
      fc.constantFrom(
        'https://a.vn/x.jpg',
        'https://a.vn/?a=1&amp;b=2',
        'javascript:alert(1)',
        '&#106;avascript:alert(1)',
        'java&#x09;script:x',
        'mailto:a@b.vn',
        '/relative',
        '&quot; onerror=&quot;x',
        'Ảnh: Thu Thủy',
        '',
      ),
      fc.string({ maxLength: 8 }).map((s) => s.replace(/["<>]/g, '')),
    )
    const token = fc.oneof(
      fc.constantFrom(
        '<p>',
        '</p>',
        '<h2>',
        '</h2>',
        '<strong>',
        '</strong>',
        '<em>',
        '</em>',
        '<br />',
        '<br>',
        '<ul>',
        '</ul>',
        '<li>',
        '</li>',
        '<blockquote>',
        '</blockquote>',
        '<figure>',
        '</figure>',
        '<figcaption>',
        '</figcaption>',
        '<table>',
        '<tbody>',
        '<tr>',
        '<td>',
        '</td>',
        '</tr>',
        '</tbody>',
        '</table>',
        '</a>',
        '<script>',
        '<!--',
        '-->',
        '&amp;',
        '&lt;',
        '&gt;',
        '&quot;',
        '&#60;',
        '&copy',
        '"',
        "'",
        '>',
        'Hà Nội ',
      ),
      attribute.map((href) => `<a href="${href}">`),
      fc.tuple(attribute, attribute).map(([href, title]) => `<a href="${href}" title="${title}">`),
      fc.tuple(attribute, attribute).map(([src, alt]) => `<img src="${src}" alt="${alt}" />`),
      fc.constantFrom('<td colspan="2">', '<th rowspan="3">', '<td colspan="x">'),
      fc.string({ maxLength: 6 }),
    )
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (parts) => {
        const html = parts.join('')
        expect(sanitizeRebuiltHtml(html)).toBe(sanitizeHtml(html))
      }),
      { numRuns: 2000 },
    )
  })

  it('property: URLs the gate passes without sanitize-html are the ones sanitize-html hands back unchanged', () => {
    const scheme = fc.constantFrom('http://', 'https://', 'HTTPS://', 'mailto:', 'MailTo:', 'ftp://', 'javascript:', '')
    const piece = fc.oneof(
      fc.constantFrom('a.vn', '/x', '?a=1', '&amp;', '&', '&#106;', '&lt;', '#f', '%20', ' ', '\t', '<!--', '-->'),
      fc.constantFrom("'", '`', '\\', '{', '}', '|', '^', '~', ';', '=', '@', ':', '\u00a0', 'đ', '\u0000'),
      fc.string({ maxLength: 4 }).map((s) => s.replace(/["<>]/g, '')),
    )
    fc.assert(
      fc.property(scheme, fc.array(piece, { maxLength: 8 }), (head, parts) => {
        const url = head + parts.join('')
        for (const html of [`<p><a href="${url}">x</a></p>`, `<figure><img src="${url}" alt="" /></figure>`]) {
          expect(sanitizeRebuiltHtml(html)).toBe(sanitizeHtml(html))
          expect(sanitizeRebuiltHtmlAll([html, html])).toEqual([sanitizeHtml(html), sanitizeHtml(html)])
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('normalizeFeed gates a whole feed of payloads at once, each article as processBody would', () => {
    const feed: ParsedFeed = {
      format: 'rss',
      items: PAYLOADS.map((payload, i) => ({
        title: `Bài ${i}`,
        link: `https://baothaibinh.com.vn/tin/${i}.html`,
        contentHtml: `<p>Trước.</p>${payload}<p>Sau.</p>`,
        categories: [],
        enclosures: [],
        media: [],
        raw: {},
      })),
      warnings: [],
    }
    const { articles } = normalizeFeed(feed, { source: { id: 's', url: 'https://baothaibinh.com.vn/rss' } })
    expect(articles).toHaveLength(PAYLOADS.length)
    articles.forEach((article, i) => {
      expect(problems(article.contentHtml, true)).toEqual([])
      const alone = processBody(`<p>Trước.</p>${PAYLOADS[i]}<p>Sau.</p>`, {
        baseUrl: article.url,
        title: article.title,
      })
      expect(article.contentHtml).toBe(alone.contentHtml)
    })
  })

  it('gates many bodies at once as it gates each alone, whichever of them smuggles something', () => {
    const good = '<p><a href="https://a.vn/x">x</a></p><figure><img src="https://a.vn/x.jpg" alt="" /></figure>'
    for (const bad of SMUGGLED) {
      const batch = [good, bad, good, '', bad]
      expect(sanitizeRebuiltHtmlAll(batch)).toEqual(batch.map((html) => sanitizeHtml(html)))
    }
  })

  it('keeps the writer’s own HTML as it is', () => {
    const html =
      '<p>Đoạn <strong>đậm</strong> &amp; "trích" <a href="https://a.vn/x?a=1&amp;b=2" title="Tiêu đề">liên kết</a>.<br />Dòng 2</p><figure><img src="https://a.vn/x.jpg" alt="Cầu &quot;mới&quot;" width="600" /><figcaption>Cầu mới — Ảnh: Thu Thủy</figcaption></figure><table><tbody><tr><th colspan="2">A</th></tr><tr><td>1</td><td>2</td></tr></tbody></table>'
    expect(sanitizeHtml(html)).toBe(html)
    expect(sanitizeRebuiltHtml(html)).toBe(html)
  })
})
