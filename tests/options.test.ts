import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../src/errors.js'
import { DEFAULTS, formatPath, parsePath, resolveOptions } from '../src/options.js'
import { createMemoryStore } from '../src/store/index.js'

const LINK = 'https://tin.example.vn/'

interface SchemaProp {
  default?: unknown
  properties?: Record<string, SchemaProp>
}

function errorOf(input: unknown, context?: { file?: string }): ConfigError {
  try {
    resolveOptions(input, context)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected resolveOptions to throw')
}

describe('resolveOptions: validation messages', () => {
  const cases: { name: string; input: unknown; path: string; message: string }[] = [
    {
      name: 'a hook with both a command and a URL',
      input: { sources: [], hooks: { onStories: { command: 'x', url: 'https://a.example.vn/' } } },
      path: 'hooks.onStories',
      message:
        'Expected `hooks.onStories` to be an object with exactly one of `command` (a shell command) or `url` (an absolute http(s) URL), got `{"command":"x","url":"https://a.example.vn/"}`',
    },
    {
      name: 'a hook URL that is not http(s)',
      input: { sources: [], hooks: { onStories: { url: 'ftp://a.example.vn/' } } },
      path: 'hooks.onStories.url',
      message: 'Expected `hooks.onStories.url` to be an absolute http(s) URL, got `"ftp://a.example.vn/"`',
    },
    {
      name: 'a hook timeout of 0',
      input: { sources: [], hooks: { timeoutMs: 0 } },
      path: 'hooks.timeoutMs',
      message: 'Expected `hooks.timeoutMs` to be an integer ≥ 1, got `0`',
    },
    {
      name: 'stale after 0 days',
      input: { sources: [], health: { staleDays: 0 } },
      path: 'health.staleDays',
      message: 'Expected `health.staleDays` to be an integer ≥ 1, got `0`',
    },
    {
      name: 'both the onStories callback and hooks.onStories',
      input: { sources: [], onStories: () => {}, hooks: { onStories: { command: 'x' } } },
      path: 'hooks.onStories',
      message: 'Expected either the `onStories` callback or `hooks.onStories`, not both',
    },
    {
      name: 'an onStories that is not a function',
      input: { sources: [], onStories: 'curl …' },
      path: 'onStories',
      message: 'Expected `onStories` to be a function, got `"curl …"`',
    },
    {
      name: 'an integer below its minimum',
      input: { sources: [], fetch: { concurrency: 0 } },
      path: 'fetch.concurrency',
      message: 'Expected `fetch.concurrency` to be an integer ≥ 1, got `0`',
    },
    {
      name: 'a string where an integer is expected',
      input: { sources: [], fetch: { timeout: '30s' } },
      path: 'fetch.timeout',
      message: 'Expected `fetch.timeout` to be an integer ≥ 1, got `"30s"`',
    },
    {
      name: 'a fraction where an integer is expected',
      input: { sources: [], retention: { days: 1.5 } },
      path: 'retention.days',
      message: 'Expected `retention.days` to be an integer ≥ 0, got `1.5`',
    },
    {
      name: 'a number out of its range',
      input: { sources: [], dedupe: { threshold: 2 } },
      path: 'dedupe.threshold',
      message: 'Expected `dedupe.threshold` to be a number between 0 and 1, got `2`',
    },
    {
      name: 'a typo at the top level',
      input: { sourcse: [] },
      path: 'sourcse',
      message: 'Unknown field `sourcse` at the top level (did you mean `sources`?)',
    },
    {
      name: 'a typo in a group',
      input: { sources: [], fetch: { concurency: 2 } },
      path: 'fetch.concurency',
      message: 'Unknown field `concurency` in `fetch` (did you mean `concurrency`?)',
    },
    {
      name: 'an unknown field without a near name',
      input: { sources: [{ url: 'https://a.example.vn/rss', colour: 'red' }] },
      path: 'sources[0].colour',
      message:
        'Unknown field `colour` in `sources[0]` (expected one of `url`, `id`, `name`, `credit`, `timeZone`, `rules`, `siteUrl`, `fullText`)',
    },
    {
      name: 'a missing required field',
      input: {},
      path: 'sources',
      message: 'Missing required field `sources`',
    },
    {
      name: 'a source object without url',
      input: { sources: [{ name: 'Báo Thái Bình' }] },
      path: 'sources[0].url',
      message: 'Missing required field `sources[0].url`: expected a non-empty string',
    },
    {
      name: 'a source that is neither a string nor an object',
      input: { sources: ['https://a.example.vn/rss', 42] },
      path: 'sources[1]',
      message: 'Expected `sources[1]` to be a feed URL, a file path or a source object',
    },
    {
      name: 'sources that are neither a list nor { opml }',
      input: { sources: 'https://a.example.vn/rss' },
      path: 'sources',
      message:
        'Expected `sources` to be a list of sources or `{ opml: <file or URL> }`, got `"https://a.example.vn/rss"`',
    },
    {
      name: 'a source URL with another scheme',
      input: { sources: ['ftp://a.example.vn/rss'] },
      path: 'sources[0]',
      message: 'Expected `sources[0]` to be an http(s) URL or a file path, got `"ftp://a.example.vn/rss"`',
    },
    {
      name: 'a malformed source URL',
      input: { sources: [{ url: 'http://[bad' }] },
      path: 'sources[0].url',
      message: 'Expected `sources[0].url` to be a valid URL',
    },
    {
      name: 'a bad source id',
      input: { sources: [{ url: 'https://a.example.vn/rss', id: 'has space' }] },
      path: 'sources[0].id',
      message: 'Expected `sources[0].id` to be an id of letters, digits',
    },
    {
      name: 'a duplicate source id',
      input: {
        sources: [
          { url: 'https://a.example.vn/rss', id: 'tb' },
          { url: 'https://b.example.vn/rss', id: 'tb' },
        ],
      },
      path: 'sources[1].id',
      message: 'Duplicate source id `tb` at `sources[1].id` (also at `sources[0].id`)',
    },
    {
      name: 'an unknown time zone on a source',
      input: { sources: [{ url: 'https://a.example.vn/rss', timeZone: 'Asia/Hanoi_City' }] },
      path: 'sources[0].timeZone',
      message:
        'Expected `sources[0].timeZone` to be an IANA time zone such as `Asia/Ho_Chi_Minh`, got `"Asia/Hanoi_City"`',
    },
    {
      name: 'an unknown default time zone',
      input: { sources: [], normalize: { timeZone: 'Mars/Base' } },
      path: 'normalize.timeZone',
      message: 'Expected `normalize.timeZone` to be an IANA time zone',
    },
    {
      name: 'a credit pattern that is not a regular expression',
      input: { sources: [{ url: 'https://a.example.vn/rss', rules: { creditPattern: '^Nguồn:(' } }] },
      path: 'sources[0].rules.creditPattern',
      message: 'Expected `sources[0].rules.creditPattern` to be a regular expression',
    },
    {
      name: 'an output format that does not exist',
      input: { sources: [], feed: { link: LINK }, outputs: [{ path: 'out/a.xml', format: 'pdf' }] },
      path: 'outputs[0].format',
      message: 'Expected `outputs[0].format` to be one of `rss`, `atom`, `json`, `html`, got `"pdf"`',
    },
    {
      name: 'an output whose extension does not tell the format',
      input: { sources: [], feed: { link: LINK }, outputs: [{ path: 'out/merged.txt' }] },
      path: 'outputs[0].format',
      message: 'the extension of `"out/merged.txt"` does not tell',
    },
    {
      name: 'an output without a link anywhere',
      input: { sources: [], outputs: [{ path: 'out/a.xml' }] },
      path: 'feed.link',
      message: 'Expected `feed.link` (or `outputs[0].link`) to be an absolute http(s) URL',
    },
    {
      name: 'a feed link that is not http(s)',
      input: { sources: [], feed: { link: 'ftp://tin.example.vn/' } },
      path: 'feed.link',
      message: 'Expected `feed.link` to be an absolute http(s) URL, got `"ftp://tin.example.vn/"`',
    },
    {
      name: 'two outputs writing one file',
      input: { sources: [], feed: { link: LINK }, outputs: [{ path: 'out/a.xml' }, { path: './out/../out/a.xml' }] },
      path: 'outputs[1].path',
      message: '`outputs[1].path` is the same file as `outputs[0].path`',
    },
    {
      name: 'a negative output limit (0 keeps every story)',
      input: { sources: [], feed: { link: LINK }, outputs: [{ path: 'a.xml', limit: -1 }] },
      path: 'outputs[0].limit',
      message: 'Expected `outputs[0].limit` to be an integer ≥ 0, got `-1`',
    },
    {
      name: 'a filter since that is not a date',
      input: { sources: [], feed: { link: LINK }, outputs: [{ path: 'a.xml', filter: { since: 'yesterday' } }] },
      path: 'outputs[0].filter.since',
      message: 'Expected `outputs[0].filter.since` to be an ISO date or a duration in ms, got `"yesterday"`',
    },
    {
      name: 'a store with two kinds',
      input: { sources: [], store: { sqlite: 'a.sqlite', postgres: 'postgres://x/y' } },
      path: 'store',
      message: 'Expected `store` to be an object with exactly one of `sqlite`, `postgres`, `memory`',
    },
    {
      name: 'a store of an unknown kind',
      input: { sources: [], store: { mongo: 'x' } },
      path: 'store.mongo',
      message: 'Unknown field `mongo` in `store`',
    },
    {
      name: 'a postgres store that is not a URL',
      input: { sources: [], store: { postgres: 'localhost' } },
      path: 'store.postgres',
      message: 'Expected `store.postgres` to be a `postgres://` connection URL, got `"localhost"`',
    },
    {
      name: 'a memory store that is not true',
      input: { sources: [], store: { memory: 'yes' } },
      path: 'store.memory',
      message: 'Expected `store.memory` to be `true`',
    },
    {
      name: 'allowHosts that is not a list',
      input: { sources: [], fetch: { allowHosts: '127.0.0.1' } },
      path: 'fetch.allowHosts',
      message: 'Expected `fetch.allowHosts` to be a list of strings, got `"127.0.0.1"`',
    },
    {
      name: 'a header value that is not a string',
      input: { sources: [], fetch: { headers: { 'X-Token': 1 } } },
      path: 'fetch.headers.X-Token',
      message: 'Expected `fetch.headers.X-Token` to be a string, got `1`',
    },
    {
      name: 'an outlet without domains',
      input: { sources: [], normalize: { outlets: [{ name: 'Báo Thái Bình', domains: [] }] } },
      path: 'normalize.outlets[0].domains',
      message: 'Expected `normalize.outlets[0].domains` to be a list of strings with at least 1 item',
    },
    {
      name: 'a boolean given as a string',
      input: { sources: [], publish: { alsoPublishedBy: 'no' } },
      path: 'publish.alsoPublishedBy',
      message: 'Expected `publish.alsoPublishedBy` to be `true` or `false`, got `"no"`',
    },
    {
      name: 'an options value that is not an object',
      input: ['https://a.example.vn/rss'],
      path: '',
      message: 'Expected the options to be an object',
    },
  ]

  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      const error = errorOf(c.input)
      expect(error.code).toBe('ERR_CONFIG_INVALID')
      expect(error.path).toBe(c.path)
      expect(error.message).toContain(c.message)
    })
  }

  it('names the config file in the message and on the error', () => {
    const error = errorOf({ sources: [], fetch: { perHost: 0 } }, { file: '/etc/tonghop/tonghop.config.json' })
    expect(error.file).toBe('/etc/tonghop/tonghop.config.json')
    expect(error.message).toBe(
      '/etc/tonghop/tonghop.config.json: Expected `fetch.perHost` to be an integer ≥ 1, got `0`',
    )
  })

  it('checks the code-only options by hand', () => {
    expect(errorOf({ sources: [], logger: console.log }).path).toBe('logger')
    expect(errorOf({ sources: [], logger: { info() {} } }).message).toContain('debug, info, warn and error')
    expect(errorOf({ sources: [], signal: {} }).path).toBe('signal')
    expect(errorOf({ sources: [], now: new Date() }).path).toBe('now')
    expect(errorOf({ sources: [], dispatcher: {} }).path).toBe('dispatcher')
    expect(errorOf({ sources: [], onProgress: true }).path).toBe('onProgress')
    expect(errorOf({ sources: [], store: { begin() {} } }).path).toBe('store')
  })
})

