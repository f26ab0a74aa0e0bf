/**
 * The tokens of the logged-in user and the one way every request gets them.
 *
 * The access token lives in memory only. The refresh token is kept in sessionStorage (per tab,
 * so two tabs never spend the same rotating token) so a reload stays logged in. The access token
 * is refreshed shortly before it expires, and once more when a request answers 401; concurrent
 * callers share one refresh. When the refresh is refused the session ends and `onExpired` runs
 * (the app sends the user to /login, remembering where they were).
 */

export interface TokenPair {
  access_token: string
  refresh_token: string
  expires_in: number
}

export interface KeyValueStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export interface SessionOptions {
  fetch: typeof fetch
  storage?: KeyValueStore
  now?: () => number
  /** Refresh this many seconds before the access token expires (at most a fifth of its life). */
  marginS?: number
  onExpired?: () => void
  onTokens?: (pair: TokenPair) => void
}

const REFRESH_KEY = 'roa2web.refresh'
export const REFRESH_PATH = '/api/auth/refresh'

export class Session {
  private accessToken: string | null = null
  private refreshAt = 0
  private refreshing: Promise<boolean> | null = null
  private readonly options: Required<Omit<SessionOptions, 'storage' | 'onExpired' | 'onTokens'>> &
    Pick<SessionOptions, 'storage' | 'onExpired' | 'onTokens'>

  constructor(options: SessionOptions) {
    this.options = { now: () => Date.now(), marginS: 60, ...options }
  }

  /** Keep a new pair (after login or refresh). */
  accept(pair: TokenPair): void {
    this.accessToken = pair.access_token
    const marginS = Math.min(this.options.marginS, pair.expires_in * 0.2)
    this.refreshAt = this.options.now() + (pair.expires_in - marginS) * 1000
    this.options.storage?.setItem(REFRESH_KEY, pair.refresh_token)
    this.options.onTokens?.(pair)
  }

  /** Forget both tokens (logout, or a refused refresh). */
  clear(): void {
    this.accessToken = null
    this.refreshAt = 0
    this.options.storage?.removeItem(REFRESH_KEY)
  }

  get refreshToken(): string | null {
    return this.options.storage?.getItem(REFRESH_KEY) ?? null
  }

  /** True while there is a token to use or to refresh. */
  get active(): boolean {
    return this.accessToken !== null || this.refreshToken !== null
  }

  /** Milliseconds until the access token should be refreshed (0: now). */
  refreshDueInMs(): number {
    return Math.max(0, this.refreshAt - this.options.now())
  }

  /** Spend the refresh token for a new pair; false (and the session cleared) when refused. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null
    })
    return this.refreshing
  }

  private async doRefresh(): Promise<boolean> {
    const token = this.refreshToken
    if (!token) return false
    let response: Response
    try {
      response = await this.options.fetch(REFRESH_PATH, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: token }),
      })
    } catch {
      return false // the network failed: keep the session, the next request tries again
    }
    if (!response.ok) {
      this.clear()
      return false
    }
    this.accept((await response.json()) as TokenPair)
    return true
  }

  /** An access token valid for a while yet, refreshing first when it is about to expire. */
  async token(): Promise<string | null> {
    if (this.refreshing || !this.accessToken || this.refreshDueInMs() === 0) {
      if (this.refreshToken) await this.refresh()
    }
    return this.accessToken
  }

  /**
   * `fetch` with the bearer token; a 401 refreshes once and retries. When the session cannot be
   * renewed the 401 is returned and `onExpired` runs.
   */
  async fetch(input: Request): Promise<Response> {
    const retry = input.clone()
    const response = await this.options.fetch(await this.authorized(input))
    if (response.status !== 401 || !this.refreshToken) {
      if (response.status === 401) this.expire()
      return response
    }
    if (!(await this.refresh())) {
      this.expire()
      return response
    }
    const again = await this.options.fetch(await this.authorized(retry))
    if (again.status === 401) this.expire()
    return again
  }

  private async authorized(request: Request): Promise<Request> {
    const token = await this.token()
    if (token) request.headers.set('Authorization', `Bearer ${token}`)
    return request
  }

  private expire(): void {
    this.clear()
    this.options.onExpired?.()
  }
}
