import { describe, expect, it, vi } from 'vitest'
import { Session, type KeyValueStore, type TokenPair } from '../src/shared/api/session'

class MemoryStore implements KeyValueStore {
  data = new Map<string, string>()
  getItem(key: string) { return this.data.get(key) ?? null }
  setItem(key: string, value: string) { this.data.set(key, value) }
  removeItem(key: string) { this.data.delete(key) }
}

function pair(n: number, expiresIn = 900): TokenPair {
  return { access_token: `access-${n}`, refresh_token: `refresh-${n}`, expires_in: expiresIn }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

/** A fake server: /api/auth/refresh rotates tokens; other paths answer 401 unless the token is current. */
function server() {
  let issued = 1
  let current = 'access-1'
  const seen: { url: string; auth: string | null }[] = []
  const refreshes: string[] = []
  let refuseRefresh = false
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), 'http://app'), init)
    const url = new URL(request.url).pathname
    if (url === '/api/auth/refresh') {
      const body = (await request.json()) as { refresh_token: string }
      refreshes.push(body.refresh_token)
      if (refuseRefresh || body.refresh_token !== `refresh-${issued}`) return json(401, { status: 401, detail: 'Sesiune expirată.' })
      issued += 1
      current = `access-${issued}`
      return json(200, pair(issued))
    }
    const auth = request.headers.get('Authorization')
    seen.push({ url, auth })
    return auth === `Bearer ${current}` ? json(200, { ok: true }) : json(401, { status: 401, detail: 'Token expirat.' })
  })
  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    seen, refreshes,
    expireAccess: () => { current = 'revoked' },
    refuse: () => { refuseRefresh = true },
  }
}

const request = (path = '/api/companies') => new Request(`http://app${path}`)

describe('Session', () => {
  it('sends the access token it was given', async () => {
    const fake = server()
    const session = new Session({ fetch: fake.fetch, storage: new MemoryStore() })
    session.accept(pair(1))
    const response = await session.fetch(request())
    expect(response.status).toBe(200)
    expect(fake.seen[0]?.auth).toBe('Bearer access-1')
    expect(fake.refreshes).toEqual([])
  })

  it('refreshes before expiry, with the rotating refresh token', async () => {
    const fake = server()
    let now = 0
    const session = new Session({ fetch: fake.fetch, storage: new MemoryStore(), now: () => now })
    session.accept(pair(1, 900))
    now = (900 - 30) * 1000 // inside the last minute
    await session.fetch(request())
    expect(fake.refreshes).toEqual(['refresh-1'])
    expect(fake.seen[0]?.auth).toBe('Bearer access-2')
    expect(session.refreshToken).toBe('refresh-2')
  })

  it('refreshes once on a 401 and retries the request, body included', async () => {
    const fake = server()
    const session = new Session({ fetch: fake.fetch, storage: new MemoryStore() })
    session.accept(pair(1))
    fake.expireAccess()
    const response = await session.fetch(new Request('http://app/api/x', { method: 'POST', body: 'payload' }))
    expect(response.status).toBe(200)
    expect(fake.refreshes).toEqual(['refresh-1'])
    expect(fake.seen.map((entry) => entry.auth)).toEqual(['Bearer access-1', 'Bearer access-2'])
  })

  it('shares one refresh among concurrent requests', async () => {
    const fake = server()
    const session = new Session({ fetch: fake.fetch, storage: new MemoryStore() })
    session.accept(pair(1))
    fake.expireAccess()
    const answers = await Promise.all([session.fetch(request()), session.fetch(request()), session.fetch(request())])
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200])
    expect(fake.refreshes).toEqual(['refresh-1'])
  })

  it('ends the session when the refresh is refused', async () => {
    const fake = server()
    const onExpired = vi.fn()
    const storage = new MemoryStore()
    const session = new Session({ fetch: fake.fetch, storage, onExpired })
    session.accept(pair(1))
    fake.expireAccess()
    fake.refuse()
    const response = await session.fetch(request())
    expect(response.status).toBe(401)
    expect(onExpired).toHaveBeenCalledOnce()
    expect(session.active).toBe(false)
    expect(storage.data.size).toBe(0)
  })

  it('keeps the refresh token across a reload, not the access token', async () => {
    const fake = server()
    const storage = new MemoryStore()
    new Session({ fetch: fake.fetch, storage }).accept(pair(1))
    const reloaded = new Session({ fetch: fake.fetch, storage })
    expect(reloaded.active).toBe(true)
    const response = await reloaded.fetch(request())
    expect(response.status).toBe(200)
    expect(fake.refreshes).toEqual(['refresh-1'])
    expect(fake.seen[0]?.auth).toBe('Bearer access-2')
  })

  it('keeps the session when the network fails during a refresh', async () => {
    const storage = new MemoryStore()
    const failing = vi.fn(async () => { throw new TypeError('Failed to fetch') }) as unknown as typeof fetch
    const session = new Session({ fetch: failing, storage })
    storage.setItem('roa2web.refresh', 'refresh-9')
    expect(await session.refresh()).toBe(false)
    expect(session.refreshToken).toBe('refresh-9')
  })
})
