/** The logged-in user: login, logout, who they are, what they may do. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, ok, session, type Schemas } from './api/client'
import { ApiError, problemOf } from './api/problem'
import type { TokenPair } from './api/session'

export type User = Schemas['UserOut']

export const useAuth = defineStore('auth', () => {
  const user = ref<User | null>(null)

  const roles = computed(() => new Set(user.value?.roles ?? []))
  const isAdmin = computed(() => roles.value.has('admin'))

  function hasRole(...wanted: string[]): boolean {
    return isAdmin.value || wanted.some((role) => roles.value.has(role))
  }

  /** Log in with a username and password; the problem's Romanian detail when refused. */
  async function login(username: string, password: string): Promise<void> {
    const response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
    if (!response.ok) throw new ApiError(await problemOf(response))
    const body = (await response.json()) as TokenPair & { user: User }
    session.accept(body)
    user.value = body.user
  }

  /** Who is logged in, when a session survives a reload; false when there is none. */
  async function restore(): Promise<boolean> {
    if (user.value) return true
    if (!session.active) return false
    try {
      user.value = await ok(api.GET('/api/auth/me'))
      return true
    } catch {
      session.clear()
      return false
    }
  }

  /** End the session on the server (its refresh-token family) and here. */
  async function logout(): Promise<void> {
    const refreshToken = session.refreshToken
    if (refreshToken) {
      try {
        await api.POST('/api/auth/logout', { body: { refresh_token: refreshToken } })
      } catch {
        // the server is unreachable: the session still ends here
      }
    }
    session.clear()
    user.value = null
  }

  /** Forget the user after the session expired (the server refused to renew it). */
  function expired(): void {
    user.value = null
  }

  return { user, roles, isAdmin, hasRole, login, restore, logout, expired }
})
