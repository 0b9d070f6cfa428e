"""Benchmarks (`python -m bench`, `make bench`): never imported by the app."""
