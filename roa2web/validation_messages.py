"""Romanian messages for pydantic's validation errors, chosen by the error's `type`.

pydantic words its messages in English ("Field required"); what the firm's people read is
Romanian. The `type` (a stable identifier, e.g. `string_too_short`) and the error's context
(`min_length`, `expected`, ...) are enough to say the same in Romanian. A type without a
template here gets a plain "Valoare invalidă".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from roa2web.problems import FieldError

FALLBACK = "Valoare invalidă"

_DATE = "Trebuie să fie o dată calendaristică validă, de forma AAAA-LL-ZZ (de exemplu 2025-03-31)"
_DATETIME = "Trebuie să fie o dată și o oră valide, de forma AAAA-LL-ZZTHH:MM:SS"
_INTEGER = "Trebuie să fie un număr întreg"
_NUMBER = "Trebuie să fie un număr"
_DECIMAL = "Trebuie să fie un număr zecimal"
_BOOL = "Trebuie să fie adevărat sau fals (true sau false)"
_TEXT = "Trebuie să fie un text"
_OBJECT = "Trebuie să fie un obiect JSON ({{...}})"
_LIST = "Trebuie să fie o listă"
_ONE_OF = "Trebuie să fie una dintre valorile: {expected}"

TEMPLATES: dict[str, str] = {
    "missing": "Câmp obligatoriu",
    "extra_forbidden": "Câmp necunoscut: nu este permis aici",
    "string_type": _TEXT,
    "string_too_short": "Trebuie să aibă cel puțin {min_length:caracter}",
    "string_too_long": "Trebuie să aibă cel mult {max_length:caracter}",
    "string_pattern_mismatch": "Nu are forma cerută (modelul {pattern})",
    "string_unicode": "Trebuie să fie un text Unicode valid",
    "int_type": _INTEGER,
    "int_parsing": _INTEGER,
    "int_from_float": "Trebuie să fie un număr întreg, fără zecimale",
    "int_parsing_size": "Numărul este prea mare",
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _DECIMAL,
    "decimal_parsing": _DECIMAL,
    "decimal_max_digits": "Trebuie să aibă cel mult {max_digits:cifră}",
    "decimal_max_places": "Trebuie să aibă cel mult {decimal_places:zecimală}",
    "decimal_whole_digits": "Trebuie să aibă cel mult {whole_digits:cifră} înainte de virgulă",
    "finite_number": "Trebuie să fie un număr finit",
    "bool_type": _BOOL,
    "bool_parsing": _BOOL,
    "greater_than": "Trebuie să fie mai mare decât {gt}",
    "greater_than_equal": "Trebuie să fie cel puțin {ge}",
    "less_than": "Trebuie să fie mai mic decât {lt}",
    "less_than_equal": "Trebuie să fie cel mult {le}",
    "multiple_of": "Trebuie să fie un multiplu de {multiple_of}",
    "literal_error": _ONE_OF,
    "enum": _ONE_OF,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": "Trebuie să fie o dată fără oră",
    "date_past": "Trebuie să fie o dată din trecut",
    "date_future": "Trebuie să fie o dată din viitor",
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_object_invalid": _DATETIME,
    "datetime_past": "Trebuie să fie un moment din trecut",
    "datetime_future": "Trebuie să fie un moment din viitor",
    "timezone_aware": "Trebuie să aibă fusul orar",
    "timezone_naive": "Nu trebuie să aibă fus orar",
    "time_type": "Trebuie să fie o oră validă, de forma HH:MM[:SS]",
    "time_parsing": "Trebuie să fie o oră validă, de forma HH:MM[:SS]",
    "json_invalid": "Nu este un JSON valid",
    "json_type": "Trebuie să fie un text JSON",
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
    "mapping_type": _OBJECT,
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "frozen_set_type": _LIST,
    "iterable_type": _LIST,
    "too_short": "Trebuie să aibă cel puțin {min_length:element}",
    "too_long": "Trebuie să aibă cel mult {max_length:element}",
    "none_required": "Trebuie să lipsească (null)",
    "bytes_type": "Trebuie să fie un conținut binar",
    "bytes_too_short": "Trebuie să aibă cel puțin {min_length:octet}",
    "bytes_too_long": "Trebuie să aibă cel mult {max_length:octet}",
    "uuid_type": "Trebuie să fie un UUID valid",
    "uuid_parsing": "Trebuie să fie un UUID valid",
    "url_type": "Trebuie să fie o adresă URL validă",
    "url_parsing": "Trebuie să fie o adresă URL validă",
    "url_scheme": "Adresa URL trebuie să înceapă cu unul dintre: {expected_schemes}",
    "url_too_long": "Adresa URL trebuie să aibă cel mult {max_length:caracter}",
    "union_tag_invalid": "Tip necunoscut: {tag}; trebuie să fie unul dintre: {expected_tags}",
    "union_tag_not_found": "Lipsește câmpul {discriminator}, care alege tipul",
    "is_instance_of": "Tip de valoare nepotrivit",
    "frozen_field": "Nu poate fi modificat",
    "frozen_instance": "Nu poate fi modificat",
}

# Romanian plurals: 1 caracter, 2-19 caractere, 20 de caractere (from 20 on, "de" unless the number
# ends in 01-19).
_PLURALS = {"caracter": "caractere", "cifră": "cifre", "zecimală": "zecimale", "element": "elemente",
            "octet": "octeți", "rând": "rânduri"}


def count_of(number: int, singular: str) -> str:
    """'1 caracter', '5 caractere', '20 de caractere', as Romanian counts things."""
    if number == 1:
        return f"1 {singular}"
    plural = _PLURALS.get(singular, singular)
    return f"{number} de {plural}" if number >= 20 and not 1 <= number % 100 <= 19 else f"{number} {plural}"


def _alternatives(expected: str) -> str:
    """The alternatives pydantic lists ("'a', 'b' or 'c'") joined in Romanian ("'a', 'b' sau 'c'")."""
    head, separator, last = expected.rpartition(" or ")
    return f"{head} sau {last}" if separator else expected


class _Counted:
    """A context value; `{min_length:caracter}` formats it as a Romanian count of that noun."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __format__(self, noun: str) -> str:
        if noun and isinstance(self.value, int) and not isinstance(self.value, bool):
            return count_of(self.value, noun)
        return f"{_number(self.value)} {noun}".strip()


