"""Benchmark scripts; they print their figures and are not part of `make test`."""
