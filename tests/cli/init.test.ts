import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/cli/config.js'
import { STARTER_JSON, STARTER_YAML, writeStarterConfig } from '../../src/cli/init.js'
import { tempDir } from '../helpers/tmp.js'

describe('tonghop init', () => {
  it('writes a commented YAML starter that parses and validates', () => {
    const dir = tempDir()
    const file = writeStarterConfig('tonghop.config.yaml', 'yaml', { cwd: dir })
    const text = readFileSync(file, 'utf8')
    expect(text).toBe(STARTER_YAML)
    expect(text).toContain('# yaml-language-server: $schema=')
    expect(text.split('\n').filter((l) => l.trim().startsWith('#')).length).toBeGreaterThan(10)
    const { options } = loadConfig(file)
    expect(options.outputs.map((o) => o.format)).toEqual(['rss', 'atom', 'json', 'html'])
    expect(options.store).toEqual({ sqlite: join(dir, '.tonghop/state.sqlite') })
    expect(options.feed.language).toBe('vi')
  })

  it('writes a JSON starter with $schema that validates to the same options', () => {
    const dir = tempDir()
    const json = loadConfig(writeStarterConfig('tonghop.config.json', 'json', { cwd: dir })).options
    const yaml = loadConfig(writeStarterConfig('tonghop.config.yaml', 'yaml', { cwd: dir })).options
    expect(JSON.parse(STARTER_JSON).$schema).toContain('schema/tonghop.config.schema.json')
    expect({ ...json, now: null, logger: null }).toEqual({ ...yaml, now: null, logger: null })
  })

  it('never replaces an existing config unless forced', () => {
    const dir = tempDir()
    const file = join(dir, 'tonghop.config.yaml')
    writeFileSync(file, 'sources: []\n')
    expect(() => writeStarterConfig(file, 'yaml')).toThrow(expect.objectContaining({ code: 'EEXIST' }))
    expect(readFileSync(file, 'utf8')).toBe('sources: []\n')
    writeStarterConfig(file, 'yaml', { force: true })
    expect(readFileSync(file, 'utf8')).toBe(STARTER_YAML)
  })
})
