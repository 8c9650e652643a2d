"""The city-scale benchmark: build a city on PostgreSQL, serve Minqing as in production, measure it.

Run from the repository root: `bench/run.sh --demands 1000000` (see bench/README.md).
"""
