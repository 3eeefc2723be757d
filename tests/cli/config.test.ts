import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findConfigFile, loadConfig, mergeSourcesIntoConfig } from '../../src/cli/config.js'
import { ConfigError } from '../../src/errors.js'
import { tempDir } from '../helpers/tmp.js'

function configError(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('loading the config file', () => {
  it('loads JSON and resolves paths against the file', () => {
    const dir = tempDir()
    const file = join(dir, 'tonghop.config.json')
    writeFileSync(
      file,
      JSON.stringify({
        sources: ['feeds/a.xml'],
        feed: { link: 'https://tin.example.vn/' },
        outputs: [{ path: 'out/a.xml' }],
      }),
    )
    const { options, file: found } = loadConfig(file)
    expect(found).toBe(file)
    expect(options.baseDir).toBe(dir)
    expect(options.sources).toEqual([join(dir, 'feeds/a.xml')])
    expect(options.outputs[0]?.path).toBe(join(dir, 'out/a.xml'))
    expect(options.store).toEqual({ sqlite: join(dir, '.tonghop/state.sqlite') })
  })

  it('loads YAML with comments and Vietnamese text', () => {
    const dir = tempDir()
    const file = join(dir, 'tonghop.config.yaml')
    writeFileSync(
      file,
      [
        '# nguồn tin',
        'sources:',
        '  - url: https://baothaibinh.example.vn/rss',
        '    name: Báo Thái Bình # tên',
        'store: { sqlite: state/t.sqlite }',
        '',
      ].join('\n'),
    )
    const { options } = loadConfig(file)
    expect(options.sources).toEqual([{ url: 'https://baothaibinh.example.vn/rss', name: 'Báo Thái Bình' }])
    expect(options.store).toEqual({ sqlite: join(dir, 'state/t.sqlite') })
  })

  it('finds tonghop.config.json first, then .yaml, then .yml in the working directory', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'tonghop.config.yml'), 'sources: []\n')
    expect(findConfigFile(undefined, dir)).toBe(join(dir, 'tonghop.config.yml'))
    writeFileSync(join(dir, 'tonghop.config.yaml'), 'sources: []\n')
    expect(findConfigFile(undefined, dir)).toBe(join(dir, 'tonghop.config.yaml'))
    writeFileSync(join(dir, 'tonghop.config.json'), '{"sources": []}')
    expect(findConfigFile(undefined, dir)).toBe(join(dir, 'tonghop.config.json'))
    expect(loadConfig(undefined, { cwd: dir }).file).toBe(join(dir, 'tonghop.config.json'))
  })

  it('reports a missing file as ERR_CONFIG_NOT_FOUND', () => {
    const dir = tempDir()
    const explicit = configError(() => loadConfig(join(dir, 'nope.json')))
    expect(explicit.code).toBe('ERR_CONFIG_NOT_FOUND')
    expect(explicit.message).toContain(join(dir, 'nope.json'))
    const none = configError(() => loadConfig(undefined, { cwd: dir }))
    expect(none.code).toBe('ERR_CONFIG_NOT_FOUND')
    expect(none.message).toContain('tonghop.config.json, tonghop.config.yaml, tonghop.config.yml')
    expect(none.message).toContain('tonghop init')
  })

  it('reports bad JSON syntax with the file, line and column', () => {
    const dir = tempDir()
    const file = join(dir, 'c.json')
    writeFileSync(file, '{\n  "sources": [],\n  "fetch": { "timeout": 5, }\n}\n')
    const error = configError(() => loadConfig(file))
    expect(error.code).toBe('ERR_CONFIG_PARSE')
    expect(error.file).toBe(file)
    expect(error.message).toMatch(new RegExp(`^${file}:3:\\d+: invalid JSON`))
  })

  it('reports bad YAML syntax with the file, line and column', () => {
    const dir = tempDir()
    const file = join(dir, 'c.yaml')
    writeFileSync(file, 'sources:\n  - https://a.example.vn/rss\nfetch:\n  timeout: [1, 2\n')
    const error = configError(() => loadConfig(file))
    expect(error.code).toBe('ERR_CONFIG_PARSE')
    expect(error.message).toMatch(new RegExp(`^${file}:\\d+:\\d+: invalid YAML`))
  })

  it('reports duplicate YAML keys as a syntax error', () => {
    const dir = tempDir()
    const file = join(dir, 'c.yaml')
    writeFileSync(file, 'sources: []\nsources: []\n')
    const error = configError(() => loadConfig(file))
    expect(error.code).toBe('ERR_CONFIG_PARSE')
    expect(error.message).toContain(`${file}:2:1`)
  })

  it('reports an invalid YAML field with file, line, column, path and what was expected', () => {
    const dir = tempDir()
    const file = join(dir, 'c.yaml')
    writeFileSync(file, 'sources:\n  - https://a.example.vn/rss\nfetch:\n  concurrency: 0\n')
    const error = configError(() => loadConfig(file))
    expect(error.code).toBe('ERR_CONFIG_INVALID')
    expect(error.path).toBe('fetch.concurrency')
    expect(error.file).toBe(file)
    expect(error.message).toBe(`${file}:4:16: Expected \`fetch.concurrency\` to be an integer ≥ 1, got \`0\``)
  })

  it('reports an invalid JSON field with its line', () => {
    const dir = tempDir()
    const file = join(dir, 'c.json')
    writeFileSync(file, '{\n  "sources": [\n    "https://a.example.vn/rss",\n    { "name": "x" }\n  ]\n}\n')
    const error = configError(() => loadConfig(file))
    expect(error.code).toBe('ERR_CONFIG_INVALID')
    expect(error.path).toBe('sources[1].url')
    // the missing field points at the object that lacks it
    expect(error.message).toMatch(new RegExp(`^${file}:4:5: Missing required field \`sources\\[1\\]\\.url\``))
  })

  it('points at an unknown field', () => {
    const dir = tempDir()
    const file = join(dir, 'c.yaml')
    writeFileSync(file, 'sources: []\n\nsourcse: []\n')
    const error = configError(() => loadConfig(file))
    expect(error.message).toBe(`${file}:3:10: Unknown field \`sourcse\` at the top level (did you mean \`sources\`?)`)
  })

  it('rejects an empty file and a file that is not a mapping', () => {
    const dir = tempDir()
    const empty = join(dir, 'empty.yaml')
    writeFileSync(empty, '# nothing yet\n')
    expect(configError(() => loadConfig(empty)).message).toContain('an empty document')
    const list = join(dir, 'list.json')
    writeFileSync(list, '["https://a.example.vn/rss"]')
    expect(configError(() => loadConfig(list)).code).toBe('ERR_CONFIG_INVALID')
  })

  it('applies an override (the --store flag) before validating', () => {
    const dir = tempDir()
    const file = join(dir, 'c.json')
    writeFileSync(file, '{"sources": [], "store": {"sqlite": "a.sqlite"}}')
    const { options } = loadConfig(file, {
      override: (data) => {
        data.store = { memory: true }
      },
    })
    expect(options.store).toEqual({ memory: true })
  })
})

