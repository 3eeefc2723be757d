/**
 * At most `total` tasks at once, and at most `perKey` of them with one key (a host). Waiting tasks start in arrival
 * order among those that fit: tasks for a host that has its share do not hold back the tasks for other hosts.
 */
export function createAdmission(total: number, perKey: number) {
  const waiting: { key: string | undefined; start: () => void }[] = []
  const active = new Map<string, number>()
  let running = 0

  const fits = (key: string | undefined) => key === undefined || (active.get(key) ?? 0) < perKey
  const pump = () => {
    for (let i = 0; i < waiting.length && running < total; ) {
      const entry = waiting[i]!
      if (!fits(entry.key)) {
        i++
        continue
      }
      waiting.splice(i, 1)
      running++
      if (entry.key !== undefined) active.set(entry.key, (active.get(entry.key) ?? 0) + 1)
      entry.start()
    }
  }

  return async function admit<T>(key: string | undefined, task: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      waiting.push({ key, start: resolve })
      pump()
    })
    try {
      return await task()
    } finally {
      running--
      if (key !== undefined) {
        const left = (active.get(key) ?? 1) - 1
        if (left > 0) active.set(key, left)
        else active.delete(key)
      }
      pump()
    }
  }
}
