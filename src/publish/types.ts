import type { OutputFormat } from '../types.js'

export interface RenderOptions {
  format: OutputFormat
  title: string
  /** The site the merged feed belongs to. */
  link: string
  /** Where this output will be served (atom:link rel="self"). */
  feedUrl?: string
  description?: string
  language?: string
  /** Newest stories kept. @default 100 */
  limit?: number
  /** Visible credit line appended to each item: `{name}` is the original publisher. @default 'Theo {name}' */
  creditTemplate?: string
  /** Links to the other outputs (the HTML page advertises them with <link rel="alternate">). */
  alternates?: { format: OutputFormat; href: string }[]
}

export interface OutputFilter {
  sources?: string[]
  categories?: string[]
  keywords?: string[]
  /** ISO date or duration in ms: only stories published since then. */
  since?: string | number
}

export interface OutputOptions {
  path: string
  format: OutputFormat
  title?: string
  link?: string
  limit?: number
  filter?: OutputFilter
}
