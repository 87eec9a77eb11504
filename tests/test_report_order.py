"""The report's three renderings (HTML, Markdown, the terminal of `chitieu check`) come from
one view model: they list the same findings in the same order, the most pressing first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.present.report import findings_in_order, render_html, render_markdown
from pipeline.present.view import build_report_view, load_report_data
from pipeline.store.warehouse import Warehouse
from tests.consistency_samples import build_sample_warehouse


def _positions(text: str, needles: list[str]) -> list[int]:
    found = [text.find(needle) for needle in needles]
    assert -1 not in found, (needles, text)
    return found


def test_html_markdown_and_terminal_list_the_findings_in_one_order(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # a wide terminal: no explanation folds
    build_sample_warehouse(db_path)
    with Warehouse.open(db_path, read_only=True) as warehouse:
        data = load_report_data(warehouse)
    cards = findings_in_order(build_report_view(data))
    assert len(cards) >= 2
    assert cards[0].severity_label == "Cao" or all(card.severity_label != "Cao" for card in cards)

    html = render_html(data)
    anchors = re.findall(r'<div class="finding [^"]*" id="([^"]+)"', html)
    assert anchors == [card.anchor for card in cards]

    markdown = render_markdown(data)
    by_indicator = markdown[markdown.index("## Phát hiện theo chỉ tiêu"):]
    explained = _positions(by_indicator, [card.explanation for card in cards])
    assert explained == sorted(explained)

    terminal = CliRunner().invoke(main, ["check", "--db", str(db_path)])
    assert terminal.exit_code == 0, terminal.output
    listed = _positions(terminal.output, [f"· {card.conflict_id}\n  {card.explanation}"
                                          for card in cards])
    assert listed == sorted(listed)
