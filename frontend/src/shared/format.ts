/** Romanian formatting: numbers as 1.234,56, dates as 31.12.2025, months by name. */

const money = new Intl.NumberFormat('ro-RO', {
  minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: 'always', signDisplay: 'negative',
})
const integer = new Intl.NumberFormat('ro-RO', { maximumFractionDigits: 0, useGrouping: 'always' })

export const MONTHS = [
  'ianuarie', 'februarie', 'martie', 'aprilie', 'mai', 'iunie',
  'iulie', 'august', 'septembrie', 'octombrie', 'noiembrie', 'decembrie',
] as const

/** 1234.5 → "1.234,50"; null/undefined → "" (an empty cell, not a zero). */
export function formatMoney(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  const number = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(number)) return ''
  return money.format(number)
}

/** 1234.5 → "1.234,50 lei". */
export function formatLei(value: number | string | null | undefined): string {
  const text = formatMoney(value)
  return text ? `${text} lei` : ''
}

/** 12345 → "12.345". */
export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : integer.format(value)
}

/** "2025-12-31" or an ISO date-time → "31.12.2025" (date-times in the browser's time zone). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return ''
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (plain) return `${plain[3]}.${plain[2]}.${plain[1]}`
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return value
  return `${pad(date.getDate())}.${pad(date.getMonth() + 1)}.${date.getFullYear()}`
}

/** An ISO date-time → "31.12.2025 14:05". */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return ''
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return value
  return `${formatDate(value)} ${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/** "31.12.2025" (or "31/12/2025", "31-12-2025") → "2025-12-31"; null when it is not a date. */
export function parseDate(text: string): string | null {
  const match = /^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$/.exec(text)
  if (!match) return null
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null
  return isoDate(year, month, day)
}

/** 2025, 2, 1 → "2025-02-01" (the API's date text). */
export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`
}

/** "1.234,56" (or "1234.56", "1234,5") → 1234.56; null when it is not a number. */
export function parseMoney(text: string): number | null {
  let clean = text.trim().replace(/\s|lei/gi, '')
  if (!clean) return null
  if (clean.includes(',')) clean = clean.replace(/\./g, '').replace(',', '.')
  else if (/^\d{1,3}(\.\d{3})+$/.test(clean)) clean = clean.replace(/\./g, '')
  const number = Number(clean)
  return Number.isFinite(number) && /^-?\d+(\.\d+)?$/.test(clean) ? number : null
}

/** 3 → "martie"; 3, 2025 → "martie 2025". */
export function monthName(month: number, year?: number): string {
  const name = MONTHS[month - 1] ?? String(month)
  return year === undefined ? name : `${name} ${year}`
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}
