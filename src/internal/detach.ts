/**
 * A copy of `value` that does not keep a larger string alive. V8 represents a substring (slice, regexp match, parser
 * token) of 13 or more characters as a view into its parent, so a substring kept in a long-lived cache keeps the
 * whole parent — often an entire feed document — alive with it. Every module-level cache keyed by text taken from a
 * feed stores its keys through this.
 */
export function detach(value: string): string {
  // the concatenation is flattened into a new string of value.length + 1 characters: the result is a view into that
  return value.length < 13 ? value : ` ${value}`.slice(1)
}
