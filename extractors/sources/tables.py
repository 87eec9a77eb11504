"""Tables that run over several pages: one table, its header once, split rows made whole.

Each page is read on its own (in parallel), so a page cannot know that its first rows continue
the table of the page before; `join_page_tables` sees all pages in order and finishes the job.
"""

from __future__ import annotations

from schemas.records import PageResult, SourceLine


def row_line(page_no: int, line_no: int, cells: tuple[str, ...]) -> SourceLine:
    return SourceLine(page=page_no, line_no=line_no, text="\t".join(cells), cells=cells)


def _continues(previous: SourceLine | None, first: SourceLine | None) -> bool:
    """The page starts with rows of the same shape as the rows that ended the page before."""
    return (previous is not None and first is not None and previous.cells is not None
            and first.cells is not None and len(previous.cells) == len(first.cells))


def _is_split_part(row: SourceLine) -> bool:
    """The rest of a row the page break cut: no number in the first cell, text elsewhere."""
    assert row.cells is not None
    return not row.cells[0] and any(row.cells[1:])


def _merge_rows(upper: SourceLine, lower: SourceLine) -> SourceLine:
    assert upper.cells is not None and lower.cells is not None
    cells = tuple(" ".join(part for part in pair if part)
                  for pair in zip(upper.cells, lower.cells, strict=True))
    return row_line(upper.page, upper.line_no, cells)


def _table_header(lines: list[SourceLine]) -> SourceLine | None:
    """The first row of the table the lines end with, if they end with one."""
    header = None
    for previous, line in zip([None, *lines], lines, strict=False):
        if line.cells is None:
            header = None
        elif not _continues(previous, line):
            header = line
    return header


def join_page_tables(pages: list[PageResult]) -> list[SourceLine]:
    """The lines of all pages in order; where a table continues on the next page, the
    repeated header rows are dropped and a row cut by the page break is joined again."""
    lines: list[SourceLine] = []
    header: SourceLine | None = None
    for page in pages:
        page_lines = list(page.lines)
        if lines and _continues(lines[-1], page_lines[0] if page_lines else None):
            while page_lines and header and page_lines[0].cells == header.cells:
                page_lines.pop(0)
            if page_lines and page_lines[0].cells is not None and _is_split_part(page_lines[0]):
                lines[-1] = _merge_rows(lines[-1], page_lines.pop(0))
        lines += page_lines
        header = _table_header(lines)
    return lines
