import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, formatLei, formatMoney, monthName, parseDate, parseMoney } from '../src/shared/format'

describe('Romanian numbers', () => {
  it('groups thousands with a dot and uses a decimal comma, always two decimals', () => {
    expect(formatMoney(1234.56)).toBe('1.234,56')
    expect(formatMoney(1234.5)).toBe('1.234,50')
    expect(formatMoney(1234567.891)).toBe('1.234.567,89')
    expect(formatMoney(0)).toBe('0,00')
    expect(formatMoney(-0.001)).toBe('0,00')
    expect(formatMoney(-2500)).toBe('-2.500,00')
    expect(formatMoney('19.5')).toBe('19,50')
  })

  it('leaves missing values empty rather than zero', () => {
    expect(formatMoney(null)).toBe('')
    expect(formatMoney(undefined)).toBe('')
    expect(formatMoney('abc')).toBe('')
    expect(formatLei(null)).toBe('')
  })

  it('adds the currency', () => {
    expect(formatLei(1234.56)).toBe('1.234,56 lei')
  })

  it('reads what a Romanian user types', () => {
    expect(parseMoney('1.234,56')).toBe(1234.56)
    expect(parseMoney('1234,5')).toBe(1234.5)
    expect(parseMoney('1234.56')).toBe(1234.56)
    expect(parseMoney('12.345')).toBe(12345)
    expect(parseMoney('1.234,56 lei')).toBe(1234.56)
    expect(parseMoney('')).toBeNull()
    expect(parseMoney('12a')).toBeNull()
  })
})

describe('Romanian dates', () => {
  it('shows ISO dates as day.month.year', () => {
    expect(formatDate('2025-12-31')).toBe('31.12.2025')
    expect(formatDate('2025-01-05')).toBe('05.01.2025')
    expect(formatDate(null)).toBe('')
  })

  it('shows date-times in the local zone with hours and minutes', () => {
    const local = new Date(2025, 11, 31, 14, 5)
    expect(formatDateTime(local.toISOString())).toBe('31.12.2025 14:05')
  })

  it('reads day.month.year and refuses impossible dates', () => {
    expect(parseDate('31.12.2025')).toBe('2025-12-31')
    expect(parseDate('1/2/2025')).toBe('2025-02-01')
    expect(parseDate('31.02.2025')).toBeNull()
    expect(parseDate('2025-12-31')).toBeNull()
  })

  it('names the months in Romanian', () => {
    expect(monthName(8)).toBe('august')
    expect(monthName(12, 2025)).toBe('decembrie 2025')
  })
})
