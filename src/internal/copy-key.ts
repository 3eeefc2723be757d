import type { Article } from '../types.js'

/**
 * What makes one copy of a story: the article id and the feed that carried it. The same article (one canonical URL)
 * carried by two feeds is two copies; a feed that lists it again is the same copy seen again.
 */
export function copyKey(article: Article): string {
  return `${article.source.id}\u0000${article.id}`
}
