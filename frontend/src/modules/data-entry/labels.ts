/** How people read data entry's codes: receipt states, payment methods, settlement accounts. */
import type { Schemas } from '@/shared/api/client'

export type Receipt = Schemas['ReceiptOut']
export type ReceiptState = Schemas['State']
export type PaymentMethod = Schemas['PaymentMethod']

export const STATES: ReceiptState[] = ['DRAFT', 'PENDING', 'APPROVED', 'REJECTED', 'EXPORTED']

/** A state as a label on its own (list column, badge). */
export const STATE_LABELS: Record<ReceiptState, string> = {
  DRAFT: 'Ciornă',
  PENDING: 'În așteptarea aprobării',
  APPROVED: 'Aprobat',
  REJECTED: 'Respins',
  EXPORTED: 'Exportat',
}

/** A state inside a sentence ("bonul este …"), as the server words it. */
export const STATE_WORDS: Record<ReceiptState, string> = {
  DRAFT: 'ciornă',
  PENDING: 'în așteptarea aprobării',
  APPROVED: 'aprobat',
  REJECTED: 'respins',
  EXPORTED: 'exportat',
}

const BADGES: Record<ReceiptState, string> = {
  DRAFT: '',
  PENDING: 'warn',
  APPROVED: 'ok',
  REJECTED: 'bad',
  EXPORTED: 'ok',
}

export function stateLabel(state: string): string {
  return STATE_LABELS[state as ReceiptState] ?? state
}

/** The badge class of a state (styles.css: .badge.ok / .warn / .bad). */
export function stateBadge(state: string): string {
  return `badge ${BADGES[state as ReceiptState] ?? ''}`.trim()
}

export const PAYMENT_METHODS: { value: PaymentMethod; label: string }[] = [
  { value: 'cash', label: 'Numerar' },
  { value: 'card', label: 'Card' },
  { value: 'advance', label: 'Avans de trezorerie' },
  { value: 'supplier', label: 'Prin furnizor (401)' },
]

/** The accounts a method may be paid from; the first is the usual one (the server's default). */
export const SETTLEMENT_ACCOUNTS: Record<PaymentMethod, { value: string; label: string }[]> = {
  cash: [{ value: '5311', label: '5311 Casa în lei' }],
  card: [
    { value: '5121', label: '5121 Conturi la bănci în lei' },
    { value: '5125', label: '5125 Sume în curs de decontare' },
  ],
  advance: [{ value: '542', label: '542 Avansuri de trezorerie' }],
  supplier: [
    { value: '5311', label: '5311 Casa în lei' },
    { value: '5121', label: '5121 Conturi la bănci în lei' },
  ],
}

export function paymentLabel(method: string | null | undefined): string {
  return PAYMENT_METHODS.find((item) => item.value === method)?.label ?? ''
}

/** Labels of the receipt's fields, as the form shows them (and the error summary names them). */
export const FIELD_LABELS: Record<string, string> = {
  supplier_partner_id: 'Furnizor din nomenclator',
  supplier_name: 'Furnizor',
  supplier_cif: 'CIF furnizor',
  document_number: 'Număr bon',
  receipt_date: 'Data bonului',
  payment_method: 'Mod de plată',
  total: 'Total (lei)',
  vat_lines: 'Linii de TVA',
  expense_account: 'Cont de cheltuială',
  deductible: 'Cheltuială deductibilă',
  buyer_cif_present: 'CIF-ul firmei apare pe bon',
  notes: 'Note',
  settlement_account: 'Cont de decontare',
  reason: 'Motivul respingerii',
}

/** The label of an error location such as "vat_lines-0-rate" → "Linii de TVA, rândul 1: cota". */
export function fieldKeyLabel(key: string): string {
  const [name = '', index, part] = key.split('-')
  const base = FIELD_LABELS[name] ?? name
  if (index === undefined) return base
  const parts: Record<string, string> = { rate: 'cota', base: 'baza', vat: 'TVA' }
  return `${base}, rândul ${Number(index) + 1}${part ? `: ${parts[part] ?? part}` : ''}`
}
