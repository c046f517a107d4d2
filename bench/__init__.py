"""Benchmarks and data generators (bench/README.md). Results are JSON files, never
asserted in the test suite."""
