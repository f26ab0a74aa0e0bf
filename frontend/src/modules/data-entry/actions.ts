/**
 * Which workflow actions a user may take on a receipt, and why not — the server's rules
 * (roa2web/data_entry/workflow/rules.py) mirrored so the pages show only what will work:
 *
 *   DRAFT --submit--> PENDING --approve--> APPROVED --export--> EXPORTED
 *     ^                  |
 *     +---- edit ---- REJECTED (reject, with a reason) --submit--> PENDING
 *
 * Edits (fields, files, submit, delete, OCR) are for the receipt's creator or an operator of the
 * company; approve and reject need the approver role; nobody who created, last edited or submitted
 * a receipt approves it (four eyes). Admins hold every role. The server stays the judge: these
 * answers only decide which buttons are shown and what the page says instead.
 */

export type ReceiptState = 'DRAFT' | 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPORTED'

export type ReceiptAction = 'edit' | 'attach' | 'detach' | 'delete' | 'ocr' | 'submit' | 'approve' | 'reject'

export const ACTIONS: readonly ReceiptAction[] = ['edit', 'attach', 'detach', 'delete', 'ocr', 'submit', 'approve', 'reject']

/** What the rules need of a receipt (ReceiptOut has all of it). */
export interface ReceiptFacts {
  state: ReceiptState
  company_id: number
  created_by: string
  last_edited_by?: string | null
  submitted_by?: string | null
  attachments?: readonly unknown[]
}

/** What the rules need of the user (UserOut has all of it); `company_ids` null: every company. */
export interface UserFacts {
  id: string
  roles: readonly string[]
  company_ids?: readonly number[] | null
}

export interface Verdict {
  allowed: boolean
  /** Why not, in Romanian (empty when allowed). */
  reason: string
}

const EDITABLE: readonly ReceiptState[] = ['DRAFT', 'REJECTED']
const DRAFT_ONLY: readonly ReceiptState[] = ['DRAFT']
const DECIDABLE: readonly ReceiptState[] = ['PENDING']

const STATE_WORDS: Record<ReceiptState, string> = {
  DRAFT: 'ciornă',
  PENDING: 'în așteptarea aprobării',
  APPROVED: 'aprobat',
  REJECTED: 'respins',
  EXPORTED: 'exportat',
}

const VERBS: Record<ReceiptAction, string> = {
  edit: 'modifica bonul',
  attach: 'atașa un fișier la bon',
  detach: 'elimina un fișier al bonului',
  delete: 'șterge bonul',
  ocr: 'citi bonul din fotografie',
  submit: 'trimite bonul spre aprobare',
  approve: 'aproba bonul',
  reject: 'respinge bonul',
}

const ALLOWED: Verdict = { allowed: true, reason: '' }

function refuse(reason: string): Verdict {
  return { allowed: false, reason }
}

/** True when the user holds any of `roles` (admins hold all). */
export function holdsRole(user: UserFacts, ...roles: string[]): boolean {
  return user.roles.includes('admin') || roles.some((role) => user.roles.includes(role))
}

function seesCompany(user: UserFacts, companyId: number): boolean {
  return user.company_ids === null || user.company_ids === undefined || user.company_ids.includes(companyId)
}

/** "ciornă sau respins", in the server's order of states. */
function statesList(states: readonly ReceiptState[]): string {
  return states.map((state) => STATE_WORDS[state]).join(' sau ')
}

function stateCheck(receipt: ReceiptFacts, allowed: readonly ReceiptState[], action: ReceiptAction): Verdict {
  if (allowed.includes(receipt.state)) return ALLOWED
  return refuse(`Nu se poate ${VERBS[action]}: bonul este ${STATE_WORDS[receipt.state]}, iar aceasta se poate doar când este ${statesList(allowed)}.`)
}

const INVOLVEMENT = {
  created: 'l-ați creat',
  last_edited: 'l-ați modificat ultimul',
  submitted: 'l-ați trimis spre aprobare',
} as const

/** How the user took part in the receipt's current content (the four-eyes rule's facts). */
export function involvement(receipt: ReceiptFacts, user: UserFacts): (keyof typeof INVOLVEMENT)[] {
  const who = { created: receipt.created_by, last_edited: receipt.last_edited_by, submitted: receipt.submitted_by }
  return (Object.keys(who) as (keyof typeof INVOLVEMENT)[]).filter((role) => who[role] != null && who[role] === user.id)
}

function andList(parts: string[]): string {
  return parts.length === 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} și ${parts[parts.length - 1]}`
}

function editor(receipt: ReceiptFacts, user: UserFacts): Verdict {
  if (user.id === receipt.created_by || holdsRole(user, 'operator')) return ALLOWED
  return refuse('Bonul poate fi modificat doar de cel care l-a creat sau de un operator.')
}

function decider(user: UserFacts, action: 'approve' | 'reject'): Verdict {
  return holdsRole(user, 'approver') ? ALLOWED : refuse(`Doar un aprobator poate ${VERBS[action]}.`)
}

function fourEyes(receipt: ReceiptFacts, user: UserFacts): Verdict {
  const parts = involvement(receipt, user)
  if (parts.length === 0) return ALLOWED
  return refuse(
    `Nu puteți aproba un bon pe care ${andList(parts.map((part) => INVOLVEMENT[part]))}: trebuie aprobat de altcineva ` +
      'decât cine l-a creat, l-a modificat ultimul sau l-a trimis spre aprobare.',
  )
}

function firstRefusal(...checks: (() => Verdict)[]): Verdict {
  for (const check of checks) {
    const verdict = check()
    if (!verdict.allowed) return verdict
  }
  return ALLOWED
}

/** May `user` take `action` on `receipt`? When not, the reason (the one the server would give first). */
export function verdict(receipt: ReceiptFacts, user: UserFacts, action: ReceiptAction): Verdict {
  if (!seesCompany(user, receipt.company_id)) return refuse(`Nu aveți drepturi pe firma ${receipt.company_id}.`)
  switch (action) {
    case 'edit':
    case 'attach':
    case 'submit':
      return firstRefusal(() => editor(receipt, user), () => stateCheck(receipt, EDITABLE, action))
    case 'detach':
    case 'delete':
      return firstRefusal(() => editor(receipt, user), () => stateCheck(receipt, DRAFT_ONLY, action))
    case 'ocr':
      return firstRefusal(
        () => editor(receipt, user),
        () => stateCheck(receipt, DRAFT_ONLY, action),
        () => (receipt.attachments && receipt.attachments.length === 0
          ? refuse('Bonul nu are nicio fotografie sau PDF de citit.')
          : ALLOWED),
      )
    case 'approve':
      return firstRefusal(
        () => decider(user, action),
        () => fourEyes(receipt, user),
        () => stateCheck(receipt, DECIDABLE, action),
      )
    case 'reject':
      return firstRefusal(() => decider(user, action), () => stateCheck(receipt, DECIDABLE, action))
  }
}

/** Every action's verdict at once (what a page needs to lay out its buttons). */
export function verdicts(receipt: ReceiptFacts, user: UserFacts): Record<ReceiptAction, Verdict> {
  return Object.fromEntries(ACTIONS.map((action) => [action, verdict(receipt, user, action)])) as Record<
    ReceiptAction,
    Verdict
  >
}

/** The actions allowed, in button order. */
export function allowedActions(receipt: ReceiptFacts, user: UserFacts): ReceiptAction[] {
  return ACTIONS.filter((action) => verdict(receipt, user, action).allowed)
}
