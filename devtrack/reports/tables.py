"""The reports as tables of plain cells, the one shape the pages' CSV and XLSX exports share."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from devtrack.conversations.services import STEPS
from devtrack.exports import as_text_cells, neutralise_cell
from devtrack.reports.services import CompletionReport, CoverageReport
from devtrack.reports.units import UnitNode

Table = tuple[list[str], list[list[object]]]


def suppressed_text(unit: UnitNode, threshold: int) -> str:
    """Why a unit's figures are hidden: too few people, or they would let a small group
    be worked out from other figures."""
    if unit.people < threshold:
        return str(_("skjult (under %(threshold)d personer)", threshold=threshold))
    return str(
        _(
            "skjult (så ingen gruppe under %(threshold)d personer kan regnes ud)",
            threshold=threshold,
        )
    )


def coverage_table(report: CoverageReport) -> Table:
    headers = [_("Enhed"), _("Aktive personer")]
    for element in report.elements:
        headers += [
            _("%(element)s: personer", element=element.title),
            _("%(element)s: andel", element=element.title),
            _("%(element)s: feedback", element=element.title),
        ]
    rows: list[list[object]] = []
    for row in report.rows:
        name = row.unit.name or _("Hele organisationen")
        if row.unit.suppressed:
            rows.append([name, suppressed_text(row.unit, report.threshold)])
            continue
        cells: list[object] = [name, row.unit.people]
        for element in report.elements:
            cell = row.cells[element.element_id]
            cells += [cell.people, round(cell.share * 100, 1), cell.feedback]
        rows.append(cells)
    return headers, rows


def completion_table(report: CompletionReport) -> Table:
    names = {
        "invited": _("Inviteret"),
        "booked": _("Booket"),
        "prepared": _("Forberedt"),
        "held": _("Afholdt"),
        "acknowledged": _("Plan kvitteret"),
        "followed_up": _("Fulgt op"),
        "overdue": _("Overskredet"),
    }
    headers = [_("Enhed")]
    for step in STEPS:
        headers += [names[step], _("%(step)s, andel i %%", step=names[step])]
    rows: list[list[object]] = []
    for row in report.rows:
        cells: list[object] = [row.unit.name or _("Hele organisationen")]
        for step in STEPS:
            cells += [row.counts[step], round(row.share(step) * 100, 1)]
        rows.append(cells)
    return headers, rows


def as_csv(table: Table) -> bytes:
    """UTF-8 with BOM and semicolons, as Danish Excel expects; formula-like cells neutralised."""
    headers, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise_cell(cell) for cell in headers])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(cell: object) -> str:
    if isinstance(cell, float):
        return f"{cell:.1f}".replace(".", ",")  # Danish decimal comma
    return neutralise_cell(cell)


def as_xlsx(table: Table, title: str) -> bytes:
    """Texts go in as typed; any that a spreadsheet would run as a formula is marked as text."""
    headers, rows = table
    from openpyxl import Workbook  # some 6 MB: loaded by the first XLSX export only

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([_xlsx_cell(cell) for cell in headers])
    for row in rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    for sheet_row in sheet.iter_rows():
        as_text_cells(sheet_row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(cell: object) -> object:
    if isinstance(cell, int | float):
        return cell
    return "" if cell is None else str(cell)
