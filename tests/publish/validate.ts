import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import formats from 'ajv-formats'
import Parser from 'rss-parser'
import { SaxesParser } from 'saxes'
import { tempDir } from '../helpers/tmp.js'

const root = join(import.meta.dirname, '../..')
export const ATOM_RNC = join(root, 'tests/fixtures/publish/atom.rnc')
export const JSON_FEED_SCHEMA = join(root, 'schema/jsonfeed-1.1.schema.json')

export interface XmlNode {
  name: string
  attributes: Record<string, string>
  children: XmlNode[]
  text: string
}

/** Strict XML parse (saxes, namespaces on); throws on any well-formedness error. Returns the element tree. */
export function parseXml(xml: string): XmlNode {
  const parser = new SaxesParser({ xmlns: true })
  const stack: XmlNode[] = []
  let rootNode: XmlNode | undefined
  parser.on('error', (error) => {
    throw error
  })
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {}
    for (const [name, attr] of Object.entries(tag.attributes))
      attributes[name] = typeof attr === 'string' ? attr : attr.value
    const node: XmlNode = { name: tag.name, attributes, children: [], text: '' }
    stack.at(-1)?.children.push(node)
    stack.push(node)
    rootNode ??= node
  })
  parser.on('closetag', () => void stack.pop())
  parser.on('text', (text) => {
    const top = stack.at(-1)
    if (top) top.text += text
  })
  parser.on('cdata', (text) => {
    const top = stack.at(-1)
    if (top) top.text += text
  })
  parser.write(xml).close()
  if (!rootNode) throw new Error('no root element')
  return rootNode
}

export function findAll(node: XmlNode, name: string): XmlNode[] {
  const out: XmlNode[] = []
  const walk = (n: XmlNode) => {
    if (n.name === name) out.push(n)
    n.children.forEach(walk)
  }
  walk(node)
  return out
}

export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name)
}

export const hasJing = spawnSync('jing', [], { stdio: 'ignore' }).error === undefined

/** Validate Atom XML against RFC 4287's RELAX NG schema with jing; returns jing's error lines (empty when valid). */
export function jingErrors(xml: string): string[] {
  const file = join(tempDir('tonghop-jing-'), 'feed.atom')
  writeFileSync(file, xml)
  try {
    execFileSync('jing', ['-c', ATOM_RNC, file], { stdio: ['ignore', 'pipe', 'pipe'] })
    return []
  } catch (error) {
    const out =
      String((error as { stdout?: Buffer }).stdout ?? '') + String((error as { stderr?: Buffer }).stderr ?? '')
    return out.split('\n').filter((line) => line.includes('error'))
  }
}

let ajvValidate: ValidateFunction | undefined
/** Validate against schema/jsonfeed-1.1.schema.json; returns ajv's errors (empty when valid). */
export function jsonFeedErrors(feed: unknown): string[] {
  if (!ajvValidate) {
    const ajv = new Ajv({ allErrors: true, strict: false })
    const addFormats = ((formats as unknown as { default?: unknown }).default ?? formats) as (a: Ajv) => void
    addFormats(ajv)
    ajvValidate = ajv.compile(JSON.parse(readFileSync(JSON_FEED_SCHEMA, 'utf8')))
  }
  return ajvValidate(feed) ? [] : (ajvValidate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
}

export type RssItem = Parser.Item & {
  'content:encoded'?: string
  'dc:creator'?: string
  source?: string
  enclosure?: { url: string; type?: string; length?: string }
  'media:content'?: { $: Record<string, string>; 'media:credit'?: ({ _: string } | string)[] }[]
}

export async function parseRss(xml: string) {
  const parser = new Parser<Record<string, unknown>, RssItem>({
    customFields: { item: ['source', ['media:content', 'media:content', { keepArray: true }], 'dc:creator'] },
  })
  return parser.parseString(xml)
}
