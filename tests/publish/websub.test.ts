import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pingHub, writeFeed } from '../../src/publish/index.js'
import { startServer, type TestServer } from '../helpers/server.js'
import { tempDir } from '../helpers/tmp.js'
import { seedStory } from './fixtures.js'

describe('pingHub', () => {
  let server: TestServer
  const bodies: string[] = []
  beforeAll(async () => {
    server = await startServer({
      '/hub': async (req, res) => {
        let body = ''
        for await (const chunk of req) body += chunk
        bodies.push(body)
        res.writeHead(204).end()
      },
      '/broken-hub': (_req, res) => void res.writeHead(500).end('no'),
    })
  })
  afterAll(() => server.close())

  it('POSTs hub.mode=publish with the topic URL, form-encoded', async () => {
    const status = await pingHub(`${server.origin}/hub`, 'https://tonghop.example/merged.xml?x=1&y=2')
    expect(status).toBe(204)
    const request = server.requests.at(-1)!
    expect(request.method).toBe('POST')
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(bodies.at(-1)))).toEqual({
      'hub.mode': 'publish',
      'hub.url': 'https://tonghop.example/merged.xml?x=1&y=2',
    })
  })

  it('throws ERR_PUBLISH_WRITE when the hub answers an error or cannot be reached', async () => {
    await expect(pingHub(`${server.origin}/broken-hub`, 'https://t.example/a.xml')).rejects.toMatchObject({
      code: 'ERR_PUBLISH_WRITE',
    })
    await expect(pingHub('http://127.0.0.1:1/hub', 'https://t.example/a.xml')).rejects.toMatchObject({
      code: 'ERR_PUBLISH_WRITE',
    })
    await expect(pingHub('not a url', 'https://t.example/a.xml')).rejects.toMatchObject({ code: 'ERR_PUBLISH_WRITE' })
  })

  it('writeFeed pings the hub after a changed output, not after an unchanged one, and survives a dead hub', async () => {
    const path = join(tempDir(), 'merged.xml')
    const options = {
      path,
      format: 'rss' as const,
      title: 'T',
      link: 'https://t.example/',
      feedUrl: 'https://t.example/merged.xml',
      hub: `${server.origin}/hub`,
    }
    const before = bodies.length
    const first = await writeFeed([seedStory()], options)
    expect(first.ping).toEqual({ ok: true, status: 204 })
    expect(new URLSearchParams(bodies.at(-1)).get('hub.url')).toBe('https://t.example/merged.xml')
    const second = await writeFeed([seedStory()], options)
    expect(second.written).toBe(false)
    expect(second.ping).toBeUndefined()
    expect(bodies.length).toBe(before + 1)
    const dead = await writeFeed([], { ...options, hub: `${server.origin}/broken-hub` })
    expect(dead.written).toBe(true)
    expect(dead.ping?.ok).toBe(false)
  })
})
