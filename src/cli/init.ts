/** `tonghop init`: a commented starter config (YAML, or JSON with a `$schema` for editor completion). */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

export type InitFormat = 'yaml' | 'json'

const SCHEMA = './node_modules/tonghop/schema/tonghop.config.schema.json'

export const STARTER_YAML = `# yaml-language-server: $schema=${SCHEMA}
# tonghop config. Relative paths are relative to this file; durations are in ms, sizes in bytes.
# Every field is described in ${SCHEMA}.
# Try it:  npx tonghop run --config tonghop.config.yaml --dry-run

# The feeds to aggregate: URLs, local files, or objects with per-source settings.
# (Or read them from an OPML file instead:  sources: { opml: feeds.opml })
sources:
  - https://www.example.com/rss/thoi-su.rss
  - url: https://www.example.com/rss/kinh-te.rss
    id: example-kinh-te          # stable id: everything remembered about the feed is keyed by it
    name: Báo Example – Kinh tế
    credit: Báo Example          # who to credit when an item names nobody else
    # timeZone: Asia/Ho_Chi_Minh # zone for dates written without one

# The merged feeds to write. The format follows the extension (.xml rss, .atom, .json, .html)
# or is set with \`format\`. Each output may filter: { categories, keywords, sources, since }.
outputs:
  - path: out/merged.xml
  - path: out/merged.atom
  - path: out/merged.json
  - path: out/index.html
  # - path: out/thai-binh.xml
  #   title: Tin Thái Bình
  #   filter: { keywords: [Thái Bình] }
  #   limit: 50

# Channel metadata shared by every output.
feed:
  title: Tin tổng hợp
  link: https://www.example.com/   # the website the merged feed belongs to (required by RSS)
  language: vi

# State between runs (HTTP validators, stories seen). The run lock is <file>.lock beside it.
# For several workers sharing one database:  store: { postgres: postgres://user@host/db }
store:
  sqlite: .tonghop/state.sqlite

fetch:
  concurrency: 8    # requests in flight across all hosts
  perHost: 2        # requests in flight to one host
  timeout: 30000    # whole-request deadline, ms

publish:
  creditTemplate: Theo {name}   # the visible credit line under every story

# Stories published more than this many days ago are forgotten after each run.
retention:
  days: 30
`

export const STARTER_JSON = `${JSON.stringify(
  {
    $schema: SCHEMA,
    sources: [
      'https://www.example.com/rss/thoi-su.rss',
      {
        url: 'https://www.example.com/rss/kinh-te.rss',
        id: 'example-kinh-te',
        name: 'Báo Example – Kinh tế',
        credit: 'Báo Example',
      },
    ],
    outputs: [
      { path: 'out/merged.xml' },
      { path: 'out/merged.atom' },
      { path: 'out/merged.json' },
      { path: 'out/index.html' },
    ],
    feed: { title: 'Tin tổng hợp', link: 'https://www.example.com/', language: 'vi' },
    store: { sqlite: '.tonghop/state.sqlite' },
    fetch: { concurrency: 8, perHost: 2, timeout: 30000 },
    publish: { creditTemplate: 'Theo {name}' },
    retention: { days: 30 },
  },
  null,
  2,
)}\n`

export function defaultInitFile(format: InitFormat): string {
  return format === 'json' ? 'tonghop.config.json' : 'tonghop.config.yaml'
}

/** Write the starter config; refuses to replace an existing file unless `force`. Returns the absolute path. */
export function writeStarterConfig(
  file: string,
  format: InitFormat,
  options: { force?: boolean; cwd?: string } = {},
): string {
  const path = resolve(options.cwd ?? process.cwd(), file)
  mkdirSync(dirname(path), { recursive: true })
  const fd = openSync(path, options.force ? 'w' : 'wx', 0o644)
  try {
    writeSync(fd, format === 'json' ? STARTER_JSON : STARTER_YAML)
  } finally {
    closeSync(fd)
  }
  return path
}
