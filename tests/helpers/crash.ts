import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url))

/**
 * Run the crash child (./crash-child.ts) with these arguments until it reports its uncommitted write, then SIGKILL
 * it. Resolves with the signal it died of; rejects when it exits before writing.
 */
export async function killAfterWrite(args: string[]): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr += String(d)
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      if (String(d).includes('written')) resolve()
    })
    child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)))
  })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
  child.kill('SIGKILL')
  return exited
}
