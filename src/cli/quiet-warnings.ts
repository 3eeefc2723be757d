/**
 * node:sqlite is stable in Node 24 but prints an ExperimentalWarning on Node 22: the CLI's stderr carries JSON lines
 * only, so that one warning is dropped (every other warning still goes through). Called first by the CLI's entry and
 * by the run thread's (a worker thread has a `process.emitWarning` of its own), before node:sqlite can load. (A call,
 * not an import for its effect: the package is marked free of side effects, so the bundler drops such imports.)
 */
export function dropSqliteWarning(): void {
  const emitWarning = process.emitWarning.bind(process)
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type
    const text = typeof warning === 'string' ? warning : warning.message
    const name = typeof warning === 'string' ? type : warning.name
    if (name === 'ExperimentalWarning' && /SQLite/i.test(text)) return
    ;(emitWarning as (...args: unknown[]) => void)(warning, ...rest)
  }) as typeof process.emitWarning
}
