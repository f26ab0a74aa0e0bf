/**
 * The firm's calendar day. The firms are Romanian: their "today" is the day in Europe/Bucharest,
 * as the server decides it (roa2web/dates.py `today()`), whatever zone the browser is set to —
 * so a default date on a page is the same day the API counts up to.
 */
import { isoDate } from './format'

export const FIRM_TIME_ZONE = 'Europe/Bucharest'

export interface FirmDay {
  year: number
  month: number
  day: number
}

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: FIRM_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
})

/** The day in Bucharest at `now`: 2025-12-31T22:30Z → { year: 2026, month: 1, day: 1 }. */
export function firmDay(now: Date = new Date()): FirmDay {
  const found: FirmDay = { year: 0, month: 0, day: 0 }
  for (const part of parts.formatToParts(now)) {
    if (part.type === 'year' || part.type === 'month' || part.type === 'day') found[part.type] = Number(part.value)
  }
  return found
}

/** The day in Bucharest at `now` as an ISO date ("2026-01-01"). */
export function firmTodayIso(now: Date = new Date()): string {
  const { year, month, day } = firmDay(now)
  return isoDate(year, month, day)
}
