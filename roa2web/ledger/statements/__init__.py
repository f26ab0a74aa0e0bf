"""Every ledger statement, by name, in Oracle's dialect with `:name` binds.

Each module here owns the statements of one area; names are unique across all of them.
"""

from roa2web.ledger.statements import core, nomenclature, reports

STATEMENTS: dict[str, str] = {**core.STATEMENTS, **nomenclature.STATEMENTS, **reports.STATEMENTS}
