"""A boolean is not an integer: `false` is not company 0, `true` is not company 1 (a Romanian 400)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from roa2web.bounds import Id64, Int64
from tests.support.data_entry import receipt_payload

INTEGER = "Trebuie să fie un număr întreg"


@pytest.mark.parametrize("bounded", [Int64, Id64])
def test_true_and_false_are_not_integers(bounded):
    adapter = TypeAdapter(bounded)
    for value in (True, False):
        with pytest.raises(ValidationError) as error:
            adapter.validate_python(value)
        assert error.value.errors()[0]["type"] == "int_type"
    with pytest.raises(ValidationError):
        adapter.validate_json(b"true")
    assert adapter.validate_python(7) == 7 and adapter.validate_json(b"7") == 7


async def test_a_boolean_company_is_refused_in_a_body(client, user_headers):
    operator = await user_headers("bianca", roles={"operator", "approver"})
    export = await client.post("/api/data-entry/exports", headers=operator,
                               json={"company_id": False, "date_from": "2025-01-01", "date_to": "2025-12-31"})
    assert export.status_code == 400
    body = await export.get_json()
    assert body["errors"] == [{"loc": ["company_id"], "msg": INTEGER, "type": "int_type"}]
    created = await client.post("/api/data-entry/receipts", json=receipt_payload(company_id=True), headers=operator)
    assert created.status_code == 400
    assert [error["loc"] for error in (await created.get_json())["errors"]] == [["company_id"]]
