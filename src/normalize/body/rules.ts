/**
 * Which elements a body leaves out or reads as captions, before any block is made: the junk class and id pattern
 * (ads, share bars, related boxes), the caption classes, and a source's own `remove` and `captionSelector` rules.
 */

import { detach } from '../../internal/detach.js'
import type { SourceRules } from '../../types.js'
import { compileSelectors, type SelectorMatcher } from '../selectors.js'

const CAPTION_CLASSES = new Set([
  'photocms_caption',
  'caption',
  'image-caption',
  'image_caption',
  'imagecaption',
  'img-caption',
  'img_caption',
  'imgcaption',
  'photo-caption',
  'photo_caption',
  'expnoedit',
  'fig-caption',
  'figcaption',
  'figure-caption',
  'caption-image',
  'image_desc',
  'image-desc',
  'img-desc',
  'desc_image',
  'pcaption',
  'picture-caption',
  'tplcaption',
  'note-image',
  'image',
  'nbox-caption',
])

const JUNK_WORD =
  'ads?|adv|adverts?|advertisement|advertising|adsbygoogle|banners?|quang-?cao|qc|sponsor(?:ed)?|share|sharing|shares|social|socials|sociallinks?|related|relate|lienquan|tinlienquan|tin-?lien-?quan|tags?|taglist|keywords?|print|comments?|fb|likebox|zalo|outbrain|taboola|newsletter|subscribe|breadcrumbs?|toolbar|readmore|read-more|xemthem|xem-?them'
const JUNK_AFFIX =
  'box|block|wrap|wrapper|inner|widget|zone|area|section|list|links?|buttons?|btns?|bar|tools?|icons?|items?|container|content|holder|slot|unit|inread|inpage|article|detail|post|news|top|bottom|right|left|mid|mobile|pc|main|the|in|inline|plugin|like|follow|\\d+|[a-z]'
const JUNK_TOKEN = new RegExp(`^(?:(?:${JUNK_AFFIX})[-_]?)*(?:${JUNK_WORD})(?:[-_]?(?:${JUNK_AFFIX}))*$`, 'i')

/** Per-value answers of the attribute tests below: bodies repeat a handful of class and style values. */
const MEMO_LIMIT = 4096
const junkIds = new Map<string, boolean>()
const junkClasses = new Map<string, boolean>()
const captionClasses = new Map<string, boolean>()

export function memo<T>(cache: Map<string, T>, key: string, compute: (key: string) => T): T {
  const known = cache.get(key)
  if (known !== undefined || cache.has(key)) return known as T
  const value = compute(key)
  if (cache.size < MEMO_LIMIT) cache.set(detach(key), value)
  return value
}

function isJunkClass(cls: string): boolean {
  for (const token of cls.split(/\s+/)) if (token !== '' && JUNK_TOKEN.test(token)) return true
  return false
}

function isJunkId(id: string): boolean {
  return JUNK_TOKEN.test(id)
}

function isJunk(attrs: Record<string, string>): boolean {
  const id = attrs.id
  if (id !== undefined && memo(junkIds, id, isJunkId)) return true
  const cls = attrs.class
  if (cls === undefined) return false
  return memo(junkClasses, cls, isJunkClass)
}

function isCaptionClass(cls: string): boolean {
  for (const token of cls.toLowerCase().split(/\s+/)) if (CAPTION_CLASSES.has(token)) return true
  return false
}

export function hasCaptionClass(attrs: Record<string, string>): boolean {
  const cls = attrs.class
  if (cls === undefined) return false
  return memo(captionClasses, cls, isCaptionClass)
}

interface CompiledRules {
  remove?: SelectorMatcher
  captionMatcher?: SelectorMatcher
}

const compiled = new WeakMap<SourceRules, CompiledRules>()

/** Selectors of a source's rules, compiled once per rules object (every item of a feed shares it). */
export function compiledRules(rules: SourceRules | undefined): CompiledRules {
  if (rules === undefined) return {}
  let c = compiled.get(rules)
  if (c === undefined) {
    const remove = compileSelectors(rules.remove ?? [])
    const captionMatcher = rules.captionSelector === undefined ? undefined : compileSelectors([rules.captionSelector])
    c = { ...(remove === undefined ? {} : { remove }), ...(captionMatcher === undefined ? {} : { captionMatcher }) }
    compiled.set(rules, c)
  }
  return c
}

export function dropJunk(_name: string, attrs: Record<string, string>): boolean {
  return isJunk(attrs)
}

const dropWithCache = new WeakMap<SelectorMatcher, (name: string, attrs: Record<string, string>) => boolean>()

/** isJunk, or the source's `remove` selectors (one function per compiled rules object). */
export function dropWith(remove: SelectorMatcher): (name: string, attrs: Record<string, string>) => boolean {
  let drop = dropWithCache.get(remove)
  if (drop === undefined) {
    drop = (name, attrs) => isJunk(attrs) || remove(name, attrs)
    dropWithCache.set(remove, drop)
  }
  return drop
}
