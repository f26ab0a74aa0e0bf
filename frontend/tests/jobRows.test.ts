import { describe, expect, it } from 'vitest'
import {
  canCancel,
  downloadLabel,
  formatDuration,
  jobDurationSeconds,
  jobKindLabel,
  jobKindNote,
  jobTitle,
  progressText,
  receiptLocation,
  shouldPoll,
  showsProgress,
  stateBadgeClass,
  stateFilter,
  STATE_FILTERS,
} from '../src/modules/jobs/jobRows'

describe('job kinds in Romanian', () => {
  it('names each kind the API has', () => {
    expect(jobKindLabel('report_export')).toBe('Export raport')
    expect(jobKindLabel('ocr')).toBe('Citire bon (OCR)')
    expect(jobKindLabel('receipts_export')).toBe('Export în ROA')
  })

  it('shows a kind it does not know as the API wrote it', () => {
    expect(jobKindLabel('telegram_digest')).toBe('telegram_digest')
  })
})

describe('which job it is', () => {
  it('shows the title the API wrote, and the kind under it when the title does not say it', () => {
    const report = { kind: 'report_export', title: 'Balanța de verificare, ianuarie 2025 – decembrie 2025 (XLSX)' }
    expect(jobTitle(report)).toBe('Balanța de verificare, ianuarie 2025 – decembrie 2025 (XLSX)')
    expect(jobKindNote(report)).toBe('Export raport')
    const receipts = { kind: 'receipts_export', title: 'Export în ROA, noiembrie 2025' }
    expect(jobKindNote(receipts)).toBe('')
    expect(jobKindNote({ kind: 'ocr', title: 'Citire bon (OCR)' })).toBe('')
  })

  it('falls back to the kind for an empty title', () => {
    expect(jobTitle({ kind: 'ocr', title: ' ' })).toBe('Citire bon (OCR)')
    expect(jobKindNote({ kind: 'ocr', title: '' })).toBe('')
  })
})

describe('the progress cell', () => {
  it('says 100 % for a finished job', () => {
    expect(progressText({ state: 'done', progress: 100 })).toBe('100\u00a0%')
    expect(progressText({ state: 'done', progress: 0 })).toBe('100\u00a0%')
  })

  it('says where a failed or cancelled job stopped, nothing if it never started', () => {
    expect(progressText({ state: 'failed', progress: 40 })).toBe('oprită la 40\u00a0%')
    expect(progressText({ state: 'cancelled', progress: 5 })).toBe('oprită la 5\u00a0%')
    expect(progressText({ state: 'cancelled', progress: 0 })).toBe('')
  })

  it('has no text while the bar shows', () => {
    expect(progressText({ state: 'queued', progress: 0 })).toBe('')
    expect(progressText({ state: 'running', progress: 60 })).toBe('')
  })
})

describe('when the list is polled', () => {
  it('polls while any job is queued or running', () => {
    expect(shouldPoll([{ state: 'done' }, { state: 'running' }])).toBe(true)
    expect(shouldPoll([{ state: 'queued' }])).toBe(true)
  })

  it('stops once every job is finished, or there are none', () => {
    expect(shouldPoll([{ state: 'done' }, { state: 'failed' }, { state: 'cancelled' }])).toBe(false)
    expect(shouldPoll([])).toBe(false)
  })
})

describe('what a row offers', () => {
  it('cancels queued jobs and running ones not already asked to stop', () => {
    expect(canCancel({ state: 'queued', cancel_requested: false })).toBe(true)
    expect(canCancel({ state: 'running', cancel_requested: false })).toBe(true)
    expect(canCancel({ state: 'running', cancel_requested: true })).toBe(false)
    expect(canCancel({ state: 'done', cancel_requested: false })).toBe(false)
    expect(canCancel({ state: 'failed', cancel_requested: false })).toBe(false)
  })

  it('shows progress only while the job may move', () => {
    expect(['queued', 'running', 'done', 'failed', 'cancelled'].map((state) => showsProgress({ state })))
      .toEqual([true, true, false, false, false])
  })

  it('colours the state badge', () => {
    expect(['queued', 'running', 'done', 'failed', 'cancelled'].map(stateBadgeClass))
      .toEqual(['warn', 'warn', 'ok', 'bad', ''])
  })

  it('labels downloads by format', () => {
    expect(downloadLabel('xlsx')).toBe('Descarcă XLSX')
    expect(downloadLabel('pdf')).toBe('Descarcă PDF')
  })

  it('links an OCR job to its receipt in the receipt\'s company', () => {
    expect(receiptLocation({ receipt_id: 'r 1', company_id: 2 }))
      .toEqual({ path: '/data-entry/receipts/r%201', query: { company: '2' } })
    expect(receiptLocation({ receipt_id: 'r1', company_id: null })).toEqual({ path: '/data-entry/receipts/r1', query: {} })
    expect(receiptLocation({ receipt_id: null, company_id: 1 })).toBeNull()
    expect(receiptLocation({ company_id: 1 })).toBeNull()
  })
})

describe('the state filter', () => {
  it('passes the API only the states it knows', () => {
    expect(STATE_FILTERS).toEqual(['queued', 'running', 'done', 'failed', 'cancelled'])
    expect(stateFilter('failed')).toBe('failed')
    expect(stateFilter('')).toBeUndefined()
    expect(stateFilter('finished')).toBeUndefined()
  })
})

describe('durations', () => {
  const start = '2025-12-31T12:00:00Z'

  it('measures from the start to the end, or to now while running', () => {
    expect(jobDurationSeconds({ started_at: start, finished_at: '2025-12-31T12:02:05Z' }, 0)).toBe(125)
    expect(jobDurationSeconds({ started_at: start, finished_at: null }, Date.parse('2025-12-31T12:00:07Z'))).toBe(7)
    expect(jobDurationSeconds({ started_at: null, finished_at: null }, Date.now())).toBeNull()
  })

  it('never goes negative when clocks disagree', () => {
    expect(jobDurationSeconds({ started_at: start, finished_at: null }, Date.parse('2025-12-31T11:59:58Z'))).toBe(0)
  })

  it('reads as seconds, minutes or hours', () => {
    expect(formatDuration(0)).toBe('0 s')
    expect(formatDuration(5)).toBe('5 s')
    expect(formatDuration(125)).toBe('2 min 5 s')
    expect(formatDuration(3720)).toBe('1 h 2 min')
    expect(formatDuration(null)).toBe('')
  })
})
