import { describe, expect, it } from 'vitest'
import { articleId } from '../../src/normalize/index.js'

describe('articleId', () => {
  it('is the canonical URL when the item has one', () => {
    expect(articleId({ sourceId: 'tb', url: 'https://baothaibinh.com.vn/a.htm', guid: '123' })).toBe(
      'https://baothaibinh.com.vn/a.htm',
    )
  })
  it('is a stable URN scoped to the source when there is only a guid', () => {
    const id = articleId({ sourceId: 'thai-binh', guid: '12345' })
    expect(id).toMatch(/^urn:tonghop:thai-binh:[A-Za-z0-9_-]{22}$/)
    expect(articleId({ sourceId: 'thai-binh', guid: '12345' })).toBe(id)
    expect(articleId({ sourceId: 'nam-dinh', guid: '12345' })).not.toBe(id)
    expect(articleId({ sourceId: 'thai-binh', guid: '12346' })).not.toBe(id)
  })
  it('falls back to title and date without URL or guid', () => {
    const published = new Date('2017-03-09T17:00:00Z')
    const id = articleId({ sourceId: 'tb', title: 'Họp Ban', published })
    expect(id).toMatch(/^urn:tonghop:tb:/)
    expect(articleId({ sourceId: 'tb', title: 'Họp Ban', published })).toBe(id)
    expect(articleId({ sourceId: 'tb', title: 'Họp Ban khác', published })).not.toBe(id)
  })
  it('escapes a source id that is not URN-safe', () => {
    expect(articleId({ sourceId: 'báo thái bình/rss', guid: 'x' })).toMatch(
      /^urn:tonghop:b%C3%A1o%20th%C3%A1i%20b%C3%ACnh%2Frss:[A-Za-z0-9_-]+$/,
    )
  })
})
