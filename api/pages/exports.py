"""The adoption matrix as files (CSV and XLSX, written the one way of `spreadsheets`). Pure:
matrix in, bytes out."""

from __future__ import annotations

from api.pages.labels import ADOPTION, AGREEMENT_STATUS, KINDS, label
from api.pages.spreadsheets import BOM, Sheet, csv_bytes, xlsx_bytes
from lifecycle.services.matrix import StructureMatrix

__all__ = ["BOM", "matrix_csv", "matrix_table", "matrix_xlsx"]

NOT_A_PARTY = "Ej part"


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
            r.title,
            r.reference,
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
    return csv_bytes(matrix_table(matrix))


def matrix_xlsx(matrix: StructureMatrix) -> bytes:
    sheet = Sheet("Antaganden", matrix_table(matrix), widths={"A": 50}, freeze="B2")
    return xlsx_bytes(sheet, about=[("Samverkansstruktur", matrix.name), ("Per dag", matrix.as_of)])
