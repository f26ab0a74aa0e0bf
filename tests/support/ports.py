"""Free TCP ports for the servers tests start, chosen where the OS never hands out ports on its own.

A port the kernel gives a bind to port 0 is in its ephemeral range, which it also gives any process's outgoing
connections: between the probe closing it and a server binding it, another connection may take it ("Address
already in use"). Ports below that range (Linux: 32768-60999, Windows: 49152-65535) are only ever taken by
someone asking for them by number.
"""

from __future__ import annotations

import random
import socket

LOWEST, HIGHEST = 20_000, 32_000  # under every ephemeral range, above the well-known and most registered services
_TRIES = 500


def free_ports(count: int) -> list[int]:
    """`count` distinct TCP ports nobody listens on now on 127.0.0.1, outside the OS's ephemeral range."""
    chooser = random.SystemRandom()
    found: list[int] = []
    for _ in range(_TRIES):
        port = chooser.randrange(LOWEST, HIGHEST)
        if port in found:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"no {count} free TCP ports between {LOWEST} and {HIGHEST} after {_TRIES} tries")


def free_port() -> int:
    """One TCP port nobody listens on now on 127.0.0.1, outside the OS's ephemeral range."""
    return free_ports(1)[0]
