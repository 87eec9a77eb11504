"""`chitieu eval extract --docs DIR --key FILE`: a folder read through the product's stages
and scored against a complete key, per document and per kind of document."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main

HEADER = ("doc,section,indicator_text,canonical_id,year,comparator,value,value_max,unit,per_year,"
          "owner,line\n")

EXCERPT = """\
2. Mục tiêu cụ thể đến năm 2027
- Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến đạt 90%.
- Có ít nhất 40 doanh nghiệp công nghệ số.
"""


def write_set(folder: Path, key_rows: list[str]) -> tuple[Path, Path, Path]:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "x01-excerpt.txt").write_text(EXCERPT, encoding="utf-8")
    key = folder / "targets_key.csv"
    key.write_text(HEADER + "".join(row + "\n" for row in key_rows), encoding="utf-8")
    sources = folder / "sources.csv"
    sources.write_text("doc,url,issuer,issuer_kind,doc_kind,layout,year,notes\n"
                       "x01-excerpt.txt,,,province,plan,no_letterhead,2025,\n", encoding="utf-8")
    return docs, key, sources


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_a_complete_key_scores_precision_over_every_target_of_the_document(
        tmp_path: Path) -> None:
    docs, key, sources = write_set(tmp_path, [
        "x01-excerpt.txt,2,Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến,online_pct,"
        "2027,=,90,,%,false,,2",
        "x01-excerpt.txt,2,Tỷ lệ người dân có chữ ký số,esign_pct,2027,=,50,,%,false,,9",
    ])
    output = run("eval", "extract", "--docs", str(docs), "--key", str(key), "--sources",
                 str(sources), "--details", "--db", str(tmp_path / "none.duckdb"))
    # the doc states two targets: one is keyed, the other is not in this (deliberately
    # incomplete) key, and one key row is not in the text
    assert "x01-excerpt.txt [no_letterhead/province]: P 0.500  R 0.500" in output
    assert "no_letterhead: P 0.500" in output
    assert "province: P 0.500" in output
    assert "thiếu: x01-excerpt.txt:9" in output
    assert "thừa:" in output and "doanh nghiệp" in output


def test_docs_without_a_key_is_a_usage_error(tmp_path: Path) -> None:
    docs, _key, _sources = write_set(tmp_path, [])
    result = CliRunner().invoke(main, ["eval", "extract", "--docs", str(docs)])
    assert result.exit_code != 0
    assert "--key" in result.output


def test_indicator_links_are_scored_across_the_documents_of_the_folder(tmp_path: Path) -> None:
    """Two documents state one measure (one canonical_id) in two wordings, and a third
    measure apart: the product links the first two and not the third — P 1, R 1."""
    docs, key, _sources = write_set(tmp_path, [
        "x01-excerpt.txt,2,Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến,online_pct,"
        "2027,=,90,,%,false,,2",
        "x01-excerpt.txt,2,doanh nghiệp công nghệ số,digital_firms,2027,>=,40,,doanh nghiệp,"
        "false,,3",
        "x02-plan.txt,2,Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến,online_pct,2027,=,85,,%,"
        "false,,2",
    ])
    (docs / "x02-plan.txt").write_text(
        "2. Mục tiêu đến năm 2027\n- Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến đạt 85%.\n",
        encoding="utf-8")
    output = run("eval", "extract", "--docs", str(docs), "--key", str(key),
                 "--db", str(tmp_path / "none.duckdb"))
    assert "Liên kết chỉ số (theo cặp, giữa mọi văn bản của thư mục): P 1.000  R 1.000" in output
