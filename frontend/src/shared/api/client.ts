/**
 * The one API client of the app: typed from the server's OpenAPI document (schema.d.ts is
 * generated from frontend/openapi.json by `npm run gen:api`), every call through the session.
 */
import createClient from 'openapi-fetch'
import type { components, paths } from './schema'
import { ApiError, problemOf, type Problem } from './problem'
import { Session, type TokenPair } from './session'

export type Schemas = components['schemas']

let expiredHandler: () => void = () => {}

export const session = new Session({
  fetch: (input, init) => globalThis.fetch(input, init),
  storage: typeof sessionStorage === 'undefined' ? undefined : sessionStorage,
  onExpired: () => expiredHandler(),
})

/** What to do when the session cannot be renewed (the router sends the user to /login). */
export function onSessionExpired(handler: () => void): void {
  expiredHandler = handler
}

export const api = createClient<paths>({ baseUrl: '', fetch: (request) => session.fetch(request) })

interface Answer<T> {
  data?: T
  error?: unknown
  response: Response
}

/** The data of a successful call; an ApiError carrying the problem+json otherwise. */
export async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>
  try {
    answer = await call
  } catch (error) {
    if (error instanceof ApiError) throw error
    throw new ApiError({ status: 0, detail: 'Serverul nu poate fi contactat. Verificați conexiunea și încercați din nou.' })
  }
  if (!answer.response.ok) {
    const body = answer.error
    const problem: Problem =
      body && typeof body === 'object'
        ? { ...(body as Partial<Problem>), status: answer.response.status }
        : await problemOf(answer.response)
    throw new ApiError(problem)
  }
  return answer.data as T
}

/** `fetch` of any API URL (a job's status_url, a download) through the session. */
export async function authFetch(url: string, init?: RequestInit): Promise<Response> {
  const response = await session.fetch(new Request(url, init))
  if (!response.ok) throw new ApiError(await problemOf(response))
  return response
}

export type { TokenPair }
