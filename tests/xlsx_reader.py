"""Reads back what the tests need of an .xlsx file (no spreadsheet library is installed):
each sheet's cell values by type, its frozen rows, whether it has filters, how many formulas."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
EXCEL_EPOCH = date(1899, 12, 30)
BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 22}


@dataclass
class Sheet:
    rows: list[list[object]] = field(default_factory=list)
    frozen_rows: int = 0
    autofilter: bool = False
    formulas: int = 0


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles whose number format is a date."""
    styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    custom = {int(fmt.get("numFmtId")): fmt.get("formatCode", "")
              for fmt in styles.iterfind("m:numFmts/m:numFmt", NS)}
    date_formats = BUILTIN_DATE_FORMATS | {number for number, code in custom.items()
                                           if re.search(r"[dmy]", code.lower())}
    return {index for index, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", NS))
            if int(xf.get("numFmtId", 0)) in date_formats}


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    return ["".join(text.text or "" for text in item.iterfind(".//m:t", NS))
            for item in root.iterfind("m:si", NS)]


def _column_index(reference: str) -> int:
    letters = re.match(r"[A-Z]+", reference).group()
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _cell_value(cell: ElementTree.Element, strings: list[str], date_styles: set[int]) -> object:
    kind = cell.get("t", "n")
    value = cell.findtext("m:v", default=None, namespaces=NS)
    if kind == "inlineStr":
        return "".join(text.text or "" for text in cell.iterfind("m:is//m:t", NS))
    if value is None:
        return None
    if kind == "s":
        return strings[int(value)]
    if kind in ("str", "e"):
        return value
    if kind == "b":
        return value == "1"
    if int(cell.get("s", 0)) in date_styles:
        return EXCEL_EPOCH + timedelta(days=float(value))
    return float(value)


def _read_sheet(xml: bytes, strings: list[str], date_styles: set[int]) -> Sheet:
    root = ElementTree.fromstring(xml)
    sheet = Sheet()
    pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
    if pane is not None and pane.get("state") == "frozen":
        sheet.frozen_rows = int(float(pane.get("ySplit", 0)))
    sheet.autofilter = root.find("m:autoFilter", NS) is not None
    width = 0
    raw_rows = []
    for row in root.iterfind("m:sheetData/m:row", NS):
        cells = {}
        for cell in row.iterfind("m:c", NS):
            sheet.formulas += cell.find("m:f", NS) is not None
            cells[_column_index(cell.get("r"))] = _cell_value(cell, strings, date_styles)
        width = max(width, max(cells, default=-1) + 1)
        raw_rows.append(cells)
    sheet.rows = [[cells.get(index) for index in range(width)] for cells in raw_rows]
    return sheet


def read_workbook(path: Path) -> dict[str, Sheet]:
    """Sheets by name, in the workbook's order."""
    with zipfile.ZipFile(path) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in relations.iterfind("p:Relationship",
                                                                                  NS)}
        strings = _shared_strings(archive)
        date_styles = _date_styles(archive)
        sheets = {}
        for entry in workbook.iterfind("m:sheets/m:sheet", NS):
            target = targets[entry.get(f"{{{NS['r']}}}id")].lstrip("/")
            member = target if target.startswith("xl/") else f"xl/{target}"
            sheets[entry.get("name")] = _read_sheet(archive.read(member), strings, date_styles)
    return sheets
