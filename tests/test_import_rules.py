"""The layering of the packages, read from their import statements.

schemas ← normalizers ← extractors ← pipeline: each package imports only those to its left
(and itself), the check and the report never reach into the extractors, and nothing the
product ships imports the tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = {"schemas", "normalizers", "extractors", "pipeline", "tests"}
ALLOWED = {
    "schemas": {"schemas"},
    "normalizers": {"normalizers", "schemas"},
    "extractors": {"extractors", "normalizers", "schemas"},
    "pipeline": {"pipeline", "extractors", "normalizers", "schemas"},
}
# The consistency check, the report and the exports speak the records only.
NO_EXTRACTORS = ("pipeline/consistency.py", "pipeline/report.py", "pipeline/export.py")


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & PROJECT_PACKAGES


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_layers_below_it(package: str) -> None:
    offending = {
        str(path.relative_to(REPO)): sorted(imported_packages(path) - ALLOWED[package])
        for path in sorted((REPO / package).rglob("*.py"))
        if imported_packages(path) - ALLOWED[package]
    }
    assert offending == {}


@pytest.mark.parametrize("module", NO_EXTRACTORS)
def test_check_report_and_exports_never_import_the_extractors(module: str) -> None:
    assert "extractors" not in imported_packages(REPO / module)
