"""How the firm's people read data entry's names: receipt fields, states, history actions, file types.

Everything here is Romanian with diacritics; the identifiers they label (`total_bani`, `DRAFT`,
`submit`) stay in code, logs and the API's machine fields (`loc`, `type`, `state`, `action`).
"""

from __future__ import annotations

from collections.abc import Iterable

from roa2web.data_entry.model import State

# receipt field (domain name, and the API's where it differs) → its name in a sentence
FIELD_LABELS: dict[str, str] = {
    "supplier_partner_id": "furnizorul din nomenclator",
    "supplier_name": "numele furnizorului",
    "supplier_cif": "CIF-ul furnizorului",
    "document_number": "numărul bonului",
    "receipt_date": "data bonului",
    "payment_method": "modul de plată",
    "total_bani": "totalul",
    "total": "totalul",
    "vat_lines": "liniile de TVA",
    "expense_account": "contul de cheltuială",
    "deductible": "deductibilitatea cheltuielii",
    "buyer_cif_present": "CIF-ul firmei pe bon",
    "notes": "notele",
    "settlement_account": "contul de decontare",
}

# a receipt's state, as in "bonul este …"
STATE_LABELS: dict[State, str] = {
    State.DRAFT: "ciornă",
    State.PENDING: "în așteptarea aprobării",
    State.APPROVED: "aprobat",
    State.REJECTED: "respins",
    State.EXPORTED: "exportat",
}

# a history entry's action, as its line in the receipt's history
ACTION_LABELS: dict[str, str] = {
    "create": "Bon creat",
    "update": "Bon modificat",
    "ocr": "Completat din fotografie",
    "attach": "Fișier atașat",
    "detach": "Fișier eliminat",
    "submit": "Trimis spre aprobare",
    "approve": "Aprobat",
    "reject": "Respins",
    "export": "Exportat pentru ROA",
    "rebuild": "Fișierul exportului pentru ROA refăcut",
    "release": "Scos din exportul anulat; din nou aprobat",
    "delete": "Bon șters",
}

# what an action does to a receipt, as in "nu se poate …"
ACTION_VERBS: dict[str, str] = {
    "edit": "modifica bonul",
    "delete": "șterge bonul",
    "attach": "atașa un fișier la bon",
    "detach": "elimina un fișier al bonului",
    "ocr": "citi bonul din fotografie",
    "submit": "trimite bonul spre aprobare",
    "approve": "aproba bonul",
    "reject": "respinge bonul",
    "export": "exporta bonul",
}

# an accepted file type, as the person knows it
FILE_TYPE_LABELS: dict[str, str] = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "image/tiff": "TIFF",
    "image/heic": "HEIC",
    "application/pdf": "PDF",
}


def field_label(name: str) -> str:
    """The Romanian name of a receipt field (its own name only for a field this table does not know)."""
    return FIELD_LABELS.get(name, name)


def field_list(names: Iterable[str]) -> str:
    """Field names as a Romanian list: "data bonului, totalul și liniile de TVA"."""
    labels = [field_label(name) for name in names]
    if len(labels) < 2:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " și " + labels[-1]


def states_list(states: Iterable[State]) -> str:
    """States as a Romanian alternative: "ciornă sau respins"."""
    return " sau ".join(STATE_LABELS[state] for state in sorted(states))


def action_label(action: str) -> str:
    """The history line of an action."""
    return ACTION_LABELS.get(action, action)
