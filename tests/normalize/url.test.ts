import { describe, expect, it } from 'vitest'
import { absoluteUrl, canonicalUrl } from '../../src/normalize/index.js'

describe('canonicalUrl', () => {
  it('resolves a relative link against the base', () => {
    expect(canonicalUrl('/tin-tuc/hop-ban.htm', 'https://baothaibinh.com.vn/rss/home.rss')).toBe(
      'https://baothaibinh.com.vn/tin-tuc/hop-ban.htm',
    )
    expect(canonicalUrl('//baothaibinh.com.vn/a', 'http://x.vn/')).toBe('http://baothaibinh.com.vn/a')
  })
  it('lower-cases the host', () => {
    expect(canonicalUrl('https://BaoThaiBinh.COM.vn/Tin/A.htm')).toBe('https://baothaibinh.com.vn/Tin/A.htm')
  })
  it('drops the default port and keeps others', () => {
    expect(canonicalUrl('https://x.vn:443/a')).toBe('https://x.vn/a')
    expect(canonicalUrl('http://x.vn:80/a')).toBe('http://x.vn/a')
    expect(canonicalUrl('http://x.vn:8080/a')).toBe('http://x.vn:8080/a')
  })
  it('drops the fragment but keeps a hash-bang route', () => {
    expect(canonicalUrl('https://x.vn/a.htm#comments')).toBe('https://x.vn/a.htm')
    expect(canonicalUrl('https://x.vn/#!/tin/123')).toBe('https://x.vn/#!/tin/123')
  })
  it('removes utm_* and click ids, keeps the other parameters in order', () => {
    expect(
      canonicalUrl('https://x.vn/a?id=5&utm_source=zalo&utm_medium=zalo&p=2&fbclid=IwAR0&gclid=x&UTM_Campaign=y'),
    ).toBe('https://x.vn/a?id=5&p=2')
  })
  it('removes the parameters Zalo appends when a link is shared', () => {
    expect(canonicalUrl('https://x.vn/a.htm?zarsrc=30&gidzl=abcDEF')).toBe('https://x.vn/a.htm')
  })
  it('removes Mailchimp, HubSpot, Matomo and other tracking parameters', () => {
    expect(canonicalUrl('https://x.vn/a?mc_cid=1&mc_eid=2&_hsenc=3&pk_campaign=4&msclkid=5&igshid=6&ref_src=7')).toBe(
      'https://x.vn/a',
    )
  })
  it('keeps parameters that select content, even ones that look like tracking', () => {
    expect(canonicalUrl('https://x.vn/news.aspx?ref=123&source=rss&cat=2')).toBe(
      'https://x.vn/news.aspx?ref=123&source=rss&cat=2',
    )
  })
  it('keeps the query encoding and upper-cases percent-escapes', () => {
    expect(canonicalUrl('https://x.vn/t%c3%acm?q=a+b&x=%e1%bb')).toBe('https://x.vn/t%C3%ACm?q=a+b&x=%E1%BB')
  })
  it('percent-encodes a Vietnamese path', () => {
    expect(canonicalUrl('https://x.vn/tin tức/hội-nhập')).toBe(
      'https://x.vn/tin%20t%E1%BB%A9c/h%E1%BB%99i-nh%E1%BA%ADp',
    )
  })
  it('drops an empty query and credentials', () => {
    expect(canonicalUrl('https://user:pw@x.vn/a?')).toBe('https://x.vn/a')
    expect(canonicalUrl('https://x.vn/a?utm_source=a')).toBe('https://x.vn/a')
    expect(canonicalUrl('https://user@x.vn/a?#')).toBe('https://x.vn/a')
  })
  it('drops an empty fragment, keeps a hash-bang one with its question marks, and leaves a clean URL as it is', () => {
    expect(canonicalUrl('https://x.vn/a#')).toBe('https://x.vn/a')
    expect(canonicalUrl('https://x.vn/a?#!/tin?id=1')).toBe('https://x.vn/a#!/tin?id=1')
    expect(canonicalUrl('https://x.vn/a#!/tin?id=1')).toBe('https://x.vn/a#!/tin?id=1')
    expect(canonicalUrl('https://x.vn/a?id=1&p=2')).toBe('https://x.vn/a?id=1&p=2')
    expect(canonicalUrl('https://x.vn/a?id=1&&p=2&')).toBe('https://x.vn/a?id=1&p=2')
  })
  it('reads an escaped &amp; in the link as &', () => {
    expect(canonicalUrl('https://x.vn/a.aspx?id=1&amp;amp;cat=2')).toBe('https://x.vn/a.aspx?id=1&cat=2')
  })
  it('accepts only http(s)', () => {
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,x',
      'ftp://x.vn/a',
      'mailto:a@x.vn',
      'file:///etc/passwd',
    ]) {
      expect(canonicalUrl(url)).toBeUndefined()
    }
  })
  it('gives undefined for a relative link without a base and for garbage', () => {
    expect(canonicalUrl('/a/b')).toBeUndefined()
    expect(canonicalUrl('')).toBeUndefined()
    expect(canonicalUrl('http://')).toBeUndefined()
    expect(canonicalUrl('/a', 'not a url')).toBeUndefined()
  })
  it('is idempotent', () => {
    for (const url of ['https://X.vn:443/a/../b/./c?utm_x=1&a=%e1&amp;b=2#frag', 'http://x.vn?', 'https://x.vn./a']) {
      const once = canonicalUrl(url)
      expect(once).toBeDefined()
      expect(canonicalUrl(once as string)).toBe(once)
    }
  })
})

describe('absoluteUrl', () => {
  it('resolves without touching the query', () => {
    expect(absoluteUrl('img/a.jpg?utm_source=x#y', 'https://x.vn/tin/')).toBe(
      'https://x.vn/tin/img/a.jpg?utm_source=x#y',
    )
    expect(absoluteUrl('javascript:void(0)', 'https://x.vn/')).toBeUndefined()
  })
})
