/** Periods of the report pages: the default from the company's calendar, month ranges as dates. */
import { firmDay } from '@/shared/firmDate'
import { isoDate } from '@/shared/format'

export interface CurrentPeriod {
  year: number
  month: number
}

/** The last day of a month (1–12) as a number (28–31). */
export function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** A month as an ISO date range: 2025, 2 → { date_from: "2025-02-01", date_to: "2025-02-28" }. */
export function monthRange(year: number, month: number): { date_from: string; date_to: string } {
  return {
    date_from: isoDate(year, month, 1),
    date_to: isoDate(year, month, lastDayOfMonth(year, month)),
  }
}

/**
 * The period a page opens on: the calendar's `current` (the first open month), or — while the
 * calendar is not known or has none — the firm's month at `now` (Bucharest's).
 */
export function defaultPeriod(current: CurrentPeriod | null | undefined, now: Date = new Date()): CurrentPeriod {
  if (current && current.year > 0 && current.month >= 1 && current.month <= 12) return { year: current.year, month: current.month }
  const { year, month } = firmDay(now)
  return { year, month }
}

/** The years to offer in a select: the calendar's, plus the chosen one if the calendar lacks it, newest first. */
export function yearOptions(years: readonly number[], chosen: number): number[] {
  const all = new Set(years)
  if (chosen > 0) all.add(chosen)
  return [...all].sort((a, b) => b - a)
}
