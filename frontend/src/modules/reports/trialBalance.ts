/** The trial balance's five debit/credit pairs and the check that the totals' debit equals credit. */

export const PAIRS = [
  { key: 'opening', label: 'Solduri inițiale' },
  { key: 'previous', label: 'Rulaje precedente' },
  { key: 'current', label: 'Rulaje curente' },
  { key: 'total', label: 'Sume totale' },
  { key: 'closing', label: 'Solduri finale' },
] as const

export type PairKey = (typeof PAIRS)[number]['key']
export type AmountColumn = `${PairKey}_${'debit' | 'credit'}`

/** The ten amount columns in display order: opening_debit, opening_credit, … closing_credit. */
export const AMOUNT_COLUMNS: AmountColumn[] = PAIRS.flatMap((pair) => [
  `${pair.key}_debit` as AmountColumn,
  `${pair.key}_credit` as AmountColumn,
])

export interface PairCheck {
  key: PairKey
  label: string
  debit: number | string
  credit: number | string
  /** The API's debit and credit are the same figure (compared exactly, as the API gave them). */
  equal: boolean
}

/** Compare two amounts exactly as the API wrote them (numbers, or decimal strings "1.50" = "1.5"). */
export function sameAmount(a: number | string, b: number | string): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b
  const left = typeof a === 'string' ? a.trim() : String(a)
  const right = typeof b === 'string' ? b.trim() : String(b)
  if (left === right) return true
  const canonical = (text: string) => {
    const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text)
    if (!match) return null
    const whole = match[2]!.replace(/^0+(?=\d)/, '')
    const fraction = (match[3] ?? '').replace(/0+$/, '')
    const sign = whole === '0' && fraction === '' ? '' : match[1]
    return `${sign}${whole}.${fraction}`
  }
  const x = canonical(left)
  return x !== null && x === canonical(right)
}

/** Each pair of the totals with whether its debit equals its credit. */
export function checkPairs(totals: Record<AmountColumn, number | string>): PairCheck[] {
  return PAIRS.map((pair) => {
    const debit = totals[`${pair.key}_debit`]
    const credit = totals[`${pair.key}_credit`]
    return { key: pair.key, label: pair.label, debit, credit, equal: sameAmount(debit, credit) }
  })
}
