"""The one registry of input formats: which reader module takes which file suffixes and reads
which pages (`PageContext.method`). Discovery, triage and page reading all read it, so a new
format is one row here and one module; a reader is imported only when a file needs it (an
unchanged re-run, which only discovers files, imports no PDF or image library)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import cast

from extractors.sources.base import Reader


@dataclass(frozen=True)
class Format:
    module: str  # the reader, a module of extractors.sources
    suffixes: frozenset[str]
    methods: frozenset[str]  # the pages it reads

    def reader(self) -> Reader:
        return cast(Reader, importlib.import_module(f"extractors.sources.{self.module}"))


FORMATS: tuple[Format, ...] = (
    Format("text", frozenset({".txt", ".md"}), frozenset({"text_file"})),
    Format("pdf", frozenset({".pdf"}), frozenset({"text"})),  # pages with a text layer
    Format("docx", frozenset({".docx"}), frozenset({"docx"})),
    # images, and the pages of a PDF without a text layer
    Format("image", frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"}), frozenset({"ocr"})),
)
BY_SUFFIX = {suffix: found for found in FORMATS for suffix in found.suffixes}
BY_METHOD = {method: found for found in FORMATS for method in found.methods}
SUPPORTED_SUFFIXES = frozenset(BY_SUFFIX)
