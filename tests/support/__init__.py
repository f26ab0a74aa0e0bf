"""Shared helpers for tests and benchmarks: generated test data, not production code."""
