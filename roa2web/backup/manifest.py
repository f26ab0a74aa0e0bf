"""The archive's name and its manifest: what each member is, where it came from, its size and sha256.

The manifest is `manifest.json` at the archive's root. A member's name says what it is:
`databases/<file>` (role in the entry), `files/jwt-secret`, `receipts/...` and `exports/...`
(the folders under FILES_DIR, their inner paths kept).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from typing import Any

MANIFEST_NAME = "manifest.json"
FORMAT = 1
ARCHIVE_PREFIX = "roa2web-backup-"
ARCHIVE_TIME_FORMAT = "%Y%m%dT%H%M%SZ"
ARCHIVE_NAME = re.compile(r"^roa2web-backup-(\d{8}T\d{6}Z)\.zip$")


class ManifestError(ValueError):
    """The archive is not one of ours, or its manifest does not describe it; the message says what is wrong."""


def archive_name(moment: dt.datetime) -> str:
    """`roa2web-backup-<UTC yyyymmddTHHMMSSZ>.zip` for `moment`."""
    return f"{ARCHIVE_PREFIX}{moment.astimezone(dt.UTC).strftime(ARCHIVE_TIME_FORMAT)}.zip"


def archive_time(name: str) -> dt.datetime | None:
    """When an archive named like ours was made (UTC); None for any other name."""
    match = ARCHIVE_NAME.match(name)
    if match is None:
        return None
    return dt.datetime.strptime(match[1], ARCHIVE_TIME_FORMAT).replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Entry:
    """One member of the archive."""

    name: str  # inside the archive, '/'-separated
    role: str  # app_db, data_entry_db, queue, cache, ledger, jwt_secret, receipts, exports
    kind: str  # "sqlite" or "file"
    source: str  # the path it was copied from
    size: int
    sha256: str

    @property
    def inner_path(self) -> PurePosixPath:
        """A folder member's path inside its folder (receipts/2/2025/x.png -> 2/2025/x.png)."""
        return PurePosixPath(*PurePosixPath(self.name).parts[1:])


@dataclass(frozen=True)
class Manifest:
    """Everything the archive holds and where it was made."""

    created_at: str  # ISO 8601, UTC
    roa2web_version: str
    host: str
    data_dir: str
    files_dir: str
    entries: list[Entry] = field(default_factory=list)
    not_included: list[str] = field(default_factory=list)  # one line each: what lives elsewhere (PostgreSQL...)
    format: int = FORMAT

    def to_json(self) -> bytes:
        """The manifest as UTF-8 JSON."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """Parse a manifest; ManifestError when it is not one of ours or a member's name is unsafe."""
        try:
            data: dict[str, Any] = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ManifestError(f"manifest format {data.get('format')!r} is not {FORMAT}")
            entries = [Entry(**entry) for entry in data.pop("entries")]
            manifest = cls(entries=entries, **data)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            if isinstance(exc, ManifestError):
                raise
            raise ManifestError(f"{MANIFEST_NAME} cannot be read: {exc}") from None
        for entry in manifest.entries:
            check_member_name(entry.name)
        return manifest


def check_member_name(name: str) -> None:
    """Refuse a member name that could land outside its folder (absolute, '..', drive letters, backslashes)."""
    path = PurePosixPath(name)
    if (not name or "\\" in name or ":" in name or path.is_absolute()
            or any(part in ("", ".", "..") for part in name.split("/")) or len(path.parts) < 2):
        raise ManifestError(f"unsafe member name in the manifest: {name!r}")


def new_hash() -> Any:
    """The hash the manifest records (sha256)."""
    return hashlib.sha256()
