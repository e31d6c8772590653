"""Shared rules for files people open in spreadsheets."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@")
# A spreadsheet skips these before reading a formula, so " =HYPERLINK(...)" is one too.
LEADING_BLANKS = " \t\r\n\u00a0"


def looks_like_formula(text: str) -> bool:
    return text.startswith(("\t", "\r")) or text.lstrip(LEADING_BLANKS).startswith(FORMULA_STARTS)


def neutralise_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (CSV injection): a leading apostrophe.

    CSV has no cell types, so the apostrophe is the only way; XLSX marks the cell as text
    instead (`as_text_cells`).
    """
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def as_text_cells(cells: Any) -> None:
    """Mark formula-like XLSX cells (openpyxl) as text: shown as typed, never run."""
    for cell in cells:
        if isinstance(cell.value, str) and (
            cell.data_type == "f" or looks_like_formula(cell.value)
        ):
            cell.data_type = "s"
            cell.quotePrefix = True
