"""The receipt flow's messages and buttons: a draft's fields as Telegram HTML, its actions, the fields to edit.

Callback data (plain strings, at most 64 bytes): "rc:<action>:<receipt id>" for the receipt's
actions, "rf:<field>:<receipt id>" for the field to edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from roa2web.bot.texts import escape, format_lei, short_name
from roa2web.data_entry.labels import STATE_LABELS, field_label
from roa2web.data_entry.model import PaymentMethod, Receipt, State
from roa2web.problems import FieldError

LOW_CONFIDENCE = 0.8  # as the web form: a value read below this, and not corrected since, is to be checked
CHECK = " <i>(verificați)</i>"
MISSING = "—"

RECEIVED = "Am primit bonul, îl citesc…"
OPERATORS_ONLY = ("Doar un operator poate trimite bonuri spre înregistrare. Contul dumneavoastră nu are "
                  "rolul de operator.")
UNSUPPORTED_FILE = ("Primesc bonuri ca fotografie, ca imagine (JPEG, PNG, WebP, TIFF, HEIC) sau ca PDF. "
                    "Acest fișier nu este unul dintre ele.")
STILL_READING = ("Citirea bonului durează mai mult decât de obicei. Bonul este salvat ca ciornă, cu fotografia "
                 "atașată: câmpurile citite le vedeți în aplicația web, la Bonuri.")
READ_FAILED = ("Nu am putut citi bonul din fotografie. Bonul a rămas ciornă, cu fotografia atașată: completați "
               "câmpurile cu Editează sau în aplicația web.")
SUBMITTED = "Bonul a fost trimis spre aprobare."
DISCARDED = "Am renunțat la bon: ciorna și fotografia ei au fost șterse."
UNKNOWN_BUTTON = "Butonul nu mai este valabil. Trimiteți din nou fotografia bonului."
CHOOSE_FIELD = "Ce câmp modificați?"

ACTIONS = (("confirm", "Confirmă"), ("edit", "Editează"), ("submit", "Trimite"), ("discard", "Renunță"))
PAYMENT_LABELS = {
    PaymentMethod.CASH: "numerar",
    PaymentMethod.CARD: "card",
    PaymentMethod.ADVANCE: "avans de trezorerie",
    PaymentMethod.SUPPLIER: "prin furnizor",
}
# the fields the bot edits: callback key → button label
EDITABLE_FIELDS: dict[str, str] = {
    "supplier_name": "Furnizor",
    "supplier_cif": "CIF",
    "document_number": "Număr bon",
    "receipt_date": "Data",
    "total": "Total",
    "vat_lines": "Linii TVA",
    "payment_method": "Mod de plată",
    "expense_account": "Cont cheltuială",
}
_PROMPT_HINTS = {
    "supplier_name": "",
    "supplier_cif": " (de exemplu RO12345674)",
    "document_number": "",
    "receipt_date": " (zz.ll.aaaa, de exemplu 15.09.2025)",
    "total": " în lei (de exemplu 1.234,56); o singură linie de TVA se recalculează din el",
    "vat_lines": (": câte o linie pe rând, cota, baza și TVA-ul (de exemplu 21 300,00 63,00), sau cota și "
                  "valoarea cu TVA (de exemplu 21 363,00); totalul devine suma liniilor"),
    "payment_method": " (numerar, card, avans sau furnizor)",
    "expense_account": " (de exemplu 6022)",
}
CLEARABLE = frozenset({"supplier_name", "supplier_cif", "document_number", "expense_account"})
# an OCR field → the receipt field it fills (where the names differ)
_OCR_NAMES = {"receipt_number": "document_number", "date": "receipt_date", "total": "total_bani"}


def lei(bani: int) -> str:
    """Integer bani as the firm writes money: '1.234,56 lei'."""
    return format_lei(Decimal(bani).scaleb(-2))


def edit_label(field: str) -> str:
    """A field's name in a sentence ("totalul", "data bonului")."""
    return field_label("total_bani" if field == "total" else field)


def prompt(field: str) -> str:
    """What the bot asks for when a field is to be edited."""
    hint = _PROMPT_HINTS[field]
    clear = " Scrieți - ca să goliți câmpul." if field in CLEARABLE else ""
    return f"Scrieți noua valoare pentru {edit_label(field)}{hint}.{clear}"


