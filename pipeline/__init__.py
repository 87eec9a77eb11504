"""Prefect flows, the warehouse layer and the CLI of chitieu."""
