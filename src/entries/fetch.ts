/**
 * `tonghop/fetch`: the fetch stage alone, for users who only fetch (loads undici and p-queue, not the other stages).
 */
export * from '../fetch/index.js'
