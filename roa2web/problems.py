"""Every error a client may see, as a `Problem`: the class says what went wrong, the instance the details.

A subclass names its HTTP `status`, its problem type (`kind`, the slug after `/problems/`) and
its `title` once, as class attributes; an instance adds the `detail` (for people), optional
field `errors` and response `headers`. One handler (`roa2web.errors`) renders every Problem as
problem+json (RFC 9457), so domain and store code raise meaning, not statuses, and never import
the web framework.

Titles and details are what the firm's people read: Romanian, with diacritics (the `kind` slugs
stay English identifiers). The generic kinds below (NotFound, Forbidden, ...) are subclassed by
the domain's own errors, which may combine a module's base class with one of them
(`class JobNotFound(JobError, NotFound)`).
"""

from __future__ import annotations

import errno
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://roa2web.local/problems/"  # + a problem's kind: its `type`


@dataclass(frozen=True, slots=True)
class FieldError:
    """One invalid field: where (`loc`, e.g. ("vat_lines", "0", "rate")), why, and a machine type."""

    loc: tuple[str, ...]
    msg: str
    type: str

    def to_dict(self) -> dict[str, object]:
        """The problem+json form."""
        return {"loc": list(self.loc), "msg": self.msg, "type": self.type}


def problem_document(
    *, kind: str, title: str, status: int, detail: str, request_id: str, errors: Sequence[FieldError] | None = None,
) -> dict[str, object]:
    """The problem+json body every error reply carries (RFC 9457 fields and our request id)."""
    body: dict[str, object] = {
        "type": PROBLEM_BASE + kind,
        "title": title,
        "status": status,
        "detail": detail,
        "request_id": request_id,
    }
    if errors is not None:
        body["errors"] = [error.to_dict() for error in errors]
    return body


class Problem(Exception):
    """Base of every error rendered to a client; a bare Problem is a 500.

    `public_detail`, when a class sets it, is what the client reads instead of the instance's
    message (which may name hosts, paths or SQL: it only goes to the log). `retry_after_s` adds a
    Retry-After header. An instance may narrow `kind` (`Conflict(..., kind="stale-version")`).
    """

    status: ClassVar[int] = 500
    kind: str = "internal-error"
    title: ClassVar[str] = "Eroare internă"
    public_detail: ClassVar[str | None] = None
    retry_after_s: ClassVar[int | None] = None

    def __init__(
        self,
        detail: str,
        *,
        kind: str | None = None,
        errors: Sequence[FieldError] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """A problem saying `detail`; `kind` narrows the class's, `errors` lists the fields at fault."""
        super().__init__(detail)
        self.detail = detail
        if kind:
            self.kind = kind
        self.errors: list[FieldError] | None = list(errors) if errors is not None else None
        self.headers = dict(headers or {})
        if self.retry_after_s is not None:
            self.headers.setdefault("Retry-After", str(self.retry_after_s))

    @property
    def client_detail(self) -> str:
        """The detail the client reads: `public_detail` when the class hides its messages, else `detail`."""
        return self.public_detail or self.detail


class BadRequest(Problem):
    """The request cannot be honoured as asked."""

    status = 400
    kind = "bad-request"
    title = "Cerere greșită"


class ValidationFailed(BadRequest):
    """One or more fields are invalid (listed in `errors`)."""

    kind = "validation-error"
    title = "Date invalide"


class Unauthorized(Problem):
    """No valid credentials came with the request."""

    status = 401
    kind = "unauthorized"
    title = "Neautentificat"


class Forbidden(Problem):
    """The caller may not do this."""

    status = 403
    kind = "forbidden"
    title = "Acces interzis"


class NotFound(Problem):
    """No such thing (or not visible to this caller)."""

    status = 404
    kind = "not-found"
    title = "Negăsit"


class MethodNotAllowed(Problem):
    """The route exists, but not for this HTTP method."""

    status = 405
    kind = "method-not-allowed"
    title = "Metodă nepermisă"


class Conflict(Problem):
    """The thing is not in a state that allows this, or it changed meanwhile."""

    status = 409
    kind = "conflict"
    title = "Conflict"


class Gone(Problem):
    """The thing existed but has expired."""

    status = 410
    kind = "gone"
    title = "Nu mai există"


class PayloadTooLarge(Problem):
    """The request body is above the size the server accepts."""

    status = 413
    kind = "content-too-large"
    title = "Cerere prea mare"


class UnsupportedMediaType(Problem):
    """The body is not in a format this route reads (e.g. a form where JSON is expected)."""

    status = 415
    kind = "unsupported-media-type"
    title = "Tip de conținut nepotrivit"


class TooManyRequests(Problem):
    """The caller sent too many requests; it may try again later."""

    status = 429
    kind = "too-many-requests"
    title = "Prea multe cereri"


class ServiceUnavailable(Problem):
    """A part the request needs is down; the client may try again after `retry_after_s`."""

    status = 503
    kind = "service-unavailable"
    title = "Serviciu indisponibil"
    retry_after_s = 10


class InsufficientStorage(Problem):
    """The disk holding the data dir or FILES_DIR is full: nothing of the request was saved; it may be tried again."""

    status = 507
    kind = "insufficient-storage"
    title = "Spațiu insuficient pe disc"


_DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}  # Windows' ERROR_DISK_FULL is ENOSPC
_SQLITE_FULL = "database or disk is full"  # SQLITE_FULL's message, kept inside peewee's wrapper too


def disk_full(exc: BaseException) -> bool:
    """Whether `exc`, or an exception it was raised from, says the disk is full (ENOSPC, a quota, SQLITE_FULL)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _DISK_FULL_ERRNOS:
            return True
        if _SQLITE_FULL in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False