def unsure_fields(ocr_fields: Mapping[str, Mapping[str, Any]], edited: Iterable[str]) -> set[str]:
    """Receipt fields OCR read with a confidence below LOW_CONFIDENCE, which the user has not set since."""
    edited = set(edited)
    unsure = set()
    for name, reading in ocr_fields.items():
        field = _OCR_NAMES.get(name, name)
        if reading.get("value") is not None and float(reading.get("confidence", 0.0)) < LOW_CONFIDENCE:
            unsure.add(field)
    return unsure - edited


def receipt_text(
    receipt: Receipt, company_name: str, *, unsure: set[str] | frozenset[str] = frozenset(),
    warnings: Iterable[str] = (), title: str = "Bonul citit",
) -> str:
    """The draft's fields, one per line, values to check marked "(verificați)", then its state and warnings."""
    fields = receipt.fields

    def line(label: str, name: str, value: str | None) -> str:
        mark = CHECK if name in unsure and value else ""
        return f"{label}: {value if value else MISSING}{mark}"

    supplier = short_name(fields.supplier_name) if fields.supplier_name else None
    lines = [
        f"<b>{escape(title)}</b> · {short_name(company_name)}",
        "",
        line("Furnizor", "supplier_name", supplier),
        line("CIF furnizor", "supplier_cif", escape(fields.supplier_cif) if fields.supplier_cif else None),
        line("Număr bon", "document_number", escape(fields.document_number) if fields.document_number else None),
        line("Data", "receipt_date", f"{fields.receipt_date:%d.%m.%Y}" if fields.receipt_date else None),
        line("Total", "total_bani", f"<b>{lei(fields.total_bani)}</b>" if fields.total_bani is not None else None),
    ]
    vat_mark = CHECK if "vat_lines" in unsure and fields.vat_lines else ""
    if fields.vat_lines:
        lines += [f"TVA {vat.rate}%: bază {lei(vat.base_bani)}, TVA {lei(vat.vat_bani)}{vat_mark}"
                  for vat in fields.vat_lines]
    else:
        lines.append(f"TVA: {MISSING}")
    method = PAYMENT_LABELS[fields.payment_method] if fields.payment_method else None
    lines.append(line("Plată", "payment_method", method))
    lines.append(line("Cont de cheltuială", "expense_account",
                      escape(fields.expense_account) if fields.expense_account else None))
    lines += ["", f"Stare: {STATE_LABELS[receipt.state]}"]
    notes = [escape(warning) for warning in warnings]
    if notes:
        lines += ["", *(f"⚠️ {note}" for note in notes)]
    return "\n".join(lines)


def receipt_buttons(receipt_id: str) -> InlineKeyboardMarkup:
    """Confirmă / Editează on one row, Trimite / Renunță on the next."""
    buttons = [InlineKeyboardButton(label, callback_data=f"rc:{action}:{receipt_id}") for action, label in ACTIONS]
    return InlineKeyboardMarkup([buttons[:2], buttons[2:]])


def field_buttons(receipt_id: str) -> InlineKeyboardMarkup:
    """A button per editable field, two per row."""
    buttons = [InlineKeyboardButton(label, callback_data=f"rf:{field}:{receipt_id}")
               for field, label in EDITABLE_FIELDS.items()]
    return InlineKeyboardMarkup([buttons[i:i + 2] for i in range(0, len(buttons), 2)])


def errors_text(head: str, errors: Iterable[FieldError]) -> str:
    """A problem's field errors as a Romanian list under `head`."""
    items = [f"• {escape(error.msg)}" for error in errors]
    return "\n".join([escape(head), *items])


def confirmed_text(receipt: Receipt, missing: list[FieldError]) -> str:
    """What Confirmă says: the fields are kept, and what remains before Trimite."""
    if receipt.state is not State.DRAFT and receipt.state is not State.REJECTED:
        return f"Bonul este {STATE_LABELS[receipt.state]}; nu mai este nimic de confirmat."
    if missing:
        return errors_text("Am păstrat câmpurile în ciornă. Înainte de trimitere mai trebuie (cu Editează):",
                           missing)
    return "Am păstrat câmpurile în ciornă. Trimiteți spre aprobare cu Trimite."


def too_large(size_bytes: int, limit_mb: int) -> str:
    """The refusal of a file above DATA_ENTRY_MAX_UPLOAD_MB."""
    size = f"{size_bytes / 1024 / 1024:.1f}".replace(".", ",")
    return f"Fișierul are {size} MB; primesc fișiere de cel mult {limit_mb} MB."


def ocr_off(detail: str) -> str:
    """OCR refused the photo (off, not installed, its engine broken): the draft was kept for the web app."""
    return (f"{detail} Am salvat bonul ca ciornă, cu fotografia atașată: completați-l în aplicația web, "
            "la Bonuri.")
