"""The servers `reports_http.py` compares with the real app, and the bench ledger it serves from.

    python scripts/bench/reports_http_targets.py bare-quart --port P --body FILE
    python scripts/bench/reports_http_targets.py bare-quart-small --port P
    python scripts/bench/reports_http_targets.py fastapi --port P --ledger FILE --secret S

bare-quart: a Quart app on Hypercorn (configured exactly as `roa2web serve`) with one route that
returns the cached trial balance bytes; bare-quart-small: the same returning {"ok": true}.
fastapi: the trial balance endpoint as the old FastAPI+uvicorn app wrote it: bearer JWT checked by
a dependency, query parameters validated by FastAPI, the report OBJECT computed once with our
domain function and kept in a dict, then per request a pydantic response model built from it and
serialized by FastAPI. FastAPI and uvicorn are bench-only: `pip install fastapi uvicorn`.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

YEAR, MONTH_TO = 2025, 11


def add_customers(path: Path, count: int, company_id: int = 1) -> None:
    """Add `count` customers with a 4111 analytic each (opening balance, one collection in March).

    Balanced: each opening debit is matched by a larger 1171 credit, each collection is 5121.01 / 4111.x.
    This is what makes the analytic trial balance about 300 rows long.
    """
    with closing(sqlite3.connect(path)) as db:
        partner = db.execute("SELECT MAX(partner_id) FROM r2w_partners WHERE company_id = ?", (company_id,))
        first_partner = int(partner.fetchone()[0]) + 1
        first_line = int(db.execute("SELECT MAX(line_id) FROM r2w_journal_lines").fetchone()[0]) + 1
        total = 0
        for index in range(count):
            partner_id, account = first_partner + index, f"4111.{first_partner + index:05d}"
            opening, collected = 10_000_00 + index * 137, 2_500_00 + index * 11
            total += opening
            db.execute("INSERT INTO r2w_partners VALUES (?, ?, ?, ?, 'C')",
                       (company_id, partner_id, f"CLIENT BENCH {index:03d} SRL", f"RO{10_000_000 + index}"))
            db.execute("INSERT INTO r2w_accounts VALUES (?, ?, ?, 'A', '4111', '4111', 1, ?)",
                       (company_id, account, f"CLIENT BENCH {index:03d} SRL", partner_id))
            db.execute("INSERT INTO r2w_opening_balances VALUES (?, ?, ?, ?, 0)", (company_id, YEAR, account, opening))
            db.execute(
                "INSERT INTO r2w_journal_lines VALUES (?, ?, 'COLLECTION', ?, '2025-03-15', ?, 3, '5121.01', ?, ?, ?,"
                " 0, 'Incasare bench')",
                (company_id, first_line + index, f"BENCH-{index:04d}", YEAR, account, collected, partner_id),
            )
        db.execute("UPDATE r2w_opening_balances SET credit_bani = credit_bani + ? WHERE company_id = ? "
                   "AND fiscal_year = ? AND account = '1171'", (total, company_id, YEAR))
        db.commit()


def serve_bare_quart(port: int, body: bytes | None) -> None:
    """A Quart app with one JSON route on Hypercorn, configured as `roa2web serve` configures it."""
    from hypercorn.asyncio import serve
    from quart import Quart, Response

    from roa2web.server import hypercorn_config
    from roa2web.settings import Settings

    app = Quart("bare")

    @app.get("/json")
    async def json_route() -> Any:
        if body is None:
            return {"ok": True}
        return Response(body, content_type="application/json")

    config = hypercorn_config(Settings(port=port))  # type: ignore[call-arg]
    asyncio.run(serve(app, config))  # type: ignore[arg-type]


def serve_fastapi(port: int, ledger_path: Path, secret: str) -> None:
    """The old way: FastAPI + pydantic response model + per-request serialization, on uvicorn."""
    import jwt
    import uvicorn
    from fastapi import Depends, FastAPI, HTTPException, Query
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
    from pydantic import BaseModel

    from roa2web.ledger.embedded import EmbeddedLedger
    from roa2web.reports import trial_balance

    class Row(BaseModel):
        account: str
        name: str
        function: str
        synthetic: str
        opening_debit: float
        opening_credit: float
        previous_debit: float
        previous_credit: float
        current_debit: float
        current_credit: float
        total_debit: float
        total_credit: float
        closing_debit: float
        closing_credit: float

    class Totals(BaseModel):
        opening_debit: float
        opening_credit: float
        previous_debit: float
        previous_credit: float
        current_debit: float
        current_credit: float
        total_debit: float
        total_credit: float
        closing_debit: float
        closing_credit: float

    class TrialBalanceResponse(BaseModel):
        company_id: int
        year: int
        month_from: int
        month_to: int
        level: str
        rows: list[Row]
        totals: Totals

    reports: dict[tuple[Any, ...], Any] = {}  # the old app's in-memory cache: report objects by parameters
    bearer = HTTPBearer()

    def user(credentials: HTTPAuthorizationCredentials = Depends(bearer)) -> dict[str, Any]:  # noqa: B008
        try:
            return dict(jwt.decode(credentials.credentials, secret, algorithms=["HS256"]))
        except jwt.PyJWTError as exc:
            raise HTTPException(401, "invalid token") from exc

    app = FastAPI()

    @app.get("/api/reports/trial-balance", response_model=TrialBalanceResponse)
    async def get_trial_balance(
        company_id: int = Query(gt=0),
        year: int = Query(ge=1900, le=9999),
        month_from: int = Query(ge=1, le=12),
        month_to: int = Query(ge=1, le=12),
        level: str = "synthetic",
        claims: dict[str, Any] = Depends(user),  # noqa: B008
    ) -> TrialBalanceResponse:
        allowed = claims.get("cos", "")
        if allowed != "*" and str(company_id) not in allowed.split(","):
            raise HTTPException(403, "no rights on this company")
        key = (company_id, year, month_from, month_to, level)
        report = reports.get(key)
        if report is None:
            ledger = EmbeddedLedger(ledger_path)
            report = reports[key] = await trial_balance(ledger, company_id, year, month_from, month_to, level=level)
            await ledger.close()
        return TrialBalanceResponse.model_validate(report, from_attributes=True)

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def main() -> None:
    """Run one target server until killed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", choices=("bare-quart", "bare-quart-small", "fastapi"))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body", type=Path, help="bare-quart: the JSON bytes to return")
    parser.add_argument("--ledger", type=Path, help="fastapi: the ledger file")
    parser.add_argument("--secret", default="", help="fastapi: the JWT secret")
    args = parser.parse_args()
    if args.target == "fastapi":
        serve_fastapi(args.port, args.ledger, args.secret)
    else:
        serve_bare_quart(args.port, args.body.read_bytes() if args.target == "bare-quart" else None)


if __name__ == "__main__":
    main()
