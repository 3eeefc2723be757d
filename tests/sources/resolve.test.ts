import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/errors.js'
import { readOpml, resolveSources, writeOpml } from '../../src/sources/index.js'
import { serve, startServer, type TestServer } from '../helpers/server.js'
import { tempDir } from '../helpers/tmp.js'

const fixtures = join(import.meta.dirname, '../fixtures/sources')

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

describe('resolveSources', () => {
  it('keeps given ids and derives stable ones from the URL', async () => {
    const input = [
      'https://www.baothaibinh.com.vn/rss/thoi-su.rss',
      { url: 'https://thaibinh.gov.vn/rss?cat=1', name: ' Cổng TTĐT ', credit: 'UBND tỉnh Thái Bình' },
      { url: 'https://baonamdinh.vn/rss/home.rss', id: 'nam-dinh', timeZone: 'Asia/Ho_Chi_Minh' },
    ]
    const sources = await resolveSources(input)
    expect(sources).toEqual([
      { id: 'baothaibinh-com-vn-rss-thoi-su', url: 'https://www.baothaibinh.com.vn/rss/thoi-su.rss' },
      {
        id: 'thaibinh-gov-vn-rss-cat-1',
        url: 'https://thaibinh.gov.vn/rss?cat=1',
        name: 'Cổng TTĐT',
        credit: 'UBND tỉnh Thái Bình',
      },
      { id: 'nam-dinh', url: 'https://baonamdinh.vn/rss/home.rss', timeZone: 'Asia/Ho_Chi_Minh' },
    ])
    expect(await resolveSources(input)).toEqual(sources)
  })

  it('makes derived ids unique, also against given ones', async () => {
    const sources = await resolveSources([
      'https://a.vn/rss',
      'https://a.vn/rss.xml',
      { url: 'https://b.vn/x', id: 'a-vn-rss-3' },
      'https://a.vn/rss.rss',
    ])
    expect(sources.map((s) => s.id)).toEqual(['a-vn-rss', 'a-vn-rss-2', 'a-vn-rss-3', 'a-vn-rss-4'])
  })

  it('turns local paths into file: URLs against baseDir', async () => {
    const dir = tempDir()
    const [relative, absolute, fileUrl] = await resolveSources(
      ['feeds/Thái Bình.xml', join(dir, 'b.rss'), pathToFileURL(join(dir, 'c.xml')).href],
      { baseDir: dir },
    )
    expect(relative).toEqual({ id: 'file-thai-binh', url: pathToFileURL(join(dir, 'feeds/Thái Bình.xml')).href })
    expect(absolute!.url).toBe(pathToFileURL(join(dir, 'b.rss')).href)
    expect(fileUrl!.url).toBe(pathToFileURL(join(dir, 'c.xml')).href)
  })

  it.each([
    [['https://ok.vn/rss', ''], 'sources[1]'],
    [[{ url: 42 }], 'sources[0].url'],
    [['ftp://example.com/feed'], 'sources[0]'],
    [['http://'], 'sources[0]'],
    [[null], 'sources[0]'],
    [[{ url: 'https://a.vn/rss', id: '' }], 'sources[0].id'],
    [[{ url: 'https://a.vn/rss', id: 'host:a.vn' }], 'sources[0].id'],
    [[{ url: 'https://a.vn/rss', name: 3 }], 'sources[0].name'],
    [[{ url: 'https://a.vn/rss', timeZone: 'Mars/Olympus' }], 'sources[0].timeZone'],
    [[{ url: 'https://a.vn/rss', rules: { remove: 'div' } }], 'sources[0].rules.remove'],
    [[{ url: 'https://a.vn/rss', rules: { creditPattern: '(' } }], 'sources[0].rules.creditPattern'],
    [{ opml: 42 }, 'sources'],
  ])('rejects invalid entry %j at %s', async (input, path) => {
    const error = await configError(resolveSources(input as never))
    expect(error.code).toBe('ERR_CONFIG_INVALID')
    expect(error.path).toBe(path)
  })

  it('rejects duplicated ids', async () => {
    const error = await configError(
      resolveSources([
        { url: 'https://a.vn/1', id: 'same' },
        { url: 'https://a.vn/2', id: 'same' },
      ]),
    )
    expect(error).toMatchObject({ code: 'ERR_CONFIG_INVALID', path: 'sources[1].id' })
    expect(error.message).toContain('sources[0].id')
  })

  it('reads sources from an OPML file, relative paths against the OPML file', async () => {
    const sources = await resolveSources({ opml: 'nested.opml' }, { baseDir: fixtures })
    expect(sources.map((s) => s.url)).toEqual([
      'https://baothaibinh.com.vn/rss/thoi-su.rss',
      'https://thaibinh.gov.vn/rss?cat=1&lang=vi',
      'https://baonamdinh.vn/rss/home.rss',
      pathToFileURL(join(fixtures, 'feeds/local.xml')).href,
    ])
    expect(sources[0]).toMatchObject({ name: 'Báo Thái Bình – Thời sự', siteUrl: 'https://baothaibinh.com.vn/' })
    expect(sources[2]!.name).toBe('Báo Nam Định <Tin mới>')
  })

  it('reports a missing or non-OPML file', async () => {
    const dir = tempDir()
    const missing = await configError(resolveSources({ opml: 'nope.opml' }, { baseDir: dir }))
    expect(missing).toMatchObject({ code: 'ERR_CONFIG_NOT_FOUND', path: 'sources.opml' })
    writeFileSync(join(dir, 'not.opml'), '<rss><channel/></rss>')
    const notOpml = await configError(resolveSources({ opml: 'not.opml' }, { baseDir: dir }))
    expect(notOpml.code).toBe('ERR_CONFIG_PARSE')
    expect(notOpml.file).toBe(join(dir, 'not.opml'))
  })

  describe('OPML over HTTP', () => {
    let server: TestServer
    beforeAll(async () => {
      server = await startServer({
        '/list.opml': serve(readFileSync(join(fixtures, 'nested.opml')), { 'content-type': 'text/x-opml' }),
      })
    })
    afterAll(() => server.close())

    it('fetches an OPML URL through the guarded fetch', async () => {
      const blocked = await configError(resolveSources({ opml: `${server.origin}/list.opml` }))
      expect(blocked.code).toBe('ERR_CONFIG_NOT_FOUND')
      const sources = await resolveSources(
        { opml: `${server.origin}/list.opml` },
        { fetch: { allowHosts: [server.host] } },
      )
      expect(sources).toHaveLength(4)
    })
  })
})

