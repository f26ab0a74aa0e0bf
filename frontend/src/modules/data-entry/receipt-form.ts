/**
 * The receipt form as the page edits it: every value a string as typed (dates 31.12.2025, money
 * 1.234,56), turned back into the PATCH body with only the fields the user changed (a field sent
 * becomes the user's own and a later OCR run leaves it alone). Errors by field key, the same key
 * as the input's data-testid suffix: `total`, `vat_lines-0-rate`.
 */
import type { operations } from '@/shared/api/schema'
import { formatDate, formatMoney, parseDate, parseMoney } from '@/shared/format'
import type { Problem } from '@/shared/api/problem'
import type { PaymentMethod, Receipt } from './labels'

export type ReceiptPatch = NonNullable<operations['patch_update_receipt']['requestBody']>['content']['application/json']

export interface VatLineForm {
  rate: string
  base: string
  vat: string
}

export interface ReceiptForm {
  supplier_partner_id: string
  supplier_name: string
  supplier_cif: string
  document_number: string
  receipt_date: string
  payment_method: string
  total: string
  vat_lines: VatLineForm[]
  expense_account: string
  deductible: boolean
  buyer_cif_present: boolean
  notes: string
  settlement_account: string
}

export type FieldErrors = Record<string, string>

/** A field's OCR reading counts as unsure below this confidence. */
export const LOW_CONFIDENCE = 0.8

const TEXT_FIELDS = ['supplier_name', 'supplier_cif', 'document_number', 'expense_account', 'notes'] as const

function text(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value)
}

/** The form's values for a receipt as the API sent it. */
export function formOf(receipt: Receipt): ReceiptForm {
  return {
    supplier_partner_id: text(receipt.supplier_partner_id),
    supplier_name: text(receipt.supplier_name),
    supplier_cif: text(receipt.supplier_cif),
    document_number: text(receipt.document_number),
    receipt_date: formatDate(receipt.receipt_date),
    payment_method: text(receipt.payment_method),
    total: formatMoney(receipt.total),
    vat_lines: receipt.vat_lines.map((line) => ({
      rate: String(line.rate), base: formatMoney(line.base), vat: formatMoney(line.vat),
    })),
    expense_account: text(receipt.expense_account),
    deductible: receipt.deductible,
    buyer_cif_present: receipt.buyer_cif_present,
    notes: text(receipt.notes),
    // the usual account is the server's choice while none is set: the form shows it as "usual"
    settlement_account: receipt.payment_method && receipt.settlement_account ? receipt.settlement_account : '',
  }
}

export function emptyVatLine(rate = ''): VatLineForm {
  return { rate, base: '', vat: '' }
}

function money(value: string, key: string, errors: FieldErrors): number | null {
  if (!value.trim()) return null
  const number = parseMoney(value)
  if (number === null) errors[key] = 'Scrieți suma ca 1.234,56.'
  return number
}

function vatLines(lines: VatLineForm[], errors: FieldErrors): ReceiptPatch['vat_lines'] {
  return lines.map((line, index) => {
    const rate = Number(line.rate)
    if (line.rate === '' || !Number.isInteger(rate)) errors[`vat_lines-${index}-rate`] = 'Alegeți cota de TVA.'
    const base = money(line.base, `vat_lines-${index}-base`, errors)
    const vat = money(line.vat, `vat_lines-${index}-vat`, errors)
    if (line.base.trim() === '') errors[`vat_lines-${index}-base`] = 'Completați baza.'
    if (line.vat.trim() === '') errors[`vat_lines-${index}-vat`] = 'Completați TVA-ul.'
    return { rate, base: base ?? 0, vat: vat ?? 0 }
  })
}

/**
 * The PATCH body for what changed between `original` and `form`, or the errors of values that
 * cannot be read (a date that is not 31.12.2025, a sum that is not 1.234,56).
 */
export function patchOf(form: ReceiptForm, original: ReceiptForm): { body: ReceiptPatch; errors: FieldErrors } {
  const body: ReceiptPatch = {}
  const errors: FieldErrors = {}
  for (const name of TEXT_FIELDS) {
    if (form[name].trim() !== original[name].trim()) body[name] = form[name].trim() || null
  }
  if (form.supplier_partner_id !== original.supplier_partner_id) {
    body.supplier_partner_id = form.supplier_partner_id ? Number(form.supplier_partner_id) : null
  }
  if (form.receipt_date.trim() !== original.receipt_date) {
    const day = form.receipt_date.trim() ? parseDate(form.receipt_date) : null
    if (form.receipt_date.trim() && day === null) errors.receipt_date = 'Scrieți data ca 31.12.2025.'
    body.receipt_date = day
  }
  if (form.payment_method !== original.payment_method) {
    body.payment_method = (form.payment_method || null) as PaymentMethod | null
  }
  if (form.total.trim() !== original.total) body.total = money(form.total, 'total', errors)
  if (JSON.stringify(form.vat_lines) !== JSON.stringify(original.vat_lines)) body.vat_lines = vatLines(form.vat_lines, errors)
  if (form.deductible !== original.deductible) body.deductible = form.deductible
  if (form.buyer_cif_present !== original.buyer_cif_present) body.buyer_cif_present = form.buyer_cif_present
  if (form.settlement_account !== original.settlement_account) {
    body.settlement_account = (form.settlement_account || null) as ReceiptPatch['settlement_account']
  }
  return { body, errors }
}

/** The field errors of a problem+json, by field key ("vat_lines-0-rate"); general ones under "". */
export function problemFieldErrors(problem: Problem | undefined): FieldErrors {
  const errors: FieldErrors = {}
  for (const item of problem?.errors ?? []) {
    const entry = item as { loc?: unknown; msg?: unknown; message?: unknown; field?: unknown }
    const loc = Array.isArray(entry.loc) ? entry.loc.map(String) : entry.field ? [String(entry.field)] : []
    const key = loc.filter((part) => part !== 'body').join('-')
    const message = String(entry.msg ?? entry.message ?? '')
    errors[key] = errors[key] ? `${errors[key]} ${message}` : message
  }
  return errors
}

// the form's fields OCR fills (its other readings — time, items, the buyer's CIF — have no input)
const READ_FIELDS = new Set([
  'supplier_name', 'supplier_cif', 'document_number', 'receipt_date', 'payment_method', 'total', 'vat_lines',
  'expense_account', 'buyer_cif_present',
])

/**
 * The fields OCR read with low confidence and the user has not corrected since, by field key
 * (a VAT line's fields are keyed as the whole list, `vat_lines`).
 */
export function unsureFields(receipt: Receipt, threshold = LOW_CONFIDENCE): Set<string> {
  const unsure = new Set<string>()
  const confidence = receipt.ocr?.confidence ?? {}
  for (const [name, value] of Object.entries(confidence)) {
    if (READ_FIELDS.has(name) && value < threshold && !receipt.edited_fields.includes(name)) unsure.add(name)
  }
  return unsure
}
