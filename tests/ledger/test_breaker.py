"""The ledger's circuit breaker as a state machine, on a clock the test moves."""

from __future__ import annotations

import pytest

from roa2web.ledger.breaker import BreakerState, CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def breaker(clock: Clock) -> CircuitBreaker:
    return CircuitBreaker(failures=3, cool_down_s=10.0, clock=clock)


def fail(breaker: CircuitBreaker, *, trip: bool = False) -> bool:
    ticket = breaker.admit()
    assert ticket is not None
    return breaker.failed(ticket, "database disk image is malformed", trip=trip)


def test_consecutive_failures_open_it_and_a_success_between_them_resets_the_count(breaker: CircuitBreaker):
    assert not fail(breaker) and not fail(breaker)
    ticket = breaker.admit()
    assert ticket is not None and breaker.succeeded(ticket) is False  # it was closed: nothing re-opened
    assert not fail(breaker) and not fail(breaker)
    assert breaker.state is BreakerState.CLOSED
    assert fail(breaker)
    assert breaker.state is BreakerState.OPEN
    assert breaker.snapshot()["last_error"] == "database disk image is malformed"


def test_a_timeout_opens_it_at_once(breaker: CircuitBreaker):
    assert fail(breaker, trip=True)
    assert breaker.state is BreakerState.OPEN
    assert breaker.snapshot()["openings"] == 1


def test_open_refuses_calls_until_the_cool_down_lets_one_probe_through(breaker: CircuitBreaker, clock: Clock):
    fail(breaker, trip=True)
    assert breaker.admit() is None and breaker.admit() is None
    assert breaker.snapshot()["rejected_calls"] == 2
    assert breaker.probe_ticket() is None  # cooling down
    assert breaker.retry_after_s() == 10
    clock.now += 10
    probe = breaker.probe_ticket()
    assert probe is not None and breaker.state is BreakerState.HALF_OPEN
    assert breaker.probe_ticket() is None and breaker.admit() is None  # a single probe
    assert breaker.succeeded(probe) is True
    assert breaker.state is BreakerState.CLOSED and breaker.admit() is not None


def test_a_failed_probe_opens_it_for_another_cool_down(breaker: CircuitBreaker, clock: Clock):
    fail(breaker, trip=True)
    clock.now += 10
    probe = breaker.probe_ticket()
    assert probe is not None
    assert breaker.failed(probe, "file is not a database") is True  # one failure is enough when half-open
    assert breaker.state is BreakerState.OPEN and breaker.probe_ticket() is None
    clock.now += 9
    assert breaker.probe_ticket() is None
    clock.now += 1
    assert breaker.probe_ticket() is not None


def test_a_call_that_started_before_it_opened_neither_closes_nor_reopens_it(breaker: CircuitBreaker, clock: Clock):
    slow = breaker.admit()
    other = breaker.admit()
    assert slow is not None and other is not None
    assert breaker.failed(other, "took longer than 5s", trip=True)
    assert breaker.succeeded(slow) is False
    assert breaker.state is BreakerState.OPEN
    clock.now += 5
    assert breaker.failed(slow, "late failure", trip=True) is False
    assert breaker.snapshot()["probe_in_s"] == 5.0  # the cool-down was not restarted
