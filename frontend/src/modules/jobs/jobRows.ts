/**
 * What the jobs page shows of a job, as pure functions: the kind in Romanian, the badge, the
 * duration, which actions apply, and whether the list still needs polling.
 */
import { isFinished, JOB_STATE_LABELS, type JobStateName } from '@/shared/jobs'

/** The fields of a job (the API's TaskJobOut) that these rules read. */
export interface JobRow {
  kind: string
  title: string
  progress: number
  state: string
  created_at: string
  started_at: string | null
  finished_at: string | null
  cancel_requested: boolean
  company_id: number | null
  receipt_id?: string | null
}

/** The API's internal job kinds, as people read them. */
export const JOB_KIND_LABELS: Record<string, string> = {
  report_export: 'Export raport',
  ocr: 'Citire bon (OCR)',
  receipts_export: 'Export în ROA',
}

/** "report_export" → "Export raport"; a kind this app does not know yet shows as it is. */
export function jobKindLabel(kind: string): string {
  return JOB_KIND_LABELS[kind] ?? kind
}

/** What the job makes, as the API words it ("Balanța de verificare, martie 2025 (XLSX)"); its kind if it has none. */
export function jobTitle(job: Pick<JobRow, 'kind' | 'title'>): string {
  return job.title.trim() || jobKindLabel(job.kind)
}

/** The kind under the title ("Export raport") when the title does not already say it; "" otherwise. */
export function jobKindNote(job: Pick<JobRow, 'kind' | 'title'>): string {
  const kind = jobKindLabel(job.kind)
  return jobTitle(job).startsWith(kind) ? '' : kind
}

/** The states a user can filter on, in the order a job lives them. */
export const STATE_FILTERS = Object.keys(JOB_STATE_LABELS) as JobStateName[]

/** A `?state=` value the API accepts, or undefined (every state) for anything else. */
export function stateFilter(value: string): JobStateName | undefined {
  return (STATE_FILTERS as string[]).includes(value) ? (value as JobStateName) : undefined
}

/** The badge's colour class: green when done, red when failed, amber while waiting or working. */
export function stateBadgeClass(state: string): string {
  if (state === 'done') return 'ok'
  if (state === 'failed') return 'bad'
  if (state === 'queued' || state === 'running') return 'warn'
  return ''
}

/** Poll again while any listed job may still change. */
export function shouldPoll(jobs: readonly Pick<JobRow, 'state'>[]): boolean {
  return jobs.some((job) => !isFinished(job.state))
}

/** A progress bar for jobs that are waiting or working. */
export function showsProgress(job: Pick<JobRow, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running'
}

/**
 * The progress cell's text besides the bar: "100 %" for a finished job, "oprită la 40 %" for a
 * failed or cancelled one that had got somewhere, "" while the bar shows or when it never started.
 */
export function progressText(job: Pick<JobRow, 'state' | 'progress'>): string {
  if (job.state === 'done') return '100\u00a0%'
  if ((job.state === 'failed' || job.state === 'cancelled') && job.progress > 0) return `oprită la ${job.progress}\u00a0%`
  return ''
}

/** "Anulează" applies to a queued job, or a running one not already asked to stop. */
export function canCancel(job: Pick<JobRow, 'state' | 'cancel_requested'>): boolean {
  return job.state === 'queued' || (job.state === 'running' && !job.cancel_requested)
}

/** Seconds the job has run (to its end, or to `now` while running); null before it started. */
export function jobDurationSeconds(job: Pick<JobRow, 'started_at' | 'finished_at'>, now: number): number | null {
  if (!job.started_at) return null
  const start = Date.parse(job.started_at)
  const end = job.finished_at ? Date.parse(job.finished_at) : now
  if (Number.isNaN(start) || Number.isNaN(end)) return null
  return Math.max(0, Math.round((end - start) / 1000))
}

/** 5 → "5 s", 125 → "2 min 5 s", 3720 → "1 h 2 min"; null → "" (an empty cell). */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return ''
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const rest = seconds % 60
  if (hours > 0) return `${hours} h ${minutes} min`
  if (minutes > 0) return `${minutes} min ${rest} s`
  return `${rest} s`
}

/** "xlsx" → "Descarcă XLSX". */
export function downloadLabel(format: string): string {
  return `Descarcă ${format.toUpperCase()}`
}

/** Where the receipt an OCR job read into opens (with its company), or null for other jobs. */
export function receiptLocation(job: Pick<JobRow, 'receipt_id' | 'company_id'>) {
  if (!job.receipt_id) return null
  const query: Record<string, string> = job.company_id === null ? {} : { company: String(job.company_id) }
  return { path: `/data-entry/receipts/${encodeURIComponent(job.receipt_id)}`, query }
}
