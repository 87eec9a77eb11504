"""The report and every export of a warehouse, published in one go (a private staging folder
renamed into place), and recorded in the warehouse as what the outputs folder now shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.check.consistency import CheckChanges
from pipeline.present.export import FORMATS as EXPORT_FORMATS
from pipeline.present.export import export_tables
from pipeline.present.publish import publish
from pipeline.present.report import write_report


def publish_outputs(warehouse: Any, out_dir: Path, changes: CheckChanges | None = None) -> None:
    def write_outputs(folder: Path) -> None:
        write_report(warehouse, folder, changes=changes)
        export_tables(warehouse, folder / "exports", list(EXPORT_FORMATS))

    warehouse.record_outputs(out_dir, publish(out_dir, write_outputs))
