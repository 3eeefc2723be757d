/**
 * At most `total` tasks at once, and at most `perKey` of them holding a slot of one key (a host). A task may give its
 * key's slot back before it ends (`releaseKey`, passed to it): it then still counts against `total`, but the next
 * task of its key can start. A freed slot goes first to the oldest waiting task of a key that has no task holding
 * its slot (so every key with work gets going before any key gets a second task), then to the oldest waiting task
 * that fits: tasks for a host that has its share never hold back the tasks for other hosts.
 */
export function createAdmission(total: number, perKey: number) {
  // per key, its waiting tasks in arrival order; `undefined` (no host: file: feeds) is never limited per key
  const waiting = new Map<string | undefined, { seq: number; start: () => void }[]>()
  const active = new Map<string, number>()
  let running = 0
  let seq = 0

  const activeOf = (key: string | undefined) => (key === undefined ? 0 : (active.get(key) ?? 0))
  /** The key whose oldest waiting task should start next, if any fits. */
  const next = (): string | undefined | null => {
    let idle: { key: string | undefined; seq: number } | undefined
    let fits: { key: string | undefined; seq: number } | undefined
    for (const [key, list] of waiting) {
      const head = list[0]!
      const n = activeOf(key)
      if (key !== undefined && n === 0 && (idle === undefined || head.seq < idle.seq)) idle = { key, seq: head.seq }
      if ((key === undefined || n < perKey) && (fits === undefined || head.seq < fits.seq))
        fits = { key, seq: head.seq }
    }
    const chosen = idle ?? fits
    return chosen === undefined ? null : chosen.key
  }
  const pump = () => {
    while (running < total) {
      const key = next()
      if (key === null) return
      const list = waiting.get(key)!
      const entry = list.shift()!
      if (list.length === 0) waiting.delete(key)
      running++
      if (key !== undefined) active.set(key, activeOf(key) + 1)
      entry.start()
    }
  }

  return async function admit<T>(key: string | undefined, task: (releaseKey: () => void) => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      const list = waiting.get(key)
      const entry = { seq: seq++, start: resolve }
      if (list) list.push(entry)
      else waiting.set(key, [entry])
      pump()
    })
    let holdsKey = key !== undefined
    const releaseKey = () => {
      if (!holdsKey) return
      holdsKey = false
      const left = activeOf(key) - 1
      if (left > 0) active.set(key!, left)
      else active.delete(key!)
      pump()
    }
    try {
      return await task(releaseKey)
    } finally {
      running--
      if (holdsKey) releaseKey()
      else pump()
    }
  }
}
