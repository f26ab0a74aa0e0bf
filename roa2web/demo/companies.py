"""The three demo companies of §9, their partners, bank accounts, opening balances and user rights."""

from __future__ import annotations

from dataclasses import dataclass

from roa2web.accounting.cif import make_cif
from roa2web.demo.chart import analytic_code
from roa2web.demo.prng import Prng

CUSTOMERS_PER_COMPANY = 8
CASH_DESK = "5311.01"
MAIN_BANK = "5121.01"
SECOND_BANK = "5121.02"
FOREIGN_BANK = "5124.01"
USER_COMPANIES: tuple[tuple[str, int], ...] = (
    ("ADMIN", 1),
    ("ADMIN", 2),
    ("ADMIN", 3),
    ("CONTABIL1", 1),
    ("CONTABIL1", 2),
    ("CONTABIL2", 3),
)


@dataclass(frozen=True, slots=True)
class CompanyProfile:
    """What drives a company's monthly cycle."""

    company_id: int
    name: str
    cif: str
    vat_payer: bool
    trading: bool  # sells goods from stock (371/607/707); else services (704)
    invoice_prefix: str
    sale_range: tuple[int, int]  # net amount of one sales invoice, bani
    employees: int
    suppliers: tuple[tuple[str, str, str], ...]  # (expense account, name suffix, VAT mode std/exempt/none)
    receipt_items: tuple[str, ...]  # receipt catalogue keys this company buys
    banks: tuple[tuple[str, str], ...]  # (leaf account, name)
    opening: tuple[tuple[str, int, int], ...]  # (leaf account, debit, credit) at 1 January, bani

    @property
    def revenue_account(self) -> str:
        """707 for goods, 704 for services."""
        return "707" if self.trading else "704"


@dataclass(frozen=True, slots=True)
class Partner:
    """A row of r2w_partners, with the analytic account it is booked on."""

    company_id: int
    partner_id: int
    name: str
    cif: str | None
    kind: str  # 'C' customer, 'S' supplier, 'E' employee
    account: str
    expense_account: str = ""  # suppliers: the account their invoices are booked on; '' for others
    vat_mode: str = "std"  # suppliers: 'std', 'exempt' (no VAT, e.g. insurance), 'none' (not VAT-registered)


PROFILES: tuple[CompanyProfile, ...] = (
    CompanyProfile(
        1, "ALFA COMERT SRL", "RO28461357", True, True, "ALF", (400_00, 18_000_00), 4,
        (("371", "DISTRIBUTIE SRL", "std"), ("371", "IMPEX SRL", "std"), ("371", "TRADING SRL", "std"),
         ("612", "IMOBILIARE SRL", "std"), ("605", "ENERGIE SA", "std"), ("613", "ASIGURARI SA", "exempt")),
        ("fuel", "office", "water", "protocol", "taxi", "books"),
        ((MAIN_BANK, "Banca Transilvania - cont curent"), (SECOND_BANK, "BCR - cont curent"),
         (FOREIGN_BANK, "Banca Transilvania - cont EUR")),
        ((MAIN_BANK, 50_000_00, 0), (SECOND_BANK, 8_000_00, 0), (FOREIGN_BANK, 12_000_00, 0),
         (CASH_DESK, 2_000_00, 0), ("371", 30_000_00, 0), ("1012", 0, 10_000_00), ("1171", 0, 92_000_00)),
    ),
    CompanyProfile(
        2, "BETA SERVICE SRL", "RO39172621", True, False, "BET", (300_00, 9_000_00), 5,
        (("612", "IMOBILIARE SRL", "std"), ("605", "ENERGIE SA", "std"), ("626", "TELECOM SA", "std"),
         ("622", "EXPERT CONTABIL", "none"), ("628", "SERVICII SRL", "std"), ("6028", "BIROTICA SRL", "std")),
        ("fuel", "fuel", "parts", "parts", "office", "water", "hotel"),
        ((MAIN_BANK, "ING Bank - cont curent"), (SECOND_BANK, "CEC Bank - cont curent"),
         (FOREIGN_BANK, "ING Bank - cont EUR")),
        ((MAIN_BANK, 40_000_00, 0), (SECOND_BANK, 5_000_00, 0), (FOREIGN_BANK, 6_000_00, 0),
         (CASH_DESK, 1_500_00, 0), ("1012", 0, 5_000_00), ("1171", 0, 47_500_00)),
    ),
    CompanyProfile(
        3, "GAMA CONSULT SRL", "44027180", False, False, "GAM", (500_00, 7_000_00), 2,
        (("612", "IMOBILIARE SRL", "std"), ("605", "ENERGIE SA", "std"), ("626", "TELECOM SA", "std"),
         ("622", "EXPERT CONTABIL", "none"), ("628", "SERVICII SRL", "std"), ("613", "ASIGURARI SA", "exempt")),
        ("fuel", "office", "books", "protocol", "taxi"),
        ((MAIN_BANK, "Raiffeisen Bank - cont curent"),),
        ((MAIN_BANK, 25_000_00, 0), (CASH_DESK, 1_000_00, 0), ("1012", 0, 1_000_00), ("1171", 0, 25_000_00)),
    ),
)

