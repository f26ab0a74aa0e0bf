"""A PRNG of our own (xoshiro256** seeded by splitmix64): same numbers on every Python and OS.

Only integer arithmetic is used, so every draw is exact. Independent streams are derived
from a tuple of integer keys (seed, company, year, month, ...), which keeps one part of the
dataset unchanged when another part draws more or fewer numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def splitmix64(state: int) -> tuple[int, int]:
    """One splitmix64 step: (next state, 64-bit output)."""
    state = (state + _GOLDEN) & _MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return state, z ^ (z >> 31)


class Prng:
    """xoshiro256** whose 256-bit state comes from hashing `keys` with splitmix64."""

    __slots__ = ("_keys", "_s0", "_s1", "_s2", "_s3")

    def __init__(self, *keys: int) -> None:
        """A generator whose sequence depends only on `keys`."""
        self._keys = keys
        state = 0x243F6A8885A308D3
        for key in keys:
            _, state = splitmix64(state ^ (key & _MASK))
        words = []
        for _ in range(4):
            state, word = splitmix64(state)
            words.append(word)
        self._s0, self._s1, self._s2, self._s3 = words

    @classmethod
    def from_state(cls, s0: int, s1: int, s2: int, s3: int) -> Prng:
        """A generator with an explicit xoshiro state (for reference vectors)."""
        prng = cls()
        prng._s0, prng._s1, prng._s2, prng._s3 = (s & _MASK for s in (s0, s1, s2, s3))
        return prng

    def child(self, *keys: int) -> Prng:
        """An independent stream keyed by this stream's keys plus `keys`."""
        return Prng(*self._keys, *keys)

    def next_u64(self) -> int:
        """The next 64-bit output."""
        s0, s1, s2, s3 = self._s0, self._s1, self._s2, self._s3
        x = (s1 * 5) & _MASK
        result = ((((x << 7) | (x >> 57)) & _MASK) * 9) & _MASK  # rotl(s1 * 5, 7) * 9
        t = (s1 << 17) & _MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        self._s0, self._s1, self._s2, self._s3 = s0, s1, s2, ((s3 << 45) | (s3 >> 19)) & _MASK
        return result

    def below(self, n: int) -> int:
        """A uniform integer in [0, n), without modulo bias."""
        if not 0 < n <= _MASK:
            raise ValueError(f"below() needs 0 < n < 2**64, got {n}")
        limit = (_MASK + 1) - ((_MASK + 1) % n)
        while True:
            value = self.next_u64()
            if value < limit:
                return value % n

    def between(self, low: int, high: int) -> int:
        """A uniform integer in [low, high]."""
        return low + self.below(high - low + 1)

    def chance(self, numerator: int, denominator: int) -> bool:
        """True with probability numerator/denominator."""
        return self.below(denominator) < numerator

    def choice[T](self, items: Sequence[T]) -> T:
        """One element of a non-empty sequence."""
        return items[self.below(len(items))]

    def weighted[T](self, items: Sequence[tuple[T, int]]) -> T:
        """One value from (value, integer weight) pairs."""
        total = sum(weight for _, weight in items)
        point = self.below(total)
        for value, weight in items:
            if point < weight:
                return value
            point -= weight
        raise AssertionError("unreachable: weights are positive")

    def split(self, total: int, parts: int, *, spread: int = 50) -> list[int]:
        """Split a positive integer into `parts` positive integers summing to `total`."""
        if parts < 1 or total < parts:
            raise ValueError(f"cannot split {total} into {parts} positive parts")
        weights = [self.between(100 - spread, 100 + spread) for _ in range(parts)]
        scale = sum(weights)
        rest = total - parts
        shares = [1 + rest * weight // scale for weight in weights[:-1]]
        return [*shares, total - sum(shares)]
