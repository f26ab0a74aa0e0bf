/** The twelve-month series as the chart shows it: Romanian month labels, revenue and expenses. */
import { MONTHS } from '@/shared/format'

export interface MonthFigures {
  year: number
  month: number
  revenue: number
  expenses: number
  result: number
}

/** 12, 2025 → "dec. 2025"; 5, 2026 → "mai 2026" (names of up to four letters stay whole). */
export function shortMonthLabel(month: number, year: number): string {
  const name = MONTHS[month - 1] ?? String(month)
  return `${name.length <= 4 ? name : `${name.slice(0, 3)}.`} ${year}`
}

/** The chart's labels and its two data sets, in the series' order. */
export function chartSeries(series: readonly MonthFigures[]) {
  return {
    labels: series.map((item) => shortMonthLabel(item.month, item.year)),
    revenue: series.map((item) => item.revenue),
    expenses: series.map((item) => item.expenses),
  }
}
