"""Cache keys: ledger, report name, company and normalized parameters, stable across processes and runs.

Parameters are normalized so that equal requests share a key however they were spelled: keys sorted,
None values dropped, scalars written as canonical text (dates in ISO 8601, numbers without trailing
zeros, booleans as true/false), sets sorted. Lists keep their order. The key stays readable
(`trial_balance:12:{"from":"2024-01-01"}`) unless it grows long, then the parameters are hashed.
A key of one ledger starts with a tag of that ledger's identity (`ledger_tag`), so figures of one
ledger are never found under another's key.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import uuid
from collections.abc import Mapping, Set
from decimal import Decimal
from typing import Any

import orjson

MAX_READABLE_KEY = 200

type Normalized = str | list[Normalized] | dict[str, Normalized] | None


def _number(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"cache key parameters must be finite numbers, got {value}")
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def normalize_value(value: Any) -> Normalized:
    """One parameter value in canonical form; raises TypeError for types with no stable text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return normalize_value(value.value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dt.datetime):
        return (value.astimezone(dt.UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return normalize_params(value)
    if isinstance(value, Set):
        items = [normalize_value(item) for item in value]
        return sorted(items, key=lambda item: orjson.dumps(item))
    if isinstance(value, list | tuple):
        return [normalize_value(item) for item in value]
    raise TypeError(f"cannot use a {type(value).__name__} in a cache key")


def normalize_params(params: Mapping[str, Any]) -> dict[str, Normalized]:
    """Parameters with None values dropped, keys sorted and every value normalized."""
    normalized: dict[str, Normalized] = {}
    for name in sorted(params):
        if not isinstance(name, str):
            raise TypeError(f"cache key parameter names must be strings, got {name!r}")
        if params[name] is not None:
            normalized[name] = normalize_value(params[name])
    return normalized


def ledger_tag(identity: str) -> str:
    """A short, fixed-length tag of a ledger's identity (which may name a DSN) for the keys."""
    if not identity:
        raise ValueError("a ledger identity must not be empty")
    return hashlib.sha256(identity.encode()).hexdigest()[:16]


def cache_key(
    report: str, company_id: int | None, params: Mapping[str, Any] | None = None, *, ledger: str | None = None
) -> str:
    """The key of one report for one company (None for company-independent reports) and parameters.

    `ledger` is a `ledger_tag`; the key then belongs to that ledger only.
    """
    if not report or ":" in report:
        raise ValueError(f"report names must be non-empty and contain no ':', got {report!r}")
    if company_id is not None and (isinstance(company_id, bool) or not isinstance(company_id, int)):
        raise TypeError(f"company_id must be an int or None, got {company_id!r}")
    company = "-" if company_id is None else str(company_id)
    encoded = orjson.dumps(normalize_params(params or {})).decode()
    prefix = f"{report}:{company}:" if ledger is None else f"{ledger}:{report}:{company}:"
    key = prefix + encoded
    if len(key) > MAX_READABLE_KEY:
        key = f"{prefix}#{hashlib.sha256(encoded.encode()).hexdigest()}"
    return key