def _number(value: Any) -> str:
    """A limit as Romanian writes it: 0 (not 0.0), 0,5 (decimal comma); anything else as it is."""
    if isinstance(value, float | Decimal) and not isinstance(value, bool):
        text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
        return text.replace(".", ",")
    return str(value)


def _own_message(error: ErrorDetails) -> str:
    """The message a validator raised itself (ValueError, AssertionError), which the code writes in Romanian."""
    raised = (error.get("ctx") or {}).get("error")
    return str(raised) if raised is not None and str(raised) else FALLBACK


def romanian_message(error: ErrorDetails) -> str:
    """The Romanian message of one pydantic error (its `type` picks the template, its `ctx` fills it)."""
    kind = error["type"]
    if kind in {"value_error", "assertion_error"}:
        return _own_message(error)
    template = TEMPLATES.get(kind)
    if template is None:
        return FALLBACK
    context: dict[str, Any] = {name: _Counted(value) for name, value in (error.get("ctx") or {}).items()}
    if "expected" in context:
        context["expected"] = _alternatives(str(context["expected"].value))
    try:
        return template.format_map(context)
    except (KeyError, ValueError, IndexError):  # a context pydantic did not give: say it plainly
        return FALLBACK


def field_errors(error: ValidationError) -> list[FieldError]:
    """Every error of a pydantic ValidationError as a FieldError: its `loc` and `type`, a Romanian `msg`."""
    return [FieldError(tuple(str(part) for part in item["loc"]), romanian_message(item), item["type"])
            for item in error.errors()]
