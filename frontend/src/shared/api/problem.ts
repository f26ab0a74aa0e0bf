/** An answer of the API that is not a success: its problem+json, as the server wrote it. */
export interface Problem {
  type?: string
  title?: string
  status: number
  detail?: string
  errors?: { field?: string; message?: string; loc?: unknown }[]
  [key: string]: unknown
}

/** Thrown for every non-2xx answer; `message` is what the user should read (in Romanian). */
export class ApiError extends Error {
  readonly problem: Problem

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `Eroare ${problem.status}`)
    this.name = 'ApiError'
    this.problem = problem
  }

  get status(): number {
    return this.problem.status
  }
}

/** The problem of a failed response (problem+json when the server sent one). */
export async function problemOf(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? ''
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem>
      return { ...body, status: response.status }
    } catch {
      // a body that is not JSON after all: fall through to the generic text
    }
  }
  return { status: response.status, title: 'Eroare', detail: defaultDetail(response.status) }
}

/** A Romanian sentence for a status the server answered without a problem body (a proxy, say). */
export function defaultDetail(status: number): string {
  if (status === 0) return 'Serverul nu poate fi contactat. Verificați conexiunea și încercați din nou.'
  if (status === 401) return 'Sesiunea a expirat. Autentificați-vă din nou.'
  if (status === 403) return 'Nu aveți drept de acces la această resursă.'
  if (status === 404) return 'Resursa cerută nu există.'
  if (status === 413) return 'Fișierul este prea mare.'
  if (status === 429) return 'Prea multe cereri. Așteptați puțin și încercați din nou.'
  if (status >= 500) return 'Serverul a întâmpinat o eroare. Încercați din nou peste câteva momente.'
  return `Cererea nu a putut fi îndeplinită (cod ${status}).`
}

/** What to show for any error thrown by the client or the browser. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof TypeError) return defaultDetail(0)
  return error instanceof Error ? error.message : String(error)
}
