/**
 * Upload a form (files) with progress: XMLHttpRequest, since fetch reports no upload progress.
 * The bearer token comes from the session; a 401 refreshes the session once and sends again.
 * A refusal throws ApiError with the server's problem (its Romanian `detail`).
 */
import { session } from './api/client'
import { ApiError, defaultDetail, type Problem } from './api/problem'

export interface UploadOptions {
  /** The share sent so far, 0 to 1. */
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

/** What the uploader needs of the session (the app's, or a fake in tests). */
export interface TokenSource {
  token(): Promise<string | null>
  refresh(): Promise<boolean>
}

export interface Sent {
  status: number
  body: unknown
}

/** One XHR POST; resolves with any answer, rejects only when the network or an abort stops it. */
export function send(url: string, body: FormData, token: string | null, options: UploadOptions = {}): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.responseType = 'text'
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total)
    }
    xhr.onload = () => resolve({ status: xhr.status, body: parseBody(xhr.responseText) })
    xhr.onerror = () => reject(new ApiError({ status: 0, detail: defaultDetail(0) }))
    xhr.onabort = () => reject(new DOMException('Încărcarea a fost oprită.', 'AbortError'))
    options.signal?.addEventListener('abort', () => xhr.abort())
    xhr.send(body)
  })
}

function parseBody(text: string): unknown {
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/**
 * POST `makeBody()` to `url` with progress; the answer's JSON when it succeeds. `makeBody` is
 * called again for the retry after a refresh (a FormData is not reused across requests).
 */
export async function uploadForm<T>(
  url: string,
  makeBody: () => FormData,
  options: UploadOptions = {},
  tokens: TokenSource = session,
  transport: typeof send = send,
): Promise<T> {
  let answer = await transport(url, makeBody(), await tokens.token(), options)
  if (answer.status === 401 && (await tokens.refresh())) {
    options.onProgress?.(0)
    answer = await transport(url, makeBody(), await tokens.token(), options)
  }
  if (answer.status >= 200 && answer.status < 300) return answer.body as T
  const body = answer.body && typeof answer.body === 'object' ? (answer.body as Partial<Problem>) : {}
  throw new ApiError({ detail: defaultDetail(answer.status), ...body, status: answer.status })
}
