import pkg from '../package.json' with { type: 'json' }

/** The package version (inlined from package.json at build time): User-Agent, `--version`, output fingerprints. */
export const VERSION: string = pkg.version