describe('resolveOptions: defaults', () => {
  it('fills every default', () => {
    const resolved = resolveOptions({ sources: ['https://a.example.vn/rss'] })
    expect(resolved.outputs).toEqual([])
    expect(resolved.feed).toEqual({ title: 'tonghop', link: '' })
    expect(resolved.fetch.concurrency).toBe(8)
    expect(resolved.fetch.perHost).toBe(2)
    expect(resolved.fetch.timeout).toBe(30_000)
    expect(resolved.fetch.maxBytes).toBe(15 * 1024 * 1024)
    expect(resolved.fetch.allowPrivateNetwork).toBe(false)
    expect(resolved.dedupe.windowMs).toBe(7 * 86_400_000)
    expect(resolved.normalize.timeZone).toBe('Asia/Ho_Chi_Minh')
    expect(resolved.publish).toEqual({ creditTemplate: 'Theo {name}', alsoPublishedBy: true })
    expect(resolved.retention).toEqual({ days: 30 })
    expect(resolved.store).toEqual({ sqlite: resolve('.tonghop/state.sqlite') })
    expect(resolved.baseDir).toBe(process.cwd())
    expect(typeof resolved.now().getTime()).toBe('number')
    expect(Object.keys(resolved.logger).sort()).toEqual(['debug', 'error', 'info', 'warn'])
  })

  it('lets given values win and keeps the rest of a group at its defaults', () => {
    const resolved = resolveOptions({ sources: [], fetch: { concurrency: 2, allowHosts: ['127.0.0.1:8080'] } })
    expect(resolved.fetch.concurrency).toBe(2)
    expect(resolved.fetch.perHost).toBe(2)
    expect(resolved.fetch.allowHosts).toEqual(['127.0.0.1:8080'])
  })

  it('fills each output from feed and the output defaults, inferring the format from the extension', () => {
    const resolved = resolveOptions({
      sources: [],
      feed: { title: 'Tin tổng hợp', link: LINK, language: 'vi' },
      outputs: [
        { path: 'out/a.xml' },
        { path: 'out/a.atom', title: 'Atom', limit: 5 },
        { path: 'out/a.json' },
        { path: 'out/index.html' },
        { path: 'out/feed', format: 'rss', link: 'https://other.example.vn/' },
      ],
    })
    expect(resolved.outputs.map((o) => o.format)).toEqual(['rss', 'atom', 'json', 'html', 'rss'])
    expect(resolved.outputs[0]).toEqual({
      path: resolve('out/a.xml'),
      format: 'rss',
      title: 'Tin tổng hợp',
      link: LINK,
      language: 'vi',
      limit: 100,
    })
    expect(resolved.outputs[1]).toMatchObject({ title: 'Atom', limit: 5 })
    expect(resolved.outputs[4]?.link).toBe('https://other.example.vn/')
  })

  it('freezes the resolved data and never freezes or changes the caller objects', () => {
    const input = { sources: ['https://a.example.vn/rss'], fetch: { concurrency: 3 } }
    const resolved = resolveOptions(input)
    expect(Object.isFrozen(resolved)).toBe(true)
    expect(Object.isFrozen(resolved.fetch)).toBe(true)
    expect(Object.isFrozen(resolved.sources)).toBe(true)
    expect(Object.isFrozen(input.fetch)).toBe(false)
    expect(() => {
      ;(resolved.fetch as { concurrency: number }).concurrency = 9
    }).toThrow(TypeError)
  })

  it('keeps a store instance, logger, signal, clock and callbacks as given (unfrozen)', () => {
    const store = createMemoryStore()
    const logger = { debug() {}, info() {}, warn() {}, error() {} }
    const signal = new AbortController().signal
    const now = () => new Date('2026-01-01T00:00:00Z')
    const onProgress = () => {}
    const resolved = resolveOptions({ sources: [], store, logger, signal, now, onProgress })
    expect(resolved.store).toBe(store)
    expect(resolved.logger).toBe(logger)
    expect(resolved.signal).toBe(signal)
    expect(resolved.now).toBe(now)
    expect(resolved.onProgress).toBe(onProgress)
    expect(Object.isFrozen(store)).toBe(false)
  })

  it('has DEFAULTS frozen', () => {
    expect(Object.isFrozen(DEFAULTS)).toBe(true)
    expect(Object.isFrozen(DEFAULTS.fetch)).toBe(true)
  })

  it('advertises the same defaults in the JSON Schema as DEFAULTS', () => {
    const schema = JSON.parse(readFileSync(new URL('../schema/tonghop.config.schema.json', import.meta.url), 'utf8'))
    const props = schema.properties
    for (const [key, node] of Object.entries(props.fetch.properties as Record<string, { default?: unknown }>)) {
      if (node.default !== undefined)
        expect([key, (DEFAULTS.fetch as Record<string, unknown>)[key]]).toEqual([key, node.default])
    }
    for (const [key, node] of Object.entries(props.dedupe.properties as Record<string, { default?: unknown }>)) {
      expect([key, (DEFAULTS.dedupe as Record<string, unknown>)[key]]).toEqual([key, node.default])
    }
    expect(props.normalize.properties.timeZone.default).toBe(DEFAULTS.normalize.timeZone)
    expect(props.publish.properties.creditTemplate.default).toBe(DEFAULTS.publish.creditTemplate)
    expect(props.publish.properties.alsoPublishedBy.default).toBe(DEFAULTS.publish.alsoPublishedBy)
    expect(props.retention.properties.days.default).toBe(DEFAULTS.retention.days)
    expect(props.feed.properties.title.default).toBe(DEFAULTS.feed.title)
    expect(props.store.default).toEqual(DEFAULTS.store)
    expect(props.health.properties.staleDays.default).toBe(DEFAULTS.health.staleDays)
    expect(props.hooks.properties.timeoutMs.default).toBe(DEFAULTS.hooks.timeoutMs)
    expect(schema.definitions.output.properties.limit.default).toBe(DEFAULTS.output.limit)
    expect(schema.additionalProperties).toBe(false)
  })

  it('resolves to every `default` the JSON Schema advertises', () => {
    const schema = JSON.parse(readFileSync(new URL('../schema/tonghop.config.schema.json', import.meta.url), 'utf8'))
    const resolved = resolveOptions({ sources: [], feed: { link: LINK }, outputs: [{ path: 'out.xml' }] })
    const groups = resolved as unknown as Record<string, Record<string, unknown>>
    let checked = 0
    for (const [group, node] of Object.entries(schema.properties as Record<string, SchemaProp>)) {
      for (const [key, field] of Object.entries(node.properties ?? {})) {
        if (field.default === undefined) continue
        expect([`${group}.${key}`, groups[group]?.[key]]).toEqual([`${group}.${key}`, field.default])
        checked++
      }
    }
    // The top-level defaults: outputs (none given → []), store (a relative sqlite path, resolved against baseDir).
    expect(resolveOptions({ sources: [] }).outputs).toEqual(schema.properties.outputs.default)
    expect(resolveOptions({ sources: [] }).store).toEqual({ sqlite: resolve(schema.properties.store.default.sqlite) })
    expect(resolved.outputs[0]?.limit).toBe(schema.definitions.output.properties.limit.default)
    expect(checked).toBeGreaterThan(30)
  })
})

