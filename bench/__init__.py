"""Reproducible benchmarks of Dars: each module runs with `python -m bench.<name>` (see bench/README.md)."""
