"""The lean access logger: the same line as Hypercorn's, and no work while the access log is off."""

from __future__ import annotations

import logging

from hypercorn.config import Config
from hypercorn.logging import AccessLogAtoms

from roa2web.access_log import AccessLogger, LeanAccessLogAtoms
from roa2web.server import ACCESS_LOG_FORMAT

REQUEST = {
    "type": "http", "http_version": "1.1", "method": "GET", "scheme": "http", "path": "/api/reports/dashboard",
    "query_string": b"company_id=1", "client": ("127.0.0.1", 50123),
    "headers": [(b"host", b"127.0.0.1:8000"), (b"User-Agent", b"curl/8"), (b"referer", b"http://spa/")],
}
RESPONSE = {"status": 200, "headers": [(b"content-length", b"1234"), (b"x-cache", b"HIT-L1")]}


def test_atoms_match_hypercorns_but_for_the_environment(monkeypatch):
    monkeypatch.setenv("ROA2WEB_SECRET_LOOKING_VAR", "must-not-reach-the-log")
    ours, theirs = LeanAccessLogAtoms(REQUEST, RESPONSE, 0.0125), AccessLogAtoms(REQUEST, RESPONSE, 0.0125)
    environment = {key for key in theirs if key.endswith("}e")}
    assert environment and not any(key.endswith("}e") for key in ours)
    assert {key: value for key, value in theirs.items() if key not in environment and key != "t"} == {
        key: value for key, value in ours.items() if key != "t"
    }
    assert ACCESS_LOG_FORMAT % ours == ACCESS_LOG_FORMAT % theirs
    assert ours["{roa2web_secret_looking_var}e"] == "-" and ours["{X-Cache}o"] == "HIT-L1"


async def test_nothing_is_built_when_the_access_log_is_off(caplog):
    config = Config()
    config.accesslog = logging.getLogger("hypercorn.access")
    config.access_log_format = ACCESS_LOG_FORMAT
    logger = AccessLogger(config)
    unreadable = {"type": "http"}  # building atoms from this would raise KeyError
    with caplog.at_level(logging.WARNING, logger="hypercorn.access"):
        await logger.access(unreadable, RESPONSE, 0.01)
    assert not caplog.records
    with caplog.at_level(logging.INFO, logger="hypercorn.access"):
        await logger.access(REQUEST, RESPONSE, 0.01)
    assert [record.getMessage() for record in caplog.records] == [
        '127.0.0.1:50123 "GET /api/reports/dashboard 1.1" 200 1234 0.010000s'
    ]
