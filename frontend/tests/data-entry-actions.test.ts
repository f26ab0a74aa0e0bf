import { describe, expect, it } from 'vitest'
import {
  ACTIONS, allowedActions, involvement, verdict, verdicts,
  type ReceiptAction, type ReceiptFacts, type ReceiptState, type UserFacts,
} from '../src/modules/data-entry/actions'

const STATES: ReceiptState[] = ['DRAFT', 'PENDING', 'APPROVED', 'REJECTED', 'EXPORTED']
const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const

function receipt(state: ReceiptState, extra: Partial<ReceiptFacts> = {}): ReceiptFacts {
  return {
    state, company_id: 7, created_by: 'creator', last_edited_by: 'creator',
    submitted_by: state === 'DRAFT' ? null : 'creator', attachments: [{ id: 'a1' }], ...extra,
  }
}

function user(role: string, extra: Partial<UserFacts> = {}): UserFacts {
  return { id: `u-${role}`, roles: [role], company_ids: [7], ...extra }
}

/** The server's rules, written out as a table: which role may do what in which state (not involved). */
function expected(role: (typeof ROLES)[number], state: ReceiptState, action: ReceiptAction): boolean {
  const edits = role === 'operator' || role === 'admin'
  const decides = role === 'approver' || role === 'admin'
  switch (action) {
    case 'edit': case 'attach': case 'submit': return edits && (state === 'DRAFT' || state === 'REJECTED')
    case 'detach': case 'delete': case 'ocr': return edits && state === 'DRAFT'
    case 'approve': case 'reject': return decides && state === 'PENDING'
  }
}

describe('state × role', () => {
  for (const state of STATES) {
    for (const role of ROLES) {
      it(`${role} on a ${state} receipt made by someone else`, () => {
        const answers = verdicts(receipt(state), user(role))
        for (const action of ACTIONS) {
          expect({ action, allowed: answers[action].allowed }).toEqual({ action, allowed: expected(role, state, action) })
          expect(answers[action].reason === '').toBe(answers[action].allowed)
        }
      })
    }
  }
})

describe('why not', () => {
  it('names the states an edit needs, as the server does', () => {
    expect(verdict(receipt('PENDING'), user('operator'), 'edit').reason).toBe(
      'Nu se poate modifica bonul: bonul este în așteptarea aprobării, iar aceasta se poate doar când este ciornă sau respins.',
    )
    expect(verdict(receipt('REJECTED'), user('operator'), 'delete').reason).toBe(
      'Nu se poate șterge bonul: bonul este respins, iar aceasta se poate doar când este ciornă.',
    )
  })

  it('keeps edits for the creator or an operator', () => {
    expect(verdict(receipt('DRAFT'), user('approver'), 'edit').reason).toBe(
      'Bonul poate fi modificat doar de cel care l-a creat sau de un operator.',
    )
    expect(verdict(receipt('DRAFT'), user('viewer'), 'submit').reason).toBe(
      'Bonul poate fi modificat doar de cel care l-a creat sau de un operator.',
    )
  })

  it('keeps decisions for approvers', () => {
    expect(verdict(receipt('PENDING'), user('operator'), 'approve').reason).toBe('Doar un aprobator poate aproba bonul.')
    expect(verdict(receipt('PENDING'), user('viewer'), 'reject').reason).toBe('Doar un aprobator poate respinge bonul.')
  })

  it('checks the role before the state for decisions', () => {
    expect(verdict(receipt('DRAFT'), user('operator'), 'approve').reason).toBe('Doar un aprobator poate aproba bonul.')
    expect(verdict(receipt('DRAFT'), user('approver'), 'approve').reason).toContain('bonul este ciornă')
  })

  it('refuses everything on a company the user does not have', () => {
    const stranger = user('admin', { company_ids: [8] })
    for (const action of ACTIONS) {
      expect(verdict(receipt('PENDING'), stranger, action)).toEqual({ allowed: false, reason: 'Nu aveți drepturi pe firma 7.' })
    }
  })

  it('lets a user with every company (company_ids null) act', () => {
    expect(verdict(receipt('PENDING'), user('approver', { company_ids: null }), 'approve').allowed).toBe(true)
  })

  it('needs a file to read again', () => {
    expect(verdict(receipt('DRAFT', { attachments: [] }), user('operator'), 'ocr').reason).toBe(
      'Bonul nu are nicio fotografie sau PDF de citit.',
    )
  })
})

describe('the creator', () => {
  it('may edit, submit and delete their own draft even without the operator role', () => {
    const creator = user('viewer', { id: 'creator' })
    expect(allowedActions(receipt('DRAFT'), creator)).toEqual(['edit', 'attach', 'detach', 'delete', 'ocr', 'submit'])
    expect(allowedActions(receipt('REJECTED'), creator)).toEqual(['edit', 'attach', 'submit'])
    expect(allowedActions(receipt('APPROVED'), creator)).toEqual([])
  })
})

describe('four eyes', () => {
  const approver = user('approver', { id: 'boss' })

  it('refuses to approve what the approver created, and says why', () => {
    const mine = receipt('PENDING', { created_by: 'boss', last_edited_by: 'other', submitted_by: 'other' })
    expect(involvement(mine, approver)).toEqual(['created'])
    expect(verdict(mine, approver, 'approve').reason).toBe(
      'Nu puteți aproba un bon pe care l-ați creat: trebuie aprobat de altcineva decât cine l-a creat, ' +
        'l-a modificat ultimul sau l-a trimis spre aprobare.',
    )
  })

  it('names every part the approver took', () => {
    const mine = receipt('PENDING', { created_by: 'boss', last_edited_by: 'boss', submitted_by: 'boss' })
    expect(verdict(mine, approver, 'approve').reason).toContain(
      'pe care l-ați creat, l-ați modificat ultimul și l-ați trimis spre aprobare:',
    )
  })

  it('counts the last edit and the submission too', () => {
    expect(verdict(receipt('PENDING', { last_edited_by: 'boss' }), approver, 'approve').reason).toContain('l-ați modificat ultimul:')
    expect(verdict(receipt('PENDING', { submitted_by: 'boss' }), approver, 'approve').reason).toContain('l-ați trimis spre aprobare:')
  })

  it('still lets them reject it', () => {
    const mine = receipt('PENDING', { created_by: 'boss', submitted_by: 'boss' })
    expect(verdict(mine, approver, 'reject').allowed).toBe(true)
  })

  it('binds admins too', () => {
    const admin = user('admin', { id: 'root' })
    expect(verdict(receipt('PENDING', { submitted_by: 'root' }), admin, 'approve').allowed).toBe(false)
  })

  it('ignores the unset parts (no submitter yet)', () => {
    expect(involvement(receipt('DRAFT', { submitted_by: null, last_edited_by: null }), user('approver', { id: 'x' }))).toEqual([])
  })
})
