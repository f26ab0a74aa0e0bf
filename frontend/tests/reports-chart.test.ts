import { describe, expect, it } from 'vitest'
import { chartSeries, shortMonthLabel } from '../src/modules/reports/chartData'

describe('chart labels', () => {
  it('are short Romanian month names with the year', () => {
    expect(shortMonthLabel(12, 2025)).toBe('dec. 2025')
    expect(shortMonthLabel(5, 2026)).toBe('mai 2026')
    expect(shortMonthLabel(6, 2026)).toBe('iun. 2026')
  })

  it('follow the series order with its figures', () => {
    const series = [
      { year: 2025, month: 12, revenue: 10, expenses: 4, result: 6 },
      { year: 2026, month: 1, revenue: 20, expenses: 25, result: -5 },
    ]
    expect(chartSeries(series)).toEqual({ labels: ['dec. 2025', 'ian. 2026'], revenue: [10, 20], expenses: [4, 25] })
  })
})
