"""The receipt workflow (pure): which action moves which state where, and who may act.

    DRAFT --submit--> PENDING --approve--> APPROVED --export--> EXPORTED
      ^                  |
      |               reject (reason)
      |                  v
      +---- edit ---- REJECTED --submit--> PENDING

Exporting is a state (EXPORTED, with exported_at and the export's job id) rather than a flag, so
an exported receipt can never be exported twice or changed, and lists filter on it like any state.
"""

from __future__ import annotations

from dataclasses import dataclass

from roa2web.auth.principal import Principal
from roa2web.data_entry.errors import Conflict, Forbidden, FourEyes
from roa2web.data_entry.labels import ACTION_VERBS, STATE_LABELS, states_list
from roa2web.data_entry.model import Receipt, State, involved_in

EDITABLE = frozenset({State.DRAFT, State.REJECTED})
DELETABLE = frozenset({State.DRAFT})
READ_ROLES = ("viewer", "operator", "approver")
ENTRY_ROLES = ("operator",)
DECIDE_ROLES = ("approver",)


@dataclass(frozen=True, slots=True)
class Transition:
    """One workflow step."""

    action: str
    sources: frozenset[State]
    target: State


TRANSITIONS = {
    "submit": Transition("submit", EDITABLE, State.PENDING),
    "approve": Transition("approve", frozenset({State.PENDING}), State.APPROVED),
    "reject": Transition("reject", frozenset({State.PENDING}), State.REJECTED),
    "export": Transition("export", frozenset({State.APPROVED}), State.EXPORTED),
}


def ensure_can_read(principal: Principal, company_id: int) -> None:
    """Forbidden unless the user has rights on the company (role checks are at the door)."""
    if not principal.may_see_company(company_id):
        raise Forbidden(f"Nu aveți drepturi pe firma {company_id}.", kind="company-forbidden")


def ensure_can_edit(principal: Principal, receipt: Receipt) -> None:
    """Edits (fields, files, submit, delete, OCR) are for the creator or an operator of the company."""
    ensure_can_read(principal, receipt.company_id)
    if principal.user_id != receipt.created_by and not principal.has_role(*ENTRY_ROLES):
        raise Forbidden("Bonul poate fi modificat doar de cel care l-a creat sau de un operator.",
                        kind="role-forbidden")


def ensure_can_decide(principal: Principal, receipt: Receipt, action: str) -> None:
    """Approve and reject need the approver role; four eyes keeps the receipt's own people from approving.

    Nobody who created, last edited or submitted a receipt approves it. Rejecting stays open to them:
    it only sends the receipt back to be edited (nothing reaches the books), and it is how whoever
    sent it can take it back.
    """
    ensure_can_read(principal, receipt.company_id)
    if not principal.has_role(*DECIDE_ROLES):
        raise Forbidden(f"Doar un aprobator poate {ACTION_VERBS[action]}.", kind="role-forbidden")
    if action == "approve":
        ensure_four_eyes(principal, receipt)


def ensure_four_eyes(principal: Principal, receipt: Receipt) -> None:
    """Forbidden when the caller created, last edited or submitted the receipt; the detail says which."""
    involvement = involved_in(receipt, principal.user_id)
    if involvement:
        raise FourEyes(f"Nu puteți aproba un bon pe care {_and([_INVOLVEMENT[i] for i in involvement])}: "
                       "trebuie aprobat de altcineva decât cine l-a creat, l-a modificat ultimul sau "
                       "l-a trimis spre aprobare.")


_INVOLVEMENT = {"created": "l-ați creat", "last_edited": "l-ați modificat ultimul",
                "submitted": "l-ați trimis spre aprobare"}


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} și {parts[-1]}"


def ensure_state(receipt: Receipt, allowed: frozenset[State], action: str) -> None:
    """Conflict unless the receipt is in one of `allowed`; `action` is a key of labels.ACTION_VERBS."""
    if receipt.state not in allowed:
        raise Conflict(f"Nu se poate {ACTION_VERBS[action]}: bonul este {STATE_LABELS[receipt.state]}, iar "
                       f"aceasta se poate doar când este {states_list(allowed)}.")


def transition_for(action: str, receipt: Receipt) -> Transition:
    """The transition `action` names, checked against the receipt's current state."""
    step = TRANSITIONS[action]
    ensure_state(receipt, step.sources, action)
    return step
