/** The one file of tonghop that imports robots-parser. */
import robotsParserModule from 'robots-parser'

// robots-parser is CommonJS whose types declare an ES default export: at run time the default import is the
// function itself, while TypeScript (NodeNext) sees the module object. Take whichever is callable.
const robotsParser: typeof robotsParserModule.default =
  (robotsParserModule as unknown as { default?: typeof robotsParserModule.default }).default ??
  (robotsParserModule as unknown as typeof robotsParserModule.default)

/** The rules of one robots.txt, for one origin. */
export interface RobotsRules {
  /** Whether `url` (of the robots.txt's origin) may be fetched by `agent`; a URL of another origin is allowed. */
  isAllowed(url: string, agent: string): boolean
}

/** Parse a robots.txt body fetched from `robotsUrl` (RFC 9309; `*` and `$` patterns, longest match wins). */
export function parseRobots(robotsUrl: string, text: string): RobotsRules {
  const robots = robotsParser(robotsUrl, text)
  return { isAllowed: (url, agent) => robots.isAllowed(url, agent) !== false }
}

/**
 * The product token robots.txt groups are matched with: the first token of the User-Agent, lower-cased
 * (`tonghop/0.1.0 (+https://…)` → `tonghop`).
 */
export function robotsAgent(userAgent: string): string {
  const token = /^[^\s/;()]+/.exec(userAgent.trim())?.[0]
  return (token ?? 'tonghop').toLowerCase()
}
