import { DEFAULT_TIME_ZONE } from '../normalize/index.js'

/** Defaults of publish/, frozen. */
export const PUBLISH_DEFAULTS = Object.freeze({
  /** Newest stories kept per output; `0` or `Infinity` keeps all. @default 100 */
  limit: 100,
  /** Visible credit line appended to each item. @default 'Theo {name}' */
  creditTemplate: 'Theo {name}',
  /** "Also published by" line listing the other outlets of a story. @default 'Cũng đăng trên: {names}' */
  alsoPublishedByTemplate: 'Cũng đăng trên: {names}' as string | false,
  /** Time zone of dates on the HTML page. @default 'Asia/Ho_Chi_Minh' */
  timeZone: DEFAULT_TIME_ZONE,
  /** Generator named in RSS and Atom. */
  generator: 'tonghop',
})
