import { describe, expect, it } from 'vitest'
import { capNesting, type HtmlElement, parseHtml, sanitizeHtml, textContent } from '../../src/normalize/html/index.js'
import { compileSelectors } from '../../src/normalize/selectors.js'

function depthOf(el: HtmlElement): number {
  let max = 0
  for (const c of el.children) if (c.type === 'element') max = Math.max(max, depthOf(c))
  return max + 1
}

describe('parseHtml', () => {
  it('decodes entities in text and attributes', () => {
    const root = parseHtml('<p title="a &amp; b">Thu&nbsp;Th&#7911;y &lt;b&gt;</p>')
    const p = root.children[0] as HtmlElement
    expect(p.attrs.title).toBe('a & b')
    expect(textContent(p)).toBe('Thu\u00a0Thủy <b>')
  })

  it('decodes attribute values by the HTML attribute rules, also at the end of the value', () => {
    // A legacy name followed by a letter is not a reference inside an attribute (`&not` in `&notify`, `&notin`).
    const root = parseHtml('<a href="/tin?a=1&notify=2&copy=3&amp;b=4&notin">x</a><img alt="&quot;a&quot; &copy;">')
    const a = root.children[0] as HtmlElement
    const img = root.children[1] as HtmlElement
    expect(a.attrs.href).toBe('/tin?a=1&notify=2&copy=3&b=4&notin')
    expect(img.attrs.alt).toBe('"a" ©')
  })

  it('decodes entities in text split by comments or dropped elements as the pieces stand', () => {
    const root = parseHtml('<p>&am<!-- x -->p; R&D &amp<script>;</script> &copy 2025</p>')
    expect(textContent(root).trim()).toBe('&amp; R&D & © 2025')
  })

  it('drops executable and hidden subtrees while parsing', () => {
    const root = parseHtml(
      '<p>a</p><script>x</script><style>y</style><iframe>z</iframe><div style="display:none">ẩn</div><p hidden>ẩn</p><svg><text>s</text></svg>',
    )
    expect(textContent(root).replace(/\n/g, '')).toBe('a')
  })

  it('drops what the caller asks for', () => {
    const root = parseHtml('<div class="ads">qc</div><p>nội dung</p>', { drop: (_n, a) => a.class === 'ads' })
    expect(textContent(root).trim()).toBe('nội dung')
  })

  it('caps the depth of the tree', () => {
    const root = parseHtml(`${'<div>'.repeat(500)}sâu${'</div>'.repeat(500)}`, { maxDepth: 10 })
    // the root, ten elements, and the <br> a flattened block leaves behind
    expect(depthOf(root)).toBeLessThanOrEqual(12)
    expect(textContent(root).trim()).toBe('sâu')
  })

  it('cuts input longer than maxLength without leaving half a tag', () => {
    const root = parseHtml('<p>một</p><p>hai</p><img src="x.jpg">', { maxLength: 22 })
    expect(textContent(root).trim().split(/\s+/)).toEqual(['một', 'hai'])
    expect(JSON.stringify(root)).not.toContain('<')
  })
})

describe('capNesting', () => {
  it('removes tags nested too deep and keeps their text', () => {
    expect(capNesting('<div><div><div><b>x</b></div></div></div>', 2)).toBe('<div><div><br>x</div></div>')
  })
  it('treats repeated <p> and <li> as siblings', () => {
    const html = '<p>a<p>b<p>c<ul><li>1<li>2<li>3</ul>'
    expect(capNesting(html, 3)).toBe(html)
  })
  it('leaves shallow documents untouched', () => {
    const html = '<div><p>x <!-- <div><div> --></p></div>'
    expect(capNesting(html, 3)).toBe(html)
  })
})

describe('sanitizeHtml', () => {
  it('keeps news markup and drops everything else', () => {
    expect(sanitizeHtml('<p class="x" style="color:red">a <strong>b</strong> <font>c</font></p>')).toBe(
      '<p>a <strong>b</strong> c</p>',
    )
    expect(sanitizeHtml('<a href="/relative">x</a>')).toBe('<a>x</a>')
  })
})

describe('compileSelectors', () => {
  const match = compileSelectors(['div.share', '#comments, .ads.top', 'aside', '[data-ad]', 'p[data-role="related"]'])
  it('matches tag, class, id, compound, attribute and list selectors', () => {
    expect(match?.('div', { class: 'box share' })).toBe(true)
    expect(match?.('p', { class: 'share' })).toBe(false)
    expect(match?.('section', { id: 'comments' })).toBe(true)
    expect(match?.('div', { class: 'ads top' })).toBe(true)
    expect(match?.('div', { class: 'ads' })).toBe(false)
    expect(match?.('aside', {})).toBe(true)
    expect(match?.('span', { 'data-ad': '' })).toBe(true)
    expect(match?.('p', { 'data-role': 'related' })).toBe(true)
    expect(match?.('p', { 'data-role': 'main' })).toBe(false)
  })
  it('ignores combinators and empty selectors', () => {
    expect(compileSelectors(['div p', 'ul > li', '', '   '])).toBeUndefined()
  })
})
