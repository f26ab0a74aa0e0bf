"""The app's request class: a body that cannot be read is a 400 problem, form files spool under DATA_DIR.

Quart decodes a JSON body as UTF-8 before parsing it, outside the `try` that turns a parse error
into a 400, and the standard library's parser raises `RecursionError` on deep nesting
(`[[[[…`): both were 500s with a traceback. Here either is the same 400 as a syntax error, logged
as one warning line.

Multipart parts larger than werkzeug's in-memory threshold go to a temporary file; by default
in the system's temp dir, here in `DATA_DIR/tmp` (`spool_dir`), so that nothing a client sends
is written outside the data dir. The body's size is bounded before it gets here, by the
`roa2web.web.body_limit` ASGI layer.
"""

from __future__ import annotations

import logging
from pathlib import Path
from tempfile import SpooledTemporaryFile
from typing import IO, Any, NoReturn, cast

from quart import Request
from quart.formparser import FormDataParser

from roa2web.problems import BadRequest
from roa2web.web.nul_guard import REFUSED, NulCharacter, holds_nul

log = logging.getLogger("roa2web.web.request")
SPOOL_MEMORY_BYTES = 500 * 1024  # werkzeug's own threshold for keeping a part in memory
UNREADABLE_JSON = ("Corpul cererii nu este un JSON valid: trebuie să fie text UTF-8, corect format și "
                   "fără imbricări foarte adânci.")


class InvalidJson(BadRequest):
    """The body announced as JSON cannot be read as JSON."""

    kind = "invalid-json"


class AppRequest(Request):
    """Quart's request; JSON that cannot be decoded is `InvalidJson`, form files spool to `spool_dir`."""

    spool_dir: Path | None = None

    async def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """Quart's `get_json`, with a non-UTF-8 or too deeply nested body handled as a parse error.

        A body with U+0000 in any string is a 400 (`NulCharacter`): no database of the app stores it.
        """
        try:
            value = await super().get_json(force=force, silent=silent, cache=cache)
        except (UnicodeDecodeError, RecursionError) as error:
            if silent:
                return None
            return self.on_json_loading_failed(error)
        if holds_nul(value):
            if silent:
                return None
            log.warning("JSON body with U+0000 on %s %s", self.method, self.path)
            raise NulCharacter(REFUSED)
        return value

    def on_json_loading_failed(self, error: Exception) -> NoReturn:
        """A 400 problem saying the body is not JSON; one warning line in the log, no traceback."""
        log.warning("unreadable JSON body on %s %s: %s", self.method, self.path, type(error).__name__)
        raise InvalidJson(UNREADABLE_JSON)

    def make_form_data_parser(self) -> FormDataParser:
        """Quart's form parser, spooling large parts to `spool_dir`."""
        return self.form_data_parser_class(
            max_content_length=self.max_content_length,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.parameter_storage_class,
            stream_factory=self._spool,
        )

    def _spool(
        self, total_content_length: int | None, content_type: str | None, filename: str | None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        directory = None
        if self.spool_dir is not None:
            self.spool_dir.mkdir(parents=True, exist_ok=True)
            directory = str(self.spool_dir)
        return cast(IO[bytes], SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES, mode="rb+", dir=directory))


def request_class(spool_dir: Path) -> type[AppRequest]:
    """The request class of an app whose form files spool to `spool_dir` (DATA_DIR/tmp)."""
    return type("Request", (AppRequest,), {"spool_dir": spool_dir})
