"""Typed records and the DuckDB DDL of chitieu — the data model and nothing else."""
