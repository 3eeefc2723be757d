declare module 'parse-prometheus-text-format' {
  export interface ParsedFamily {
    name: string
    help: string
    type: 'GAUGE' | 'COUNTER' | 'SUMMARY' | 'HISTOGRAM' | 'UNTYPED'
    metrics: { value: string; labels?: Record<string, string> }[]
  }
  export default function parsePrometheusTextFormat(text: string): ParsedFamily[]
}
