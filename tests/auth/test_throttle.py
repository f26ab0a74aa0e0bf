"""LoginThrottle on a clock the test moves: sliding windows, only failures count, truthful Retry-After, bounded."""

from __future__ import annotations

import pytest

from roa2web.auth.throttle import LoginThrottle, LoginThrottled


class Clock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def throttle(clock: Clock, **limits: int) -> LoginThrottle:
    values = {"per_client": 5, "per_username": 50, "period_s": 300} | limits
    return LoginThrottle(**values, clock=clock)


def fail(limiter: LoginThrottle, client: str, username: str) -> None:
    limiter.begin(client, username)  # the attempt stays counted: a failure


def retry_after(limiter: LoginThrottle, client: str, username: str) -> int:
    with pytest.raises(LoginThrottled) as refused:
        limiter.begin(client, username)
    assert refused.value.status == 429
    return int(refused.value.headers["Retry-After"])


def test_five_failures_in_any_window_no_refill(clock):
    limiter = throttle(clock)
    for _ in range(5):
        fail(limiter, "10.0.0.1", "ana")
    # a token bucket refills one attempt per 60 s here; a sliding window lets none in for 300 s
    for elapsed in (60, 120, 180, 240, 299):
        clock.now = 1000.0 + elapsed
        assert retry_after(limiter, "10.0.0.1", "ana") == 300 - elapsed
    clock.now = 1300.0  # the five left the window together: five more are let through, no sixth
    for _ in range(5):
        fail(limiter, "10.0.0.1", "ana")
    assert retry_after(limiter, "10.0.0.1", "ana") == 300


def test_a_failure_spread_window_frees_one_place_at_a_time(clock):
    limiter = throttle(clock)
    for _ in range(5):
        fail(limiter, "10.0.0.1", f"user{clock.now}")
        clock.now += 50  # failures at 1000, 1050, ..., 1200
    assert retry_after(limiter, "10.0.0.1", "x") == 1300 - 1250  # when the one at 1000 expires
    clock.now = 1300.0
    fail(limiter, "10.0.0.1", "x")
    assert retry_after(limiter, "10.0.0.1", "x") == 1350 - 1300  # then the one at 1050


def test_successes_do_not_count(clock):
    limiter = throttle(clock)
    for _ in range(20):
        limiter.release(limiter.begin("10.0.0.1", "ana"))  # a success gives its place back
    for _ in range(5):
        fail(limiter, "10.0.0.1", "ana")
    assert retry_after(limiter, "10.0.0.1", "ana") == 300


def test_parallel_attempts_reserve_their_places(clock):
    limiter = throttle(clock)
    pending = [limiter.begin("10.0.0.1", "ana") for _ in range(5)]  # all in flight, none settled
    retry_after(limiter, "10.0.0.1", "ana")  # a sixth guess does not pass while five are checked
    limiter.release(pending[0])
    limiter.begin("10.0.0.1", "ana")


def test_others_failures_do_not_lock_a_clean_client_out(clock):
    limiter = throttle(clock, per_username=10)
    for client in range(10):  # ten addresses fail once each on ana: the username's ceiling is reached
        fail(limiter, f"203.0.113.{client}", "ana")
    limiter.release(limiter.begin("198.51.100.7", "ana"))  # the owner, from a clean address, gets in
    assert retry_after(limiter, "203.0.113.3", "ana") == 300  # a client that failed on ana is held back
    fail(limiter, "192.0.2.1", "ana")  # a fresh address gets one guess, then it is held back too
    assert retry_after(limiter, "192.0.2.1", "ana") == 300
    limiter.begin("203.0.113.3", "bob")  # on other usernames those clients keep their own limit


def test_memory_is_bounded(clock):
    limiter = throttle(clock, per_client=3)
    limiter.max_keys = 300
    for client in range(10_000):
        fail(limiter, f"10.{client // 65536}.{client // 256 % 256}.{client % 256}", f"user{client}")
    assert limiter.keys_held <= 300
    clock.now += 301
    fail(limiter, "10.9.9.9", "someone")
    assert limiter.keys_held <= 300
