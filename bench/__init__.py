"""Benchmarks. `python -m bench.bank`: question-bank import and draw speed."""
