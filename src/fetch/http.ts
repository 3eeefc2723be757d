/** The one file of tonghop that imports undici. */
import type { Readable } from 'node:stream'
import { Agent, buildConnector, type Dispatcher, request } from 'undici'
import { checkConnectedAddress, type GuardConfig } from './guard.js'

export type { Dispatcher }

export interface GuardedAgentOptions extends GuardConfig {
  connectTimeout: number
  /** Connections kept per origin. @default unlimited */
  connections?: number
}

/**
 * An undici Agent whose connector checks the address every socket actually connected to (after DNS, for every
 * redirect hop) against the SSRF guard, before a byte of the request is sent.
 */
export function createGuardedAgent(options: GuardedAgentOptions): Dispatcher {
  const base = buildConnector({ timeout: options.connectTimeout })
  const guard: GuardConfig = { allowPrivateNetwork: options.allowPrivateNetwork, allowHosts: options.allowHosts }
  const connect: buildConnector.connector = (connectOptions, callback) => {
    base(connectOptions, (error, socket) => {
      if (error || !socket) {
        callback(error ?? new Error('connect failed'), null)
        return
      }
      try {
        checkConnectedAddress(
          guard,
          connectOptions.hostname,
          connectOptions.port,
          connectOptions.protocol,
          socket.remoteAddress,
        )
      } catch (blockedError) {
        socket.destroy()
        callback(blockedError as Error, null)
        return
      }
      callback(null, socket)
    })
  }
  return new Agent({
    connect,
    keepAliveTimeout: 4_000,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
  })
}

export interface HttpResponse {
  statusCode: number
  headers: Record<string, string | string[] | undefined>
  body: Readable
  /** Discard the rest of the body (bounded), freeing the connection. */
  dump(): Promise<void>
}

export interface HttpRequestOptions {
  dispatcher: Dispatcher
  headers: Record<string, string>
  signal: AbortSignal
  headersTimeout: number
  bodyTimeout: number
}

export async function httpGet(url: URL, options: HttpRequestOptions): Promise<HttpResponse> {
  const response = await request(url, {
    method: 'GET',
    dispatcher: options.dispatcher,
    headers: options.headers,
    signal: options.signal,
    headersTimeout: options.headersTimeout,
    bodyTimeout: options.bodyTimeout,
  })
  const body = response.body
  return {
    statusCode: response.statusCode,
    headers: response.headers,
    body,
    dump: async () => {
      try {
        await body.dump({ limit: 64 * 1024 })
      } catch {
        // the connection is dropped instead; nothing to report
      }
    },
  }
}

export async function closeDispatcher(dispatcher: Dispatcher): Promise<void> {
  try {
    await dispatcher.close()
  } catch {
    await dispatcher.destroy().catch(() => {})
  }
}
