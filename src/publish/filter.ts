import { PublishError } from '../errors.js'
import { foldText } from '../normalize/index.js'
import type { Article, Story } from '../types.js'
import type { OutputFilter } from './types.js'

function sinceInstant(since: string | number, now: Date): number {
  if (typeof since === 'number') {
    if (!Number.isFinite(since) || since < 0) {
      throw new PublishError(
        'ERR_PUBLISH_RENDER',
        `Expected \`filter.since\` to be a duration in ms ≥ 0, got \`${since}\``,
      )
    }
    return now.getTime() - since
  }
  const time = Date.parse(since)
  if (!Number.isFinite(time)) {
    throw new PublishError('ERR_PUBLISH_RENDER', `Expected \`filter.since\` to be an ISO date, got \`${since}\``)
  }
  return time
}

function copies(story: Story): Article[] {
  return [story.primary, ...(story.duplicates ?? [])].filter(Boolean)
}

/**
 * Keep the stories an output wants. Every given criterion must match (AND); within one, any value may match (OR):
 * - `sources`: the id of the feed that carried the primary copy or any duplicate;
 * - `categories`: any category of any copy, compared folded (case, tone marks, punctuation);
 * - `keywords`: a folded keyword (a whole word or phrase) in the folded title, summary or text of any copy;
 * - `since`: primary published at or after an ISO date, or within a duration in ms before `now`.
 */
export async function* filterStories(
  stories: AsyncIterable<Story> | Iterable<Story>,
  filter: OutputFilter,
  now: Date = new Date(),
): AsyncGenerator<Story> {
  const sources = filter.sources?.length ? new Set(filter.sources) : undefined
  const categories = filter.categories?.length ? new Set(filter.categories.map(foldText).filter(Boolean)) : undefined
  const keywords = filter.keywords?.length ? filter.keywords.map(foldText).filter(Boolean) : undefined
  const since = filter.since === undefined ? undefined : sinceInstant(filter.since, now)
  for await (const story of stories) {
    if (!story?.primary) continue
    const all = copies(story)
    if (since !== undefined) {
      const time = story.primary.published instanceof Date ? story.primary.published.getTime() : Number.NaN
      if (!(time >= since)) continue
    }
    if (sources && !all.some((a) => sources.has(a.source?.id))) continue
    if (categories && !all.some((a) => (a.categories ?? []).some((c) => categories.has(foldText(c))))) continue
    if (keywords) {
      const haystack = ` ${all
        .map((a) => foldText([a.title, a.summary ?? '', ...(a.text ?? [])].join(' ')))
        .join(' ')} `
      if (!keywords.some((k) => haystack.includes(` ${k} `))) continue
    }
    yield story
  }
}
