/**
 * Stable, URI-shaped Article ids. The canonical URL when the item has its own; otherwise
 * `urn:tonghop:<source id>:<hash>` from the item's guid (or, lacking one, its title and date), so the id stays the
 * same run after run and never collides across sources.
 */
import { createHash } from 'node:crypto'

export interface ArticleIdInput {
  /** The source's id (config). */
  sourceId: string
  /** Canonical URL, when the item has one of its own (not shared with other items). */
  url?: string
  /** The item's guid as the feed gave it. */
  guid?: string
  /** Used only when there is neither URL nor guid. */
  title?: string
  published?: Date
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22)
}

/** `urn:tonghop:<sourceId>:<hash>` for a key that only the source itself makes unique (a guid like `12345`). */
export function sourceUrn(sourceId: string, key: string): string {
  // NSS characters allowed by RFC 8141; everything else percent-encoded.
  const nss = encodeURIComponent(sourceId).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `urn:tonghop:${nss}:${hash(key)}`
}

/** The Article id: `url` when given, else a URN from the guid, else a URN from title + published. */
export function articleId(input: ArticleIdInput): string {
  if (input.url !== undefined && input.url !== '') return input.url
  if (input.guid !== undefined && input.guid !== '') return sourceUrn(input.sourceId, `guid:${input.guid}`)
  const published =
    input.published !== undefined && !Number.isNaN(input.published.getTime()) ? input.published.toISOString() : ''
  return sourceUrn(input.sourceId, `title:${input.title ?? ''}\n${published}`)
}
