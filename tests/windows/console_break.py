"""`python -m tests.windows.console_break serve ...`: `roa2web serve` stopped as Windows stops a console service.

Test-only entry. The CLI runs on the main thread as `roa2web` does; a thread waits for a line on
stdin, then calls the handler the server registered with `signal.signal`, read back with
`signal.getsignal` (the very object the signal module would call), with SIGBREAK's number: what
Python does when NSSM sends CTRL_BREAK. The number is Windows' (signal.SIGBREAK = 21), defined here:
Linux has no SIGBREAK (its 21 is SIGTTIN, which must not be raised for real).
"""

from __future__ import annotations

import signal
import sys
import threading

from roa2web.cli.main import main

SIGBREAK = 21


def _break_on_stdin() -> None:
    if not sys.stdin.readline():
        return  # the test went away
    registered = signal.getsignal(getattr(signal, "SIGBREAK", signal.SIGINT))
    owner = getattr(registered, "__self__", None)
    name = f"{type(owner).__module__}.{type(owner).__qualname__}.{getattr(registered, '__name__', '?')}"
    print(f"console_break: calling {name}({SIGBREAK}, None)", file=sys.stderr, flush=True)
    assert callable(registered)
    registered(SIGBREAK, None)


if __name__ == "__main__":
    threading.Thread(target=_break_on_stdin, name="console-break", daemon=True).start()
    sys.exit(main(sys.argv[1:]))
