"""The linking's problems: what the bot shows the user (`str(detail)`) and the HTTP API renders as problem+json."""

from __future__ import annotations

from roa2web.problems import BadRequest, Conflict, Forbidden, Gone, NotFound, Problem, TooManyRequests


class LinkCodeInvalid(BadRequest):
    """The code is unknown or was already used (one message for both: nothing to learn by guessing)."""

    kind = "link-code-invalid"
    title = "Cod de conectare nevalid"

    def __init__(self, detail: str = "Codul nu este valid sau a fost deja folosit.") -> None:
        """The problem, with its usual detail."""
        super().__init__(detail)


class LinkCodeExpired(Gone):
    """The code was right but its minutes are over."""

    kind = "link-code-expired"
    title = "Cod de conectare expirat"

    def __init__(self, detail: str = "Codul a expirat; cereți un cod nou.") -> None:
        """The problem, with its usual detail."""
        super().__init__(detail)


def _tries_text(tries_left: int) -> str:
    return "o încercare" if tries_left == 1 else f"{tries_left} încercări"


class WrongCode(BadRequest):
    """A wrong e-mailed code; `tries_left` more may be typed before the code is spent."""

    kind = "wrong-code"
    title = "Cod greșit"

    def __init__(self, tries_left: int) -> None:
        """The problem naming how many tries are left."""
        super().__init__(f"Cod greșit. Mai aveți {_tries_text(tries_left)}.")
        self.tries_left = tries_left


class CodeTriesExhausted(TooManyRequests):
    """Too many wrong e-mailed codes: the code is spent."""

    kind = "code-tries-exhausted"
    title = "Prea multe încercări greșite"

    def __init__(self, detail: str = "Ați greșit codul de prea multe ori; cereți un cod nou cu /login.") -> None:
        """The problem, with its usual detail."""
        super().__init__(detail)


class NoCodePending(Conflict):
    """No e-mailed code waits to be typed in this chat."""

    kind = "no-code-pending"
    title = "Niciun cod în așteptare"

    def __init__(self, detail: str = "Nu așteptăm niciun cod; trimiteți întâi /login adresa-de-e-mail.") -> None:
        """The problem, with its usual detail."""
        super().__init__(detail)


class UserDisabled(Forbidden):
    """The code's user is disabled (or gone): such a user cannot be linked."""

    kind = "user-disabled"
    title = "Cont dezactivat"

    def __init__(self, detail: str = "Contul este dezactivat; nu poate fi legat de Telegram.") -> None:
        """The problem, with its usual detail."""
        super().__init__(detail)


class MailNotConfigured(Problem):
    """SMTP_HOST is not set: no codes by e-mail (a 503 without Retry-After: trying again changes nothing)."""

    status = 503
    kind = "mail-not-configured"
    title = "E-mail neconfigurat"

    def __init__(
        self,
        detail: str = "Trimiterea codurilor prin e-mail nu este configurată pe server; "
        "folosiți codul din aplicația web (pagina Telegram).",
    ) -> None:
        """The problem, with its usual detail."""
        super().__init__(detail)


class MailFailed(Problem):
    """The mail server refused the message or could not be reached: no code is live."""

    status = 502
    kind = "mail-failed"
    title = "E-mailul nu a putut fi trimis"

    def __init__(self, detail: str = "E-mailul cu codul nu a putut fi trimis; încercați din nou mai târziu.") -> None:
        """The problem, with its usual detail."""
        super().__init__(detail)


class NotLinked(NotFound):
    """The user has no linked Telegram chat."""

    kind = "telegram-not-linked"
    title = "Telegram nelegat"

    def __init__(self, detail: str = "Contul nu este legat de niciun chat Telegram.") -> None:
        """The problem, with its usual detail."""
        super().__init__(detail)
