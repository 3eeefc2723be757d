/**
 * `tonghop run --metrics <file>`: the Prometheus text file node_exporter reads, checked with a real parser against the
 * run report of the same run (a loopback server, an SQLite store).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliReport } from '../src/cli/report.js'
import { runCommand } from '../src/cli/run.js'
import { renderMetrics } from '../src/metrics.js'
import { rssFeed } from './helpers/feeds.js'
import { serve, startServer, type TestServer } from './helpers/server.js'
import { tempDir } from './helpers/tmp.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const noSignals = () => () => {}

function parse(text: string) {
  const families = parsePrometheusTextFormat(text)
  const value = (name: string, labels: Record<string, string> = {}) => {
    const family = families.find((f) => f.name === name)
    const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    return sample === undefined ? undefined : Number(sample.value)
  }
  return { families, value }
}

describe('tonghop run --metrics', () => {
  it('writes a file the Prometheus parser reads, whose numbers are the run report’s', async () => {
    const dir = tempDir()
    const now = Date.now()
    const items = (from: number) =>
      Array.from({ length: 3 }, (_, i) => ({ n: from + i, published: new Date(now - (i + 1) * 3_600_000) }))
    server.route('/a.rss', serve(rssFeed(server.origin, 'a', items(0))))
    server.route('/b.rss', serve(rssFeed(server.origin, 'b', items(10))))
    server.route('/down.rss', (_req, res) => void res.writeHead(503).end('down'))
    const config = join(dir, 'tonghop.config.json')
    writeFileSync(
      config,
      JSON.stringify({
        sources: [
          { id: 'a', url: `${server.origin}/a.rss` },
          { id: 'b.thai-binh:1', url: `${server.origin}/b.rss` },
          { id: 'down', url: `${server.origin}/down.rss` },
          { id: 'missing', url: `${server.origin}/missing.rss` },
        ],
        feed: { title: 'Tổng hợp', link: 'https://example.com/' },
        outputs: [{ path: 'out/merged.json' }],
        store: { sqlite: 'state.sqlite' },
        fetch: { allowHosts: [server.host], minHostInterval: 0, retries: 0 },
      }),
    )
    const metricsFile = join(dir, 'textfile', 'tonghop.prom')
    mkdirSync(join(dir, 'textfile'))
    const code = await runCommand({ config, quiet: true, metrics: metricsFile }, 'test', noSignals)
    expect(code).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'out', 'tonghop-report.json'), 'utf8')) as CliReport
    const m = report.metrics!
    expect(m.sources).toMatchObject({ ok: 2, failed: 2 })
    expect(m.stories.new).toBe(6)
    expect(m.bytes).toBeGreaterThan(0)

    const text = readFileSync(metricsFile, 'utf8')
    expect(readdirSync(join(dir, 'textfile'))).toEqual(['tonghop.prom']) // no temp file left behind
    const { families, value } = parse(text)
    expect(families.every((f) => f.type === 'GAUGE')).toBe(true)
    expect(value('tonghop_run_success')).toBe(1)
    expect(value('tonghop_run_exit_code')).toBe(0)
    for (const [status, n] of Object.entries(m.sources))
      expect([status, value('tonghop_run_sources', { status })]).toEqual([status, n])
    expect(value('tonghop_run_source_errors', { code: 'ERR_FETCH_HTTP_STATUS' })).toBe(m.codes.ERR_FETCH_HTTP_STATUS)
    expect(m.codes.ERR_FETCH_HTTP_STATUS).toBe(2)
    for (const [code, n] of Object.entries(m.httpStatus)) expect(value('tonghop_run_http_responses', { code })).toBe(n)
    expect(m.httpStatus).toEqual({ '200': 2, '503': 1, '404': 1 })
    for (const [kind, n] of Object.entries(m.items)) expect(value('tonghop_run_items', { kind })).toBe(n)
    for (const [kind, n] of Object.entries(report.totals.stories))
      expect(value('tonghop_run_stories', { kind })).toBe(n)
    for (const [result, n] of Object.entries(m.outputs)) expect(value('tonghop_run_outputs', { result })).toBe(n)
    expect(value('tonghop_run_bytes')).toBe(m.bytes)
    expect(value('tonghop_run_duration_seconds')).toBe(m.durationMs / 1000)
    expect(value('tonghop_run_finished_timestamp_seconds')).toBe(Date.parse(report.finishedAt) / 1000)
    expect(value('tonghop_source_up', { source: 'b.thai-binh:1' })).toBe(1)
    expect(value('tonghop_source_up', { source: 'down' })).toBe(0)
    // the totals the report always had agree with the metrics
    expect(m.items.new).toBe(report.totals.items.new)
    expect(m.sources.failed).toBe(report.totals.byStatus.failed)
  })

  it('still says the run failed when there is no report (a run-level failure)', () => {
    const { value, families } = parse(
      renderMetrics(undefined, { exitCode: 1, finishedAt: new Date(1_700_000_000_000) }),
    )
    expect(families.map((f) => f.name)).toEqual([
      'tonghop_run_success',
      'tonghop_run_exit_code',
      'tonghop_run_finished_timestamp_seconds',
    ])
    expect(value('tonghop_run_success')).toBe(0)
    expect(value('tonghop_run_exit_code')).toBe(1)
    expect(value('tonghop_run_finished_timestamp_seconds')).toBe(1_700_000_000)
  })
})