describe('merging sources into a config', () => {
  it('adds new sources to a YAML file and keeps its comments', () => {
    const dir = tempDir()
    const file = join(dir, 'c.yaml')
    writeFileSync(file, '# my feeds\nsources:\n  - https://a.example.vn/rss # keep\n')
    const added = mergeSourcesIntoConfig(file, [
      { url: 'https://a.example.vn/rss' },
      { url: 'https://b.example.vn/rss', name: 'Báo B' },
    ])
    expect(added).toBe(1)
    const text = readFileSync(file, 'utf8')
    expect(text).toContain('# my feeds')
    expect(text).toContain('# keep')
    expect(loadConfig(file).options.sources).toEqual([
      'https://a.example.vn/rss',
      { url: 'https://b.example.vn/rss', name: 'Báo B' },
    ])
  })

  it('adds new sources to a JSON file', () => {
    const dir = tempDir()
    const file = join(dir, 'c.json')
    writeFileSync(file, '{"sources": ["https://a.example.vn/rss"]}')
    expect(mergeSourcesIntoConfig(file, [{ url: 'https://b.example.vn/rss' }])).toBe(1)
    expect(JSON.parse(readFileSync(file, 'utf8')).sources).toEqual([
      'https://a.example.vn/rss',
      'https://b.example.vn/rss',
    ])
  })

  it('refuses to merge into an OPML-based config', () => {
    const dir = tempDir()
    const file = join(dir, 'c.json')
    writeFileSync(file, '{"sources": {"opml": "feeds.opml"}}')
    expect(configError(() => mergeSourcesIntoConfig(file, [{ url: 'https://b.example.vn/rss' }])).path).toBe('sources')
  })
})
