"""The HTML report in a real browser: headless Chromium renders it, logs no console message,
and produces a screenshot with the charts drawn.

Chromium comes from Debian (`make test` installs it through the `system-test` target).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from pipeline.present.chart import FINDING_COLOUR
from pipeline.present.report import write_report
from pipeline.store.warehouse import Warehouse
from tests.consistency_samples import AS_OF, build_sample_warehouse

pytestmark = pytest.mark.slow

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
    "--enable-logging=stderr", "--v=0",
]


def chromium(page: Path, profile: Path, *action: str) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium is missing: run `make system-test` (apt-get install chromium)")
    return subprocess.run(
        ["nice", executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *action,
         page.as_uri()],
        capture_output=True, text=True, timeout=180, check=True,
    )


def console_messages(stderr: str) -> list[str]:
    """What the page said on its console (log lines Chromium tags CONSOLE), and script errors."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("chromium-report")
    db_path = root / "chitieu.duckdb"
    build_sample_warehouse(db_path)
    with Warehouse.open(db_path, read_only=True) as warehouse:
        write_report(warehouse, root, as_of=AS_OF)
    return root / "report.html"


def test_console_check_sees_a_broken_page(tmp_path: Path) -> None:
    """The detector itself works: a page with a script error is caught."""
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html><body><script>missingFunction();</script></body>'
                      "</html>", encoding="utf-8")
    result = chromium(broken, tmp_path / "profile", "--dump-dom")
    assert any("missingFunction" in message for message in console_messages(result.stderr))


def test_report_renders_without_console_messages(report_html: Path, tmp_path: Path) -> None:
    result = chromium(report_html, tmp_path / "profile", "--dump-dom")

    assert console_messages(result.stderr) == []
    dom = result.stdout
    assert "<h1>Báo cáo nhất quán chỉ tiêu</h1>" in dom
    assert dom.count("<svg") == 2
    assert "<script" not in dom


def test_tasks_render_without_console_messages(report_html: Path, tmp_path: Path) -> None:
    result = chromium(report_html.with_name("tasks.html"), tmp_path / "profile", "--dump-dom")

    assert console_messages(result.stderr) == []
    dom = result.stdout
    assert "<h1>Nhiệm vụ theo các kế hoạch</h1>" in dom
    assert "<script" not in dom  # the plan's <script> text stayed text
    assert "&lt;script&gt;alert" in dom


def test_screenshot_shows_the_report_and_its_charts(report_html: Path, tmp_path: Path) -> None:
    screenshot = tmp_path / "report.png"
    result = chromium(report_html, tmp_path / "profile", "--window-size=1100,1600",
                      f"--screenshot={screenshot}")

    assert console_messages(result.stderr) == []
    with Image.open(screenshot) as image:
        assert image.size == (1100, 1600)
        pixels = image.convert("RGB").getdata()
        finding_red = tuple(int(FINDING_COLOUR[i:i + 2], 16) for i in (1, 3, 5))
        ink = sum(1 for pixel in pixels if sum(pixel) < 600)
        red = sum(1 for pixel in pixels if pixel == finding_red)
    assert ink > 20_000, "the page looks blank"
    assert red > 50, "the findings' red rings and links of the charts are not drawn"
