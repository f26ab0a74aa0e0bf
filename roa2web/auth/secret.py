"""The key that signs tokens: JWT_SECRET_KEY when set, else a random one kept in DATA_DIR.

`roa2web init` writes that file (owner-only) when no JWT_SECRET_KEY is set, so no install ever
signs with a value anyone can read in the source. `roa2web serve` refuses to run on no secret or on
a weak one (the public development value, or one shorter than 32 characters) whenever it binds to
a non-loopback address or runs in production; on loopback in development it writes the file itself.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from roa2web.settings import DEFAULT_JWT_SECRET, Settings, SettingsError

SECRET_FILE_NAME = "jwt-secret"  # noqa: S105 - a file name, not a secret
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class SigningSecret:
    """A token-signing secret and where it came from (`source` names the variable or the file, never the value)."""

    value: str
    source: str

    @property
    def weakness(self) -> str | None:
        """Why this secret must not guard a server others can reach, or None."""
        if self.value == DEFAULT_JWT_SECRET:
            return "is the public development value written in the source"
        if len(self.value) < MIN_SECRET_LENGTH:
            return f"is shorter than {MIN_SECRET_LENGTH} characters"
        return None

    @property
    def fingerprint(self) -> str:
        """A short SHA-256 prefix: instances that must share a secret can be compared without showing it."""
        return hashlib.sha256(self.value.encode()).hexdigest()[:12]

    def describe(self) -> str:
        """One line for operators: the source and the fingerprint."""
        return f"{self.source} (sha256 {self.fingerprint}…)"


def secret_path(settings: Settings) -> Path:
    """Where `roa2web init` keeps the generated secret."""
    return settings.data_path(SECRET_FILE_NAME)


def configured_secret(settings: Settings) -> SigningSecret | None:
    """JWT_SECRET_KEY, else the secret file in DATA_DIR, else None. Reads only; never creates anything.

    Raises SettingsError when the file is there but empty.
    """
    if settings.jwt_secret_key is not None:
        return SigningSecret(settings.jwt_secret_key.get_secret_value(), "JWT_SECRET_KEY")
    path = secret_path(settings)
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not value:
        raise SettingsError(f"{path} is empty: delete it and run `roa2web init` to write a new secret")
    return SigningSecret(value, f"file {path}")


def ensure_secret(settings: Settings) -> tuple[SigningSecret, bool]:
    """The configured secret, or a new random one written to DATA_DIR (owner read/write only).

    Returns the secret and whether this call wrote it. Two processes starting at once agree: the
    file is created exclusively and the loser reads the winner's.
    """
    existing = configured_secret(settings)
    if existing is not None:
        return existing, False
    path = secret_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        found = configured_secret(settings)
        assert found is not None
        return found, False
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(value + "\n")
    return SigningSecret(value, f"file {path}"), True


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the server reachable from this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


def refusal(secret: SigningSecret | None, settings: Settings) -> str | None:
    """Why the server must not start with this secret, or None.

    Missing or weak secrets are refused whenever the server binds to a non-loopback address or
    runs in production; on loopback in development a weak one is only warned about.
    """
    exposed = not is_loopback(settings.host)
    if not exposed and settings.env != "production":
        return None
    where = f"HOST={settings.host}" if exposed else "ENV=production"
    if secret is None:
        return (
            f"no JWT secret ({where}): set JWT_SECRET_KEY to a random value of at least "
            f"{MIN_SECRET_LENGTH} characters, or run `roa2web init` (it writes {secret_path(settings)})"
        )
    if secret.weakness:
        return (
            f"the JWT secret from {secret.source} {secret.weakness} ({where}): "
            f"set a random one of at least {MIN_SECRET_LENGTH} characters"
        )
    return None
