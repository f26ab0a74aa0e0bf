import { describe, expect, it } from 'vitest'
import { AMOUNT_COLUMNS, checkPairs, sameAmount } from '../src/modules/reports/trialBalance'

const balanced = {
  opening_debit: 1142974.32, opening_credit: 1142974.32,
  previous_debit: 17216036.76, previous_credit: 17216036.76,
  current_debit: 1351483.12, current_credit: 1351483.12,
  total_debit: 19710494.2, total_credit: 19710494.2,
  closing_debit: 1644511.15, closing_credit: 1644511.15,
}

describe('trial balance columns', () => {
  it('are the five pairs, debit before credit, under the API names', () => {
    expect(AMOUNT_COLUMNS).toEqual([
      'opening_debit', 'opening_credit', 'previous_debit', 'previous_credit', 'current_debit', 'current_credit',
      'total_debit', 'total_credit', 'closing_debit', 'closing_credit',
    ])
  })
})

describe('debit = credit check', () => {
  it('passes every pair of balanced totals', () => {
    const checks = checkPairs(balanced)
    expect(checks.map((check) => check.key)).toEqual(['opening', 'previous', 'current', 'total', 'closing'])
    expect(checks.every((check) => check.equal)).toBe(true)
  })

  it('flags the pair that differs, even by one ban', () => {
    const checks = checkPairs({ ...balanced, closing_credit: 1644511.16 })
    expect(checks.filter((check) => !check.equal).map((check) => check.key)).toEqual(['closing'])
  })

  it('compares exactly, with no tolerance', () => {
    expect(sameAmount(0.1 + 0.2, 0.3)).toBe(false)
    expect(sameAmount(10, 10)).toBe(true)
  })

  it('compares decimal strings by value', () => {
    expect(sameAmount('1644511.10', '1644511.1')).toBe(true)
    expect(sameAmount('-0.00', '0')).toBe(true)
    expect(sameAmount('1.5', '1.50')).toBe(true)
    expect(sameAmount('1.5', '1.51')).toBe(false)
    expect(sameAmount('abc', '1')).toBe(false)
  })
})
