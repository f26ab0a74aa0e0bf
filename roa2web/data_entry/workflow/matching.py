"""Matching a receipt to the ledger (pure): the supplier among the partners, and an expense account."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from roa2web.accounting.cif import normalize_cif
from roa2web.data_entry.workflow.nomenclature import Partner

DEFAULT_EXPENSE_ACCOUNT = "6028"
# (expense account, words that suggest it), checked in order on the receipt's text
KEYWORD_ACCOUNTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("6022", ("MOTORINA", "BENZINA", "CARBURANT", "DIESEL", "GPL", "PETROL", "COMBUSTIBIL", "BENZINARIE")),
    ("6024", ("PIESE", "PIESA", "ANVELOPE", "ULEI MOTOR", "FILTRU", "ACUMULATOR", "PLACUTE")),
    ("626", ("TELECOM", "TELEFONIE", "INTERNET", "ABONAMENT", "POSTA", "CURIER", "TIMBRE", "ORANGE", "VODAFONE")),
    ("605", ("ENERGIE", "ELECTRICA", "GAZE", "APA CANAL")),
    ("628", ("REPARATII", "SERVICE AUTO", "MANOPERA", "SPALATORIE")),
    ("623", ("RESTAURANT", "PROTOCOL", "CATERING", "CAFENEA")),
    ("625", ("HOTEL", "CAZARE", "PENSIUNE", "BILET", "TRANSPORT PERSOANE")),
    ("624", ("TAXI", "CURSA", "TRANSPORT")),
    ("627", ("COMISION BANCAR",)),
    ("6028", ("BIROTICA", "PAPETARIE", "HARTIE", "TONER", "DETERGENT", "CONSUMABILE")),
)
_COMPANY_FORMS = re.compile(r"\b(S\s?R\s?L|S\s?A|S\s?N\s?C|S\s?C\s?S|P\s?F\s?A|I\s?I|I\s?F|SRL-D)\b")


def fold(text: str) -> str:
    """Upper case, without diacritics, punctuation or repeated spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^A-Z0-9]+", " ", plain.upper()).split())


def company_key(name: str) -> str:
    """A partner name reduced for comparison: folded, legal form (SRL, SA...) removed."""
    return " ".join(_COMPANY_FORMS.sub(" ", fold(name).replace(".", " ")).split())


def match_supplier(partners: Iterable[Partner], *, cif: str | None, name: str | None) -> Partner | None:
    """The partner with this CIF (RO ignored); else the one partner whose name matches."""
    candidates = list(partners)
    if cif:
        digits = normalize_cif(cif)[0]
        by_cif = [p for p in candidates if p.cif_digits == digits]
        if by_cif:
            return min(by_cif, key=lambda p: (p.kind != "S", p.partner_id))
    if name:
        key = company_key(name)
        if not key:
            return None
        by_name = [p for p in candidates if company_key(p.name) == key]
        if len(by_name) == 1:
            return by_name[0]
    return None


def account_by_keywords(text: str) -> str:
    """The expense account the receipt's words suggest (fuel → 6022, parts → 6024, telecom → 626...)."""
    words = fold(text)
    for account, keywords in KEYWORD_ACCOUNTS:
        if any(re.search(rf"\b{re.escape(keyword)}", words) for keyword in keywords):
            return account
    return DEFAULT_EXPENSE_ACCOUNT


def suggest_expense_account(
    *, approved_history: Sequence[str], ledger_history: Sequence[str], text: str
) -> tuple[str, str]:
    """(account, why): the supplier's approved receipts first, then the ledger's history, then keywords."""
    if approved_history:
        return approved_history[0], "supplier-receipts"
    if ledger_history:
        return ledger_history[0], "supplier-ledger"
    return account_by_keywords(text), "keywords"
