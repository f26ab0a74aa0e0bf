"""Test doubles for the cache tests: a clock that moves on demand, a compute that counts its calls."""

from __future__ import annotations

START = 1_750_000_000.0


class FakeClock:
    """Wall-clock seconds that move only when a test says so."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class CountingCompute:
    """A compute function that returns numbered bodies and counts its calls."""

    def __init__(self, prefix: str = "body") -> None:
        self.prefix = prefix
        self.calls = 0

    async def __call__(self) -> bytes:
        self.calls += 1
        return f"{self.prefix}-{self.calls}".encode()
