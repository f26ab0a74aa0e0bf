import { describe, expect, it } from 'vitest'
import type { Receipt } from '../src/modules/data-entry/labels'
import { formOf, patchOf, problemFieldErrors, unsureFields } from '../src/modules/data-entry/receipt-form'

const receipt = {
  id: 'r1', company_id: 7, state: 'DRAFT', version: 3, source: 'ocr', supplier_partner_id: null,
  supplier_name: 'ALFA PETROL SRL', supplier_cif: 'RO12345674', document_number: '37', receipt_date: '2025-09-15',
  payment_method: 'card', total: 1234.5, vat_lines: [{ rate: 21, base: 1020.25, vat: 214.25 }],
  expense_account: '6022', deductible: true, buyer_cif_present: false, notes: null, settlement_account: '5121',
  edited_fields: ['total'], created_by: 'u1', created_by_name: 'ion', created_at: '2025-09-15T10:00:00',
  updated_at: '2025-09-15T10:00:00', last_edited_by: 'u1', last_edited_by_name: 'ion', last_edited_at: null,
  submitted_at: null, submitted_by: null, submitted_by_name: null, decided_by: null, decided_at: null,
  rejection_reason: null, exported_at: null, attachments: [], warnings: [],
  ocr: { job_id: 'j1', state: 'done', confidence: { supplier_cif: 0.99, receipt_date: 0.4, total: 0.3, time: 0.2, buyer_cif: 0 }, applied: [], warnings: [], error: null },
} as unknown as Receipt

describe('the receipt form', () => {
  it('shows dates and sums the Romanian way', () => {
    const form = formOf(receipt)
    expect(form.receipt_date).toBe('15.09.2025')
    expect(form.total).toBe('1.234,50')
    expect(form.vat_lines).toEqual([{ rate: '21', base: '1.020,25', vat: '214,25' }])
    expect(form.notes).toBe('')
  })

  it('sends only what changed, in API units', () => {
    const original = formOf(receipt)
    const form = { ...original, receipt_date: '16.09.2025', total: '1.300,00', notes: '  benzină ' }
    expect(patchOf(form, original)).toEqual({
      body: { receipt_date: '2025-09-16', total: 1300, notes: 'benzină' }, errors: {},
    })
    expect(patchOf(original, original).body).toEqual({})
  })

  it('clears a field emptied by the user', () => {
    const original = formOf(receipt)
    expect(patchOf({ ...original, supplier_cif: ' ', payment_method: '' }, original).body).toEqual({
      supplier_cif: null, payment_method: null,
    })
  })

  it('sends the VAT lines whole when one changes', () => {
    const original = formOf(receipt)
    const form = { ...original, vat_lines: [{ rate: '21', base: '1.020,25', vat: '214,25' }, { rate: '11', base: '100', vat: '11,00' }] }
    expect(patchOf(form, original).body.vat_lines).toEqual([
      { rate: 21, base: 1020.25, vat: 214.25 }, { rate: 11, base: 100, vat: 11 },
    ])
  })

  it('refuses a date or a sum it cannot read, naming the field', () => {
    const original = formOf(receipt)
    const { errors } = patchOf({ ...original, receipt_date: '31.02.2025', total: '12a', vat_lines: [{ rate: '', base: '', vat: '1' }] }, original)
    expect(Object.keys(errors).sort()).toEqual(['receipt_date', 'total', 'vat_lines-0-base', 'vat_lines-0-rate'])
  })

  it("keys the server's field errors like the inputs", () => {
    const problem = { status: 400, errors: [
      { loc: ['vat_lines', '0', 'vat'], msg: 'TVA-ul nu este 21% din bază', type: 'vat_mismatch' },
      { loc: ['body', 'supplier_cif'], msg: 'CIF-ul nu este valid', type: 'cif' },
    ] }
    expect(problemFieldErrors(problem)).toEqual({ 'vat_lines-0-vat': 'TVA-ul nu este 21% din bază', supplier_cif: 'CIF-ul nu este valid' })
  })

  it('marks unsure OCR readings of form fields the user has not corrected', () => {
    expect([...unsureFields(receipt)]).toEqual(['receipt_date'])
  })
})
