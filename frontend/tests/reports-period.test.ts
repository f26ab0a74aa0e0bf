import { describe, expect, it } from 'vitest'
import { defaultPeriod, lastDayOfMonth, monthRange, todayIso, yearOptions } from '../src/modules/reports/period'

describe('default period', () => {
  it('is the calendar current period', () => {
    expect(defaultPeriod({ year: 2025, month: 11 }, new Date(2026, 4, 3))).toEqual({ year: 2025, month: 11 })
  })

  it('falls back to the month of today without a calendar', () => {
    expect(defaultPeriod(null, new Date(2026, 4, 3))).toEqual({ year: 2026, month: 5 })
    expect(defaultPeriod({ year: 2025, month: 13 }, new Date(2026, 0, 31))).toEqual({ year: 2026, month: 1 })
  })
})

describe('month ranges', () => {
  it('knows the last day of each month, leap years included', () => {
    expect(lastDayOfMonth(2024, 2)).toBe(29)
    expect(lastDayOfMonth(2025, 2)).toBe(28)
    expect(lastDayOfMonth(2025, 12)).toBe(31)
    expect(lastDayOfMonth(2025, 4)).toBe(30)
  })

  it('gives a month as ISO dates', () => {
    expect(monthRange(2025, 2)).toEqual({ date_from: '2025-02-01', date_to: '2025-02-28' })
    expect(monthRange(2025, 12)).toEqual({ date_from: '2025-12-01', date_to: '2025-12-31' })
  })

  it('writes today in the local calendar', () => {
    expect(todayIso(new Date(2025, 0, 5, 23, 59))).toBe('2025-01-05')
  })
})

describe('year options', () => {
  it('are the calendar years newest first, with the chosen year added when missing', () => {
    expect(yearOptions([2024, 2025], 2025)).toEqual([2025, 2024])
    expect(yearOptions([2024, 2025], 2023)).toEqual([2025, 2024, 2023])
    expect(yearOptions([], 0)).toEqual([])
  })
})