describe('OPML', () => {
  it('round-trips sources through writeOpml and readOpml', async () => {
    const sources = await resolveSources([
      {
        url: 'https://baothaibinh.com.vn/rss/thoi-su.rss',
        name: 'Báo Thái Bình & "Thời sự" <1>',
        credit: 'Báo Thái Bình',
      },
      {
        url: 'https://thaibinh.gov.vn/rss?cat=1&lang=vi',
        id: 'cong-ttdt',
        timeZone: 'Asia/Bangkok',
        siteUrl: 'https://thaibinh.gov.vn/',
      },
    ])
    const xml = writeOpml(sources, { title: 'Tin Thái Bình', dateCreated: new Date('2026-11-26T00:00:00Z') })
    expect(xml).toContain('<title>Tin Thái Bình</title>')
    expect(xml).toContain('<dateCreated>Thu, 26 Nov 2026 00:00:00 GMT</dateCreated>')
    expect(await resolveSources(readOpml(xml))).toEqual(sources)
  })

  it('rejects a document without <opml>', () => {
    expect(() => readOpml('<html><body/></html>', { file: 'x.opml' })).toThrow(ConfigError)
  })

  it('ignores outlines inside comments and CDATA', () => {
    const xml = `<opml><body><!-- <outline xmlUrl="https://hidden.vn/rss"/> --><outline xmlUrl='https://shown.vn/rss' text='x > y'/></body></opml>`
    expect(readOpml(xml)).toEqual([{ url: 'https://shown.vn/rss', name: 'x > y' }])
  })
})
