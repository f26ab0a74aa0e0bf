"""The chart subset of ROMANIAN_ACCOUNTING.md §9: names, function (A/P/B), parent; analytic rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChartAccount:
    """A synthetic account of the chart."""

    code: str
    name: str
    function: str  # 'A' asset (debit), 'P' liability (credit), 'B' bifunctional
    parent: str | None


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One row of r2w_accounts."""

    company_id: int
    account: str
    name: str
    function: str
    synthetic: str
    parent: str | None
    is_analytic: int
    partner_id: int | None


def _chart(*rows: tuple[str, str, str, str | None]) -> dict[str, ChartAccount]:
    return {code: ChartAccount(code, name, function, parent) for code, name, function, parent in rows}


CHART: dict[str, ChartAccount] = _chart(
    ("1012", "Capital subscris vărsat", "P", "101"),
    ("1171", "Rezultatul reportat", "B", "117"),
    ("121", "Profit sau pierdere", "B", None),
    ("371", "Mărfuri", "A", None),
    ("401", "Furnizori", "P", None),
    ("4111", "Clienți", "A", "411"),
    ("419", "Clienți - creditori", "P", None),
    ("421", "Personal - salarii datorate", "P", None),
    ("4315", "Contribuția de asigurări sociale", "P", "431"),
    ("4316", "Contribuția de asigurări sociale de sănătate", "P", "431"),
    ("436", "Contribuția asiguratorie pentru muncă", "P", None),
    ("444", "Impozitul pe venituri de natura salariilor", "P", None),
    ("4423", "TVA de plată", "P", "442"),
    ("4424", "TVA de recuperat", "A", "442"),
    ("4426", "TVA deductibilă", "A", "442"),
    ("4427", "TVA colectată", "P", "442"),
    ("5121", "Conturi la bănci în lei", "A", "512"),
    ("5124", "Conturi la bănci în valută", "A", "512"),
    ("5311", "Casa în lei", "A", "531"),
    ("542", "Avansuri de trezorerie", "A", None),
    ("581", "Viramente interne", "B", None),
    ("6022", "Cheltuieli privind combustibilii", "A", "602"),
    ("6024", "Cheltuieli privind piesele de schimb", "A", "602"),
    ("6028", "Cheltuieli privind alte materiale consumabile", "A", "602"),
    ("605", "Cheltuieli privind energia și apa", "A", None),
    ("607", "Cheltuieli privind mărfurile", "A", None),
    ("609", "Reduceri comerciale primite", "P", None),
    ("612", "Cheltuieli cu redevențele, locațiile de gestiune și chiriile", "A", None),
    ("613", "Cheltuieli cu primele de asigurare", "A", None),
    ("622", "Cheltuieli privind comisioanele și onorariile", "A", None),
    ("623", "Cheltuieli de protocol, reclamă și publicitate", "A", None),
    ("624", "Cheltuieli cu transportul de bunuri și personal", "A", None),
    ("625", "Cheltuieli cu deplasări, detașări și transferări", "A", None),
    ("626", "Cheltuieli poștale și taxe de telecomunicații", "A", None),
    ("627", "Cheltuieli cu serviciile bancare și asimilate", "A", None),
    ("628", "Alte cheltuieli cu serviciile executate de terți", "A", None),
    ("641", "Cheltuieli cu salariile personalului", "A", None),
    ("646", "Cheltuieli privind contribuția asiguratorie pentru muncă", "A", None),
    ("665", "Cheltuieli din diferențe de curs valutar", "A", None),
    ("704", "Venituri din servicii prestate", "P", None),
    ("707", "Venituri din vânzarea mărfurilor", "P", None),
    ("709", "Reduceri comerciale acordate", "A", None),
    ("765", "Venituri din diferențe de curs valutar", "P", None),
    ("766", "Venituri din dobânzi", "P", None),
)

VAT_ACCOUNTS = frozenset({"4423", "4424", "4426", "4427"})


def analytic_code(synthetic: str, suffix: int, width: int) -> str:
    """An analytic account code, `suffix` zero-padded to `width` ('4111', 23, 5 -> '4111.00023')."""
    return f"{synthetic}.{suffix:0{width}d}"


def account_class(account: str) -> int:
    """The chart class of an account code (its first digit)."""
    return int(account[0])


def chart_rows(
    company_id: int,
    *,
    vat_payer: bool,
    analytics: Iterable[tuple[str, str, str, int | None]],
) -> list[AccountRow]:
    """r2w_accounts rows in chart order: each synthetic, then its analytics.

    `analytics` holds (synthetic, analytic code, name, partner_id). A VAT-exempt company
    has no 442x accounts.
    """
    by_synthetic: dict[str, list[tuple[str, str, int | None]]] = {}
    for synthetic, code, name, partner_id in analytics:
        by_synthetic.setdefault(synthetic, []).append((code, name, partner_id))
    rows: list[AccountRow] = []
    for code in sorted(CHART):
        if not vat_payer and code in VAT_ACCOUNTS:
            continue
        account = CHART[code]
        rows.append(AccountRow(company_id, code, account.name, account.function, code, account.parent, 0, None))
        for analytic, name, partner_id in sorted(by_synthetic.get(code, [])):
            rows.append(AccountRow(company_id, analytic, name, account.function, code, code, 1, partner_id))
    return rows


def leaf_accounts(rows: Iterable[AccountRow]) -> frozenset[str]:
    """The accounts that may be posted to: analytics, and synthetics that have none."""
    rows = list(rows)
    with_analytics = {row.synthetic for row in rows if row.is_analytic}
    return frozenset(row.account for row in rows if row.is_analytic or row.account not in with_analytics)