describe('resolveOptions: relative paths', () => {
  it('resolves paths against the config file directory', () => {
    const resolved = resolveOptions(
      {
        sources: ['feeds/thai-binh.xml', 'https://a.example.vn/rss', { url: '../shared/nam-dinh.xml', id: 'nd' }],
        feed: { link: LINK },
        outputs: [{ path: 'out/merged.xml' }],
        store: { sqlite: 'state/tonghop.sqlite' },
      },
      { file: '/srv/tonghop/tonghop.config.yaml' },
    )
    expect(resolved.baseDir).toBe('/srv/tonghop')
    expect(resolved.sources).toEqual([
      '/srv/tonghop/feeds/thai-binh.xml',
      'https://a.example.vn/rss',
      { url: '/srv/shared/nam-dinh.xml', id: 'nd' },
    ])
    expect(resolved.outputs[0]?.path).toBe('/srv/tonghop/out/merged.xml')
    expect(resolved.store).toEqual({ sqlite: '/srv/tonghop/state/tonghop.sqlite' })
  })

  it('resolves a relative baseDir against the file, and paths against baseDir', () => {
    const resolved = resolveOptions(
      { sources: { opml: 'feeds.opml' }, baseDir: 'data' },
      { file: '/srv/tonghop/tonghop.config.json' },
    )
    expect(resolved.baseDir).toBe('/srv/tonghop/data')
    expect(resolved.sources).toEqual({ opml: '/srv/tonghop/data/feeds.opml' })
    expect(resolved.store).toEqual({ sqlite: '/srv/tonghop/data/.tonghop/state.sqlite' })
  })

  it('leaves URLs, absolute paths, file: URLs, postgres URLs and :memory: alone', () => {
    const resolved = resolveOptions(
      {
        sources: ['/var/feeds/a.xml', 'file:///var/feeds/b.xml', { opml: 'x' }].slice(0, 2),
        store: { postgres: 'postgres://tonghop@db/tonghop' },
      },
      { file: '/srv/t/c.json' },
    )
    expect(resolved.sources).toEqual(['/var/feeds/a.xml', 'file:///var/feeds/b.xml'])
    expect(resolved.store).toEqual({ postgres: 'postgres://tonghop@db/tonghop' })
    expect(resolveOptions({ sources: [], store: { sqlite: ':memory:' } }).store).toEqual({ sqlite: ':memory:' })
    expect(resolveOptions({ sources: { opml: 'https://a.example.vn/feeds.opml' } }).sources).toEqual({
      opml: 'https://a.example.vn/feeds.opml',
    })
  })

  it('uses the working directory without a file', () => {
    const resolved = resolveOptions({ sources: ['feeds/a.xml'] })
    expect(resolved.sources).toEqual([join(process.cwd(), 'feeds/a.xml')])
  })
})

describe('field paths', () => {
  it('formats and parses dotted paths', () => {
    expect(formatPath(['sources', 2, 'url'])).toBe('sources[2].url')
    expect(formatPath(['fetch', 'headers', 'X-Token'])).toBe('fetch.headers.X-Token')
    expect(formatPath(['fetch', 'headers', 'a b'])).toBe('fetch.headers["a b"]')
    expect(parsePath('sources[2].url')).toEqual(['sources', 2, 'url'])
    expect(parsePath('fetch.headers["a b"]')).toEqual(['fetch', 'headers', 'a b'])
  })
})

describe('resolveOptions: output limits', () => {
  it('accepts 0 as "every story" and keeps it', () => {
    const resolved = resolveOptions({
      sources: [],
      feed: { link: 'https://example.com/' },
      outputs: [{ path: 'all.xml', limit: 0 }],
    })
    expect(resolved.outputs[0]?.limit).toBe(0)
  })
})