_PLACES = (
    "ARGES", "BANAT", "BIHOR", "BUCEGI", "CARPATI", "CERNA", "CRISANA", "DOBROGEA", "DUNAREA", "HARGHITA",
    "MOLDOVA", "MURES", "NEAMT", "OLTENIA", "PRAHOVA", "SIRET", "SOMES", "TARNAVA", "TIMIS", "VRANCEA",
)
_CUSTOMER_TRADES = ("CONSTRUCT", "LOGISTIC", "AGRO", "MEDICAL", "AUTO", "SOFT", "HORECA", "TEXTIL")
_SURNAMES = ("POPESCU", "IONESCU", "POPA", "STAN", "DUMITRU", "STOICA", "GHEORGHE", "MATEI", "RUSU", "LUPU")
_GIVEN_NAMES = ("ANA", "ION", "MARIA", "ANDREI", "ELENA", "MIHAI", "IOANA", "GEORGE", "CRISTINA", "DAN")


def _seeded_cif(prng: Prng, *, ro: bool) -> str:
    cif = make_cif(prng.between(1_000_000, 9_999_999))
    return f"RO{cif}" if ro else cif


def _take(prng: Prng, pool: list[str]) -> str:
    return pool.pop(prng.below(len(pool)))


def company_partners(profile: CompanyProfile, prng: Prng) -> list[Partner]:
    """~8 customers, 6 suppliers and the employees of one company, ids 1.. in that order."""
    places = list(_PLACES)
    partners: list[Partner] = []

    def add(name: str, cif: str | None, kind: str, synthetic: str, expense: str = "", vat: str = "std") -> None:
        partner_id = len(partners) + 1
        account = analytic_code(synthetic, partner_id, 5)
        partners.append(Partner(profile.company_id, partner_id, name, cif, kind, account, expense, vat))

    trades = list(_CUSTOMER_TRADES)
    for index in range(CUSTOMERS_PER_COMPANY):
        name = f"{_take(prng, places)} {_take(prng, trades)} SRL"
        add(name, _seeded_cif(prng, ro=index % 2 == 0 or prng.chance(1, 3)), "C", "4111")
    for expense_account, suffix, vat_mode in profile.suppliers:
        name = f"{_take(prng, places)} {suffix}"
        add(name, _seeded_cif(prng, ro=vat_mode != "none"), "S", "401", expense_account, vat_mode)
    names = [f"{surname} {given}" for surname in _SURNAMES for given in _GIVEN_NAMES]
    for _ in range(profile.employees):
        add(_take(prng, names), None, "E", "421")
    return partners


def company_analytics(profile: CompanyProfile, partners: list[Partner]) -> list[tuple[str, str, str, int | None]]:
    """(synthetic, analytic, name, partner_id) for every analytic account of the company."""
    rows: list[tuple[str, str, str, int | None]] = [
        (account.split(".")[0], account, name, None) for account, name in profile.banks
    ]
    rows.append(("5311", CASH_DESK, "Casieria centrală", None))
    rows.extend((p.account.split(".")[0], p.account, p.name, p.partner_id) for p in partners)
    return rows
