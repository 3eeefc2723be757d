/**
 * `npm start`'s job: the built CLI on the bundled examples (a copy of examples/, so the tree stays clean). Every output
 * parses back with a real parser, the seed story is there once — credited to Báo Thái Bình and listing the outlets that
 * carried copies — and a second run keeps one copy of each story in the SQLite file and leaves the outputs alone.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import Parser from 'rss-parser'
import { SaxesParser } from 'saxes'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tmp.js'

const root = resolve(import.meta.dirname, '../..')
const cli = process.env.TONGHOP_CLI ? resolve(process.env.TONGHOP_CLI) : join(root, 'dist/cli.js')
const SEED_TITLE = 'Họp Ban Hội nhập kinh tế quốc tế tỉnh'

function run(cwd: string) {
  return spawnSync(process.execPath, [cli, 'run', '--config', 'examples/tonghop.config.json', '--quiet'], {
    cwd,
    encoding: 'utf8',
  })
}

function wellFormed(xml: string): void {
  const parser = new SaxesParser({ xmlns: true })
  parser.on('error', (error) => {
    throw error
  })
  parser.write(xml).close()
}

function storyCount(dir: string): number {
  const db = new DatabaseSync(join(dir, 'out/tonghop.sqlite'), { readOnly: true })
  try {
    return Number((db.prepare('SELECT count(*) AS n FROM story').get() as { n: number }).n)
  } finally {
    db.close()
  }
}

describe.skipIf(!existsSync(cli))('the bundled examples (npm start)', () => {
  const dir = tempDir()
  cpSync(join(root, 'examples'), join(dir, 'examples'), { recursive: true })

  it('writes RSS, Atom, JSON Feed and HTML with the seed story once, credited, with its copies', async () => {
    const first = run(dir)
    expect(first.status, first.stderr).toBe(0)

    const rss = readFileSync(join(dir, 'out/merged.xml'), 'utf8')
    wellFormed(rss)
    const parsed = await new Parser<Record<string, unknown>, { source: unknown; 'content:encoded': string }>({
      customFields: { item: ['source', 'content:encoded'] },
    }).parseString(rss)
    const seedItems = parsed.items.filter((i) => i.title === SEED_TITLE)
    expect(seedItems).toHaveLength(1)
    expect(seedItems[0]?.link).toBe('https://baothaibinh.com.vn/tin-tuc/4/104512/hop-ban-hoi-nhap-kinh-te-quoc-te-tinh')
    expect(seedItems[0]?.['content:encoded']).toContain('Theo Báo Thái Bình')
    expect(seedItems[0]?.['content:encoded']).toContain('Cũng đăng trên')
    expect(rss).toContain('<source url="https://baothaibinh.com.vn')

    const atom = readFileSync(join(dir, 'out/merged.atom'), 'utf8')
    wellFormed(atom)
    expect(atom.split(`<![CDATA[${SEED_TITLE}]]></title>`).length - 1).toBe(1)
    expect((atom.match(/<entry[\s>]/g) ?? []).length).toBe(parsed.items.length)

    const json = JSON.parse(readFileSync(join(dir, 'out/merged.json'), 'utf8')) as {
      version: string
      items: {
        title: string
        content_html: string
        authors?: unknown
        _tonghop: { credit: { name: string }; alsoPublishedBy: { name: string }[] }
      }[]
    }
    expect(json.version).toBe('https://jsonfeed.org/version/1.1')
    const seed = json.items.filter((i) => i.title === SEED_TITLE)
    expect(seed).toHaveLength(1)
    expect(seed[0]?._tonghop.credit.name).toBe('Báo Thái Bình')
    // "Cũng đăng trên" names outlets, one entry each, never a feed's section title: the portal's two feeds ("Cổng
    // TTĐT tỉnh Thái Bình" and "… - Kinh tế") are one outlet; "Tin địa phương" ("local news") is a section title,
    // so that aggregator is named by its host.
    const carriers = seed[0]?._tonghop.alsoPublishedBy.map((o) => o.name) ?? []
    expect([...carriers].sort()).toEqual(['Cổng TTĐT tỉnh Thái Bình', 'Huyện Kiến Xương', 'tindiaphuong.example.vn'])
    expect(seed[0]?.content_html).toMatch(/Cũng đăng trên: .*Cổng TTĐT tỉnh Thái Bình/)
    expect(rss).not.toContain('Tin địa phương<')
    expect(rss).not.toContain('Cổng TTĐT tỉnh Thái Bình - Kinh tế')
    // two provinces' identically titled meetings stay two stories
    expect(json.items.filter((i) => i.title === 'Hội nghị tổng kết công tác dân vận năm 2016')).toHaveLength(2)

    // the teaser-only feed's story is the whole article, built from its saved page (extract.localPages)
    const bridge = json.items.find((i) => i.title === 'Khởi công cầu Hưng Hà nối Thái Bình với Hưng Yên')
    expect(bridge?.content_html).toContain('Cầu Hưng Hà dài 1,2 km')
    expect(bridge?.content_html).toContain('<figcaption>')

    const html = readFileSync(join(dir, 'out/index.html'), 'utf8')
    expect(html).toContain(SEED_TITLE)
    expect(html).not.toMatch(/<script/i)
  })

  it('keeps one copy of each story across runs and leaves unchanged outputs alone', () => {
    const stories = storyCount(dir)
    const before = statSync(join(dir, 'out/merged.xml')).mtimeMs
    const second = run(dir)
    expect(second.status, second.stderr).toBe(0)
    expect(storyCount(dir)).toBe(stories)
    expect(stories).toBe(8)
    expect(statSync(join(dir, 'out/merged.xml')).mtimeMs).toBe(before)
  })
})
