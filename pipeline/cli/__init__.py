"""The `chitieu` command: product commands in `app`, developer commands in `dev`."""

from pipeline.cli.app import main

__all__ = ["main"]
