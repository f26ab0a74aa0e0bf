"""Hypercorn's access log, without its per-request cost when nobody reads it.

Hypercorn's `Logger.access` builds an `AccessLogAtoms` for every response before the logger
decides whether to emit it: a dict with every request header, every response header and every
environment variable of the process. On a cached report that was about a quarter of the event
loop's time under load (py-spy on scripts/bench/reports_http.py). Here the atoms are built only
when the line will be written, and without the environment (`{NAME}e` atoms print "-").
"""

from __future__ import annotations

import logging
import os
import time
from http import HTTPStatus
from typing import Any

from hypercorn.logging import AccessLogAtoms, Logger


class LeanAccessLogAtoms(AccessLogAtoms):
    """Hypercorn's access-log atoms (same names, same "-" for a missing one) minus the environment."""

    def __init__(self, request: Any, response: Any, request_time: float) -> None:
        dict.__init__(self)
        for name, value in request["headers"]:
            self[f"{{{name.decode('latin1').lower()}}}i"] = value.decode("latin1")
        status = "-"
        phrase = "-"
        if response is not None:
            for name, value in response.get("headers", []):
                self[f"{{{name.decode('latin1').lower()}}}o"] = value.decode("latin1")
            status = str(response["status"])
            try:
                phrase = HTTPStatus(response["status"]).phrase
            except ValueError:
                phrase = f"<???{status}???>"
        client = request.get("client")
        protocol = request.get("http_version", "ws")
        method = request["method"] if request["type"] == "http" else "GET"
        query = request["query_string"].decode()
        path_with_query = request["path"] + ("?" + query if query else "")
        self.update({
            "h": f"{client[0]}:{client[1]}" if client and len(client) == 2 else (client[0] if client else None),
            "l": "-",
            "t": time.strftime("[%d/%b/%Y:%H:%M:%S %z]"),
            "r": f"{method} {request['path']} {protocol}",
            "R": f"{method} {path_with_query} {protocol}",
            "s": status,
            "st": phrase,
            "S": request["scheme"],
            "m": method,
            "U": request["path"],
            "Uq": path_with_query,
            "q": query,
            "H": protocol,
            "b": self["{Content-Length}o"],
            "B": self["{Content-Length}o"],
            "f": self["{Referer}i"],
            "a": self["{User-Agent}i"],
            "T": int(request_time),
            "D": int(request_time * 1_000_000),
            "L": f"{request_time:.6f}",
            "p": f"<{os.getpid()}>",
        })


class AccessLogger(Logger):
    """Hypercorn's logger whose access lines cost nothing while the access logger is off."""

    async def access(self, request: Any, response: Any, request_time: float) -> None:
        """Log one request, if the access logger would write an INFO line."""
        if self.access_logger is None or not self.access_logger.isEnabledFor(logging.INFO):
            return
        self.access_logger.info(self.access_log_format, LeanAccessLogAtoms(request, response, request_time))
