"""Prefect flows, the warehouse layer and the CLI of chitieu."""

from pipeline.settings import configure_prefect

# Prefect reads its settings when first imported; every entry point comes through here first.
configure_prefect()
