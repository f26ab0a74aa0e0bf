import { describe, expect, it } from 'vitest'
import { defaultPeriod, lastDayOfMonth, monthRange, yearOptions } from '../src/modules/reports/period'
import { firmTodayIso } from '../src/shared/firmDate'

describe('default period', () => {
  it('is the calendar current period', () => {
    expect(defaultPeriod({ year: 2025, month: 11 }, new Date(Date.UTC(2026, 4, 3, 12)))).toEqual({ year: 2025, month: 11 })
  })

  it('falls back to the month of today without a calendar', () => {
    expect(defaultPeriod(null, new Date(Date.UTC(2026, 4, 3, 12)))).toEqual({ year: 2026, month: 5 })
    expect(defaultPeriod({ year: 2025, month: 13 }, new Date(Date.UTC(2026, 0, 31, 12)))).toEqual({ year: 2026, month: 1 })
  })

  it("takes the firm's month: New Year's Eve 22:30 UTC is already January in Bucharest", () => {
    expect(defaultPeriod(null, new Date(Date.UTC(2025, 11, 31, 22, 30)))).toEqual({ year: 2026, month: 1 })
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

  it("writes today as the firm's day in Bucharest, as the server counts it, not the browser's", () => {
    expect(firmTodayIso(new Date(Date.UTC(2025, 0, 5, 21, 59)))).toBe('2025-01-05') // 23:59 in Bucharest (+2)
    expect(firmTodayIso(new Date(Date.UTC(2025, 0, 5, 22, 0)))).toBe('2025-01-06') // 00:00 there, still the 5th in UTC
    expect(firmTodayIso(new Date(Date.UTC(2025, 5, 30, 21, 0)))).toBe('2025-07-01') // summer time (+3)
    expect(firmTodayIso(new Date(Date.UTC(2025, 5, 30, 20, 59)))).toBe('2025-06-30')
  })
})

describe('year options', () => {
  it('are the calendar years newest first, with the chosen year added when missing', () => {
    expect(yearOptions([2024, 2025], 2025)).toEqual([2025, 2024])
    expect(yearOptions([2024, 2025], 2023)).toEqual([2025, 2024, 2023])
    expect(yearOptions([], 0)).toEqual([])
  })
})
