#!/usr/bin/env node
/**
 * The `tonghop` command. Only node: built-ins are imported up front, so `--version` and `--help` start fast;
 * each command loads what it needs. Exit codes: see exit-codes.ts.
 */
import { parseArgs } from 'node:util'
import { VERSION } from '../version.js'
import { dropSqliteWarning } from './quiet-warnings.js'

dropSqliteWarning()

const HELP = `tonghop — aggregate Vietnamese provincial news feeds into merged, credited feeds

Usage:
  tonghop run [--config <file>] [--dry-run] [--json] [--strict] [--quiet|--verbose] [--store <path|url>]
  tonghop run --worker [--interval <seconds>]    keep running rounds until SIGTERM/SIGINT
  tonghop run --metrics <file>                   also write the run's numbers for node_exporter (Prometheus text)
  tonghop status [<source-id>] [--json] [--all] [--stale-days <n>] [--config <file>] [--store <path|url>]
  tonghop init [<file>] [--format yaml|json] [--force]
  tonghop check <url|file> [--full] [--json] [--allow-private] [--time-zone <zone>]
  tonghop extract <article-url|file> [--config <file>] [--allow-private]   one page → its Article as JSON
  tonghop discover <page-url> [--json] [--allow-private]
  tonghop import-opml <file|url> [--merge [--config <file>]]
  tonghop export-opml [--config <file>]
  tonghop --version | --help

Options:
  -c, --config <file>   config file (JSON or YAML); default ./tonghop.config.json, .yaml, .yml
      --dry-run         fetch and process, but write no output and leave the state as it was
      --json            print the run report (or check's articles) as JSON on stdout
      --strict          exit 3 when some sources or outputs failed
  -q, --quiet           log errors only
  -v, --verbose         log debug details
      --store <s>       state store, overriding the config: an SQLite path, postgres://…, or memory
      --worker          long-running: a round every --interval seconds (default 300)
      --interval <s>    seconds between the starts of two worker rounds
      --metrics <file>  write the run's metrics there atomically (node_exporter's textfile collector)
      --no-thread       run in the main thread, not a thread of its own (about 100 MiB more at 1,000 feeds)
      --full            check: also fetch each item's page and show what extraction gives (rule, lengths, fields)
      --all             status: list every source, not only the failing, stale, retired and moved ones
      --stale-days <n>  status: a daily source is stale after n days without a new item (default: health.staleDays, 3)

Exit codes:
  0 ok · 1 failed (run failed, or every source/output failed) · 2 config or usage error
  3 partial with --strict, or status found a failing or stale source · 75 another run holds the lock

Logs go to stderr (JSON lines, or a progress line on a terminal); stdout carries only --json and check output.
`

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  strict: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  store: { type: 'string' },
  worker: { type: 'boolean' },
  interval: { type: 'string' },
  metrics: { type: 'string' },
  'no-thread': { type: 'boolean' },
  all: { type: 'boolean' },
  'stale-days': { type: 'string' },
  format: { type: 'string' },
  force: { type: 'boolean' },
  merge: { type: 'boolean' },
  'allow-private': { type: 'boolean' },
  full: { type: 'boolean' },
  'time-zone': { type: 'string' },
  version: { type: 'boolean', short: 'V' },
  help: { type: 'boolean', short: 'h' },
} as const

function usage(message: string): number {
  process.stderr.write(`tonghop: ${message}\nRun \`tonghop --help\` for usage.\n`)
  return 2
}

type Parsed = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>
type Values = Parsed['values']
/** The options every command may take. */
type Common = ReturnType<typeof commonOf>

