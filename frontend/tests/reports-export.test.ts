import { describe, expect, it } from 'vitest'
import { exportParams, exportRequest } from '../src/modules/reports/exportParams'

describe('export params', () => {
  it('keep the report query as sent, company included', () => {
    expect(exportParams({ company_id: 1, year: 2025, month_from: 1, month_to: 3, level: 'synthetic', hide_zero: false }))
      .toEqual({ company_id: 1, year: 2025, month_from: 1, month_to: 3, level: 'synthetic', hide_zero: false })
  })

  it('drop empty filters and paging', () => {
    expect(exportParams({
      company_id: 2, kind: 'sales', status: 'all', date_from: undefined, date_to: '', partner_id: null,
      limit: 50, cursor: 'abc', as_of: '2025-12-31',
    })).toEqual({ company_id: 2, kind: 'sales', status: 'all', as_of: '2025-12-31' })
  })

  it('build the request body', () => {
    expect(exportRequest('trial_balance', 'pdf', { company_id: 1, year: 2025, account_prefix: undefined }))
      .toEqual({ report: 'trial_balance', format: 'pdf', params: { company_id: 1, year: 2025 } })
  })
})
