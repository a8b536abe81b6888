"""The adoption matrix as files: CSV for Swedish Excel (UTF-8 with BOM, `;` between fields, as
Excel with Swedish regional settings expects) and XLSX (openpyxl). Pure: matrix in, bytes out."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from api.pages.labels import ADOPTION, AGREEMENT_STATUS, KINDS, label
from lifecycle.services.matrix import StructureMatrix

BOM = "\ufeff"
NOT_A_PARTY = "Ej part"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection): quote it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def matrix_table(matrix: StructureMatrix) -> list[list[object]]:
    """The matrix as rows of cells: a header, then one row per agreement."""
    header: list[object] = [
        "Överenskommelse",
        "Beteckning",
        "Typ",
        "Status",
        "Rekommenderad",
        "Beslut senast",
        "Antagna",
        "Parter",
    ]
    header += [p.name for p in matrix.parties]
    rows = [header]
    for r in matrix.rows:
        cells: list[object] = [
            _safe(r.title),
            _safe(r.reference),
            label(KINDS, r.kind),
            label(AGREEMENT_STATUS, r.status),
            r.recommended_on,
            r.decision_due,
            r.adopted,
            r.total,
        ]
        for p in matrix.parties:
            cell = r.cells.get(p.code)
            cells.append(label(ADOPTION, cell.status) if cell else NOT_A_PARTY)
        rows.append(cells)
    return rows


def matrix_csv(matrix: StructureMatrix) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in matrix_table(matrix):
        writer.writerow(["" if v is None else v.isoformat() if hasattr(v, "isoformat") else v for v in row])
    return out.getvalue().encode("utf-8")


def matrix_xlsx(matrix: StructureMatrix) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Antaganden"
    for row in matrix_table(matrix):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    sheet.column_dimensions["A"].width = 50
    for index in range(2, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = "B2"
    info = book.create_sheet("Om filen")
    info.append(["Samverkansstruktur", matrix.name])
    info.append(["Per dag", matrix.as_of])
    info["B2"].number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
