"""pydantic's English messages become Romanian by the error's type; `loc` and `type` stay as pydantic gives them."""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core.core_schema import ErrorType

from roa2web.validation_messages import FALLBACK, TEMPLATES, count_of, field_errors, romanian_message
from tests.support.romanian import english_words


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=3, max_length=25)
    month: int = Field(ge=1, le=12)
    amount: float = Field(gt=0, lt=1000)
    kind: Literal["sales", "purchases", "all"]
    day: dt.date
    code: str = Field(pattern=r"^[0-9]+$")
    lines: list[int] = Field(min_length=1)
    note: str | None = None

    @field_validator("note")
    @classmethod
    def no_tabs(cls, value: str | None) -> str | None:
        if value is not None and "\t" in value:
            raise ValueError("Nota nu poate conține tabulatori")
        return value


def messages(data: dict) -> dict[tuple[str, ...], tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(data)
    return {error.loc: (error.type, error.msg) for error in field_errors(caught.value)}


def test_the_common_types_read_romanian_with_their_limits():
    assert messages({"name": "ab", "month": "13", "amount": "0", "kind": "x", "day": "2025-02-30", "code": "1a",
                     "lines": [], "extra": 1, "note": "a\tb"}) == {
        ("name",): ("string_too_short", "Trebuie să aibă cel puțin 3 caractere"),
        ("month",): ("less_than_equal", "Trebuie să fie cel mult 12"),
        ("amount",): ("greater_than", "Trebuie să fie mai mare decât 0"),
        ("kind",): ("literal_error", "Trebuie să fie una dintre valorile: 'sales', 'purchases' sau 'all'"),
        ("day",): ("date_from_datetime_parsing",
                   "Trebuie să fie o dată calendaristică validă, de forma AAAA-LL-ZZ (de exemplu 2025-03-31)"),
        ("code",): ("string_pattern_mismatch", "Nu are forma cerută (modelul ^[0-9]+$)"),
        ("lines",): ("too_short", "Trebuie să aibă cel puțin 1 element"),
        ("extra",): ("extra_forbidden", "Câmp necunoscut: nu este permis aici"),
        ("note",): ("value_error", "Nota nu poate conține tabulatori"),  # a validator's own words
    }
    assert messages({"name": "x" * 30, "month": "three", "amount": "abc", "kind": "all", "day": "2025-01-01",
                     "code": "1", "lines": ["x"]}) == {
        ("name",): ("string_too_long", "Trebuie să aibă cel mult 25 de caractere"),
        ("month",): ("int_parsing", "Trebuie să fie un număr întreg"),
        ("amount",): ("float_parsing", "Trebuie să fie un număr"),
        ("lines", "0"): ("int_parsing", "Trebuie să fie un număr întreg"),
    }
    missing = messages({})
    assert set(missing) == {("name",), ("month",), ("amount",), ("kind",), ("day",), ("code",), ("lines",)}
    assert set(missing.values()) == {("missing", "Câmp obligatoriu")}


def test_invalid_json_and_a_non_object_body():
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate_json("{nope")
    assert [(e.loc, e.type, e.msg) for e in field_errors(caught.value)] == [
        ((), "json_invalid", "Nu este un JSON valid")]
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate([1, 2])
    assert [(e.type, e.msg) for e in field_errors(caught.value)] == [
        ("model_type", "Trebuie să fie un obiect JSON ({...})")]


def test_every_template_names_a_pydantic_error_type_and_reads_romanian():
    assert set(TEMPLATES) <= set(typing.get_args(ErrorType))  # no typo hides a template
    assert [kind for kind, text in TEMPLATES.items() if english_words(re.sub(r"\{[^}]*\}", "", text))] == []


def test_an_unknown_type_or_a_missing_context_falls_back_to_plain_romanian():
    assert romanian_message({"type": "some_future_type", "loc": ("x",), "msg": "Whatever", "input": 1}) == FALLBACK
    no_context = {"type": "greater_than", "loc": ("x",), "msg": "Input should be > 0", "input": 0}
    assert romanian_message(no_context) == FALLBACK  # type: ignore[arg-type]
    assert romanian_message({"type": "value_error", "loc": ("x",), "msg": "Value error", "input": 0}) == FALLBACK


@pytest.mark.parametrize(("number", "text"), [(1, "1 caracter"), (2, "2 caractere"), (19, "19 caractere"),
                                              (20, "20 de caractere"), (101, "101 caractere"),
                                              (120, "120 de caractere")])
def test_romanian_counts(number, text):
    assert count_of(number, "caracter") == text


async def test_the_api_answers_with_romanian_field_messages(client, user_headers):
    login = await (await client.post("/api/auth/login", json={"username": "", "extra": 1})).get_json()
    assert login["title"] == "Date invalide" and not english_words(login["detail"])
    assert {tuple(e["loc"]): (e["type"], e["msg"]) for e in login["errors"]} == {
        ("username",): ("string_too_short", "Trebuie să aibă cel puțin 1 caracter"),
        ("password",): ("missing", "Câmp obligatoriu"),
    }
    headers = await user_headers("ana", roles={"viewer"})
    query = {"company_id": 1, "year": "2025x", "month_from": 1, "month_to": 13, "level": "all"}
    body = await (await client.get("/api/reports/trial-balance", query_string=query, headers=headers)).get_json()
    assert body["status"] == 400
    assert body["detail"] == "Parametrii adresei nu sunt valizi; fiecare câmp greșit este explicat."
    assert {tuple(e["loc"]): (e["type"], e["msg"]) for e in body["errors"]} == {
        ("year",): ("int_parsing", "Trebuie să fie un număr întreg"),
        ("month_to",): ("less_than_equal", "Trebuie să fie cel mult 12"),
        ("level",): ("literal_error", "Trebuie să fie una dintre valorile: 'synthetic' sau 'analytic'"),
    }
    export = {"report": "treasury", "format": "pdf", "params": {"company_id": 1, "date_from": "2025-13-01"}}
    body = await (await client.post("/api/reports/exports", json=export, headers=headers)).get_json()
    assert body["status"] == 400 and not english_words(body["detail"])
    assert body["errors"][0]["loc"] == ["params", "date_from"]
    assert body["errors"][0]["msg"].startswith("Trebuie să fie o dată calendaristică validă")
