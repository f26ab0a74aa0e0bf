/** Background jobs (exports, OCR) as the page sees them: poll until finished, then download. */
import { authFetch } from './api/client'

export type JobStateName = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'

export interface JobView {
  job_id: string
  state: string
  progress: number
  message: string
  status_url: string
  downloads: Record<string, string>
  error?: string | null
}

export const JOB_STATE_LABELS: Record<JobStateName, string> = {
  queued: 'În așteptare',
  running: 'În lucru',
  done: 'Gata',
  failed: 'Eșuat',
  cancelled: 'Anulat',
}

export function jobStateLabel(state: string): string {
  return JOB_STATE_LABELS[state as JobStateName] ?? state
}

export function isFinished(state: string): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled'
}

export interface WatchOptions {
  intervalMs?: number
  signal?: AbortSignal
}

/**
 * Poll `statusUrl` until the job is finished; `onUpdate` sees every state on the way.
 * Resolves with the last state; rejects with the API's problem when polling fails.
 */
export async function watchJob<T extends JobView>(
  statusUrl: string,
  onUpdate: (job: T) => void,
  { intervalMs = 500, signal }: WatchOptions = {},
): Promise<T> {
  for (;;) {
    const job = (await (await authFetch(statusUrl, { signal })).json()) as T
    onUpdate(job)
    if (isFinished(job.state)) return job
    await sleep(intervalMs, signal)
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    })
  })
}

/** The file name of a Content-Disposition header (RFC 6266 filename* first). */
export function dispositionFileName(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header)
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      // a malformed escape: use the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header)
  return plain?.[1]?.trim() || fallback
}

/** Download an API file through the session and hand it to the browser as a saved file. */
export async function downloadFile(url: string, fallbackName = 'export'): Promise<string> {
  const response = await authFetch(url)
  const name = dispositionFileName(response.headers.get('content-disposition'), fallbackName)
  const blob = await response.blob()
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = name
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000)
  return name
}
