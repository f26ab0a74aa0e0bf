"""Monthly payroll of §9: CAS 25%, CASS 10%, income tax 10% of (G - CAS - CASS), CAM 2.25%."""

from __future__ import annotations

from dataclasses import dataclass

from roa2web.demo.book import Document, Entry
from roa2web.demo.companies import MAIN_BANK
from roa2web.demo.days import month_end
from roa2web.demo.prng import Prng
from roa2web.demo.state import CompanyState, Due

MINIMUM_GROSS = 4_050_00  # gross minimum wage in 2025, bani
NET_PAY_DAY = 10  # of the next month
CONTRIBUTIONS_DAY = 25  # of the next month


def percent_of(amount: int, numerator: int, denominator: int) -> int:
    """The share `numerator / denominator` of `amount`, rounded half up, in bani."""
    return (amount * numerator * 2 + denominator) // (2 * denominator)


@dataclass(frozen=True, slots=True)
class Payslip:
    """One employee's month: gross, withholdings, net, and the employer's CAM."""

    gross: int
    cas: int
    cass: int
    tax: int
    net: int
    cam: int


def payslip(gross: int) -> Payslip:
    """The payslip for a gross salary in bani (no personal deduction)."""
    cas = percent_of(gross, 25, 100)
    cass = percent_of(gross, 10, 100)
    tax = percent_of(gross - cas - cass, 10, 100)
    return Payslip(gross, cas, cass, tax, gross - cas - cass - tax, percent_of(gross, 225, 10_000))


def set_salaries(state: CompanyState, prng: Prng) -> None:
    """Hire at a seeded gross salary, or give everyone a 3-10% raise (each new year)."""
    for employee in state.partners("E"):
        current = state.salaries.get(employee.partner_id)
        gross = prng.between(MINIMUM_GROSS, 12_000_00) if current is None else current * prng.between(103, 110) // 100
        state.salaries[employee.partner_id] = gross // 10_00 * 10_00


def payroll_document(state: CompanyState, year: int, month: int) -> Document:
    """The month's payroll (641 = 421, 421 = 4315/4316/444, 646 = 436); schedules next month's payments."""
    entries: list[Entry] = []
    totals = {"4315": 0, "4316": 0, "444": 0, "436": 0}
    for employee in state.partners("E"):
        slip = payslip(state.salaries[employee.partner_id])
        account, partner_id = employee.account, employee.partner_id
        entries += [
            Entry("641", account, slip.gross, partner_id, "Salariu brut"),
            Entry(account, "4315", slip.cas, partner_id, "CAS 25%"),
            Entry(account, "4316", slip.cass, partner_id, "CASS 10%"),
            Entry(account, "444", slip.tax, partner_id, "Impozit pe salarii 10%"),
        ]
        for key, amount in (("4315", slip.cas), ("4316", slip.cass), ("444", slip.tax), ("436", slip.cam)):
            totals[key] += amount
        state.dues.append(Due(NET_PAY_DAY, "PAYMENT", f"Plată salariu net {employee.name}",
                              (Entry(account, MAIN_BANK, slip.net, partner_id),)))
    entries.append(Entry("646", "436", totals["436"], None, "CAM 2,25%"))
    state.dues.append(Due(CONTRIBUTIONS_DAY, "TAX", "Plată contribuții și impozit pe salarii",
                          tuple(Entry(account, MAIN_BANK, amount) for account, amount in totals.items())))
    return Document("PAYROLL", f"STAT-{year}{month:02d}", month_end(year, month), tuple(entries),
                    "Stat de plată salarii")