function commonOf(v: Values) {
  return {
    ...(v.config === undefined ? {} : { config: v.config }),
    ...(v.json ? { json: true } : {}),
    ...(v.quiet ? { quiet: true } : {}),
    ...(v.verbose ? { verbose: true } : {}),
    ...(v['allow-private'] ? { allowPrivate: true } : {}),
    ...(v['time-zone'] === undefined ? {} : { timeZone: v['time-zone'] }),
    ...(v.merge ? { merge: true } : {}),
    ...(v.full ? { full: true } : {}),
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed: Parsed
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    return usage((error as Error).message)
  }
  const { values: v, positionals } = parsed
  if (v.version) {
    process.stdout.write(`${VERSION}\n`)
    return 0
  }
  const [command, ...args] = positionals
  if (v.help || command === 'help') {
    process.stdout.write(HELP)
    return 0
  }
  if (command === undefined) {
    process.stderr.write(HELP)
    return 2
  }
  if (v.quiet && v.verbose) return usage('--quiet and --verbose exclude each other')
  if (v['no-thread'] && command !== 'run') return usage('--no-thread only applies to `run`')
  const common = commonOf(v)
  const arity = (n: number, what: string) =>
    args.length === n ? undefined : usage(`\`${command}\` takes ${what}, got ${args.length ? args.join(' ') : 'none'}`)

  switch (command) {
    case 'run':
      return arity(0, 'no arguments') ?? run(v, common)
    case 'status':
      return status(v, args, common)
    case 'init':
      return init(v, args)
    case 'check': {
      const bad = arity(1, 'one feed URL or file')
      if (bad !== undefined) return bad
      const { checkCommand } = await import('./tools.js')
      return checkCommand(args[0]!, common)
    }
    case 'extract': {
      const bad = arity(1, 'one article URL or file')
      if (bad !== undefined) return bad
      const { extractCommand } = await import('./extract.js')
      return extractCommand(args[0]!, common)
    }
    case 'discover': {
      const bad = arity(1, 'one page URL')
      if (bad !== undefined) return bad
      const { discoverCommand } = await import('./tools.js')
      return discoverCommand(args[0]!, common)
    }
    case 'import-opml': {
      const bad = arity(1, 'one OPML file or URL')
      if (bad !== undefined) return bad
      const { importOpmlCommand } = await import('./tools.js')
      return importOpmlCommand(args[0]!, common)
    }
    case 'export-opml': {
      const bad = arity(0, 'no arguments')
      if (bad !== undefined) return bad
      const { exportOpmlCommand } = await import('./tools.js')
      return exportOpmlCommand(common)
    }
    default:
      return usage(`unknown command \`${command}\``)
  }
}

async function run(v: Values, common: Common): Promise<number> {
  let interval: number | undefined
  if (v.interval !== undefined) {
    interval = Number(v.interval)
    if (!Number.isFinite(interval) || interval <= 0) return usage(`--interval expects seconds > 0, got ${v.interval}`)
    if (!v.worker) return usage('--interval only applies with --worker')
  }
  const flags = {
    ...common,
    ...(v['dry-run'] ? { dryRun: true } : {}),
    ...(v.strict ? { strict: true } : {}),
    ...(v.store === undefined ? {} : { store: v.store }),
    ...(v.worker ? { worker: true } : {}),
    ...(interval === undefined ? {} : { interval }),
    ...(v.metrics === undefined ? {} : { metrics: v.metrics }),
  }
  // in a thread of its own (a small young generation: see thread.ts), unless --no-thread (or TONGHOP_RUN_THREAD=0)
  const { runInThread, wantsRunThread } = await import('./thread.js')
  if (wantsRunThread(v['no-thread'])) {
    const threaded = runInThread(flags, VERSION)
    if (threaded) return threaded
  }
  const { runCommand } = await import('./run.js')
  return runCommand(flags, VERSION)
}

async function status(v: Values, args: string[], common: Common): Promise<number> {
  if (args.length > 1) return usage('`status` takes at most one source id')
  let staleDays: number | undefined
  if (v['stale-days'] !== undefined) {
    staleDays = Number(v['stale-days'])
    if (!Number.isInteger(staleDays) || staleDays < 1)
      return usage(`--stale-days expects an integer ≥ 1, got ${v['stale-days']}`)
  }
  const { statusCommand } = await import('./status.js')
  return statusCommand(args[0], {
    ...common,
    ...(v.store === undefined ? {} : { store: v.store }),
    ...(v.all ? { all: true } : {}),
    ...(staleDays === undefined ? {} : { staleDays }),
  })
}

async function init(v: Values, args: string[]): Promise<number> {
  if (args.length > 1) return usage('`init` takes at most one file name')
  const format = v.format ?? (args[0] && /\.json$/i.test(args[0]) ? 'json' : 'yaml')
  if (format !== 'yaml' && format !== 'json') return usage(`--format expects yaml or json, got ${format}`)
  const { defaultInitFile, writeStarterConfig } = await import('./init.js')
  const file = args[0] ?? v.config ?? defaultInitFile(format)
  try {
    const path = writeStarterConfig(file, format, { ...(v.force ? { force: true } : {}) })
    process.stderr.write(`tonghop: wrote ${path}; edit its sources, then run \`tonghop run --config ${file}\`\n`)
    return 0
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    process.stderr.write(
      code === 'EEXIST'
        ? `tonghop: ${file} exists; use --force to replace it\n`
        : `tonghop: cannot write ${file}: ${(error as Error).message}\n`,
    )
    return 1
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
    // Leave even if a library left a handle open (keep-alive sockets, timers); the unref'd timer never holds us.
    setTimeout(() => process.exit(code), 2000).unref()
  },
  (error: unknown) => {
    process.stderr.write(`tonghop: internal error: ${(error as Error)?.stack ?? String(error)}\n`)
    process.exit(1)
  },
)
