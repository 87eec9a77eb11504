"""The layering of the packages, read from their import statements.

schemas ← normalizers ← extractors ← pipeline: each package imports only those to its left
(and itself), the check and the report never reach into the extractors, and nothing the
product ships imports the tests. Inside pipeline the stages are layered too:
cli → run → {present, check, link, store} → schemas, with dev (eval, bench) beside run.
"""

from __future__ import annotations

import ast
import re
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
# The consistency check, the report, the exports and the warehouse speak the records only.
NO_EXTRACTORS = ("pipeline/check", "pipeline/present", "pipeline/store")
STAGES = {"store", "check", "link", "present", "run", "cli", "dev"}
STAGES_ALLOWED = {
    "store": {"store"},
    "check": {"check", "store"},
    "link": {"link", "store"},
    "present": {"present", "check", "store", "link"},
    "run": {"run", "present", "check", "link", "store"},
    "dev": {"dev", "run", "present", "check", "link", "store"},
    "cli": STAGES,
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def imported_packages(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported_modules(path)} & PROJECT_PACKAGES


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_layers_below_it(package: str) -> None:
    offending = {
        str(path.relative_to(REPO)): sorted(imported_packages(path) - ALLOWED[package])
        for path in sorted((REPO / package).rglob("*.py"))
        if imported_packages(path) - ALLOWED[package]
    }
    assert offending == {}


@pytest.mark.parametrize("folder", NO_EXTRACTORS)
def test_check_report_and_exports_never_import_the_extractors(folder: str) -> None:
    offending = [str(path.relative_to(REPO)) for path in sorted((REPO / folder).rglob("*.py"))
                 if "extractors" in imported_packages(path)]
    assert offending == []


def imported_stages(path: Path) -> set[str]:
    return {module.split(".")[1] for module in imported_modules(path)
            if module.startswith("pipeline.")} & STAGES


@pytest.mark.parametrize("stage", sorted(STAGES_ALLOWED))
def test_a_pipeline_stage_imports_only_the_stages_below_it(stage: str) -> None:
    offending = {
        str(path.relative_to(REPO)): sorted(imported_stages(path) - STAGES_ALLOWED[stage])
        for path in sorted((REPO / "pipeline" / stage).rglob("*.py"))
        if imported_stages(path) - STAGES_ALLOWED[stage]
    }
    assert offending == {}


def test_only_the_flows_module_imports_prefect() -> None:
    importers = []
    for path in sorted(REPO.glob("*/**/*.py")):
        if path.parts[len(REPO.parts)] not in ALLOWED:
            continue
        if any(module.split(".")[0] in {"prefect", "prefect_dask"}
               for module in imported_modules(path)):
            importers.append(str(path.relative_to(REPO)))
    assert importers == ["pipeline/run/flows.py"]


def test_nothing_the_product_ships_finds_the_checkout_through_its_own_files() -> None:
    """Package data sits beside the module that reads it; no module climbs out of its package
    from `__file__` to reach tests/ or raw/ (a wheel has neither). The developer commands
    read a checkout's raw/ and tests/data/ relative to the folder they run in."""
    climbing = re.compile(r"__file__.*\.(?:parent\.parent|parents\[[1-9])|REPO_ROOT")
    offending = [str(path.relative_to(REPO)) for package in ALLOWED
                 for path in sorted((REPO / package).rglob("*.py"))
                 if climbing.search(path.read_text(encoding="utf-8"))]
    assert offending == []
