"""Tables as files for the people who work on in Excel, one way for every export (the adoption
matrix, a round's answers, the samverkansbrister analysis): CSV for Swedish Excel (UTF-8 with
BOM, `;` between fields, a decimal comma, as Excel with Swedish regional settings expects), XLSX
(openpyxl: a bold wrapped header row, column widths, frozen panes, dates as dates) and the
download response. A table is a list of rows, the first the header."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from litestar import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection): quote it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Table = Sequence[Sequence[object]]


def safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value: object) -> object:
    """A cell as both writers hold it: text never read as a formula, nothing as empty."""
    if value is None:
        return ""
    return safe(value) if isinstance(value, str) else value


def _csv_cell(value: object) -> object:
    value = _cell(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return value


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in table:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet: its name, its table, the width of every column (`widths` by letter for the
    ones that differ) and the cell the panes freeze at ("B2": the header row and column A)."""

    title: str
    table: Table
    width: int = 14
    widths: dict[str, int] = field(default_factory=dict)
    freeze: str | None = "A2"


def xlsx_bytes(sheet: Sheet, about: Sequence[tuple[str, object]] = ()) -> bytes:
    """The sheet, and `about` (what the file is of, as of when) on a second sheet "Om filen"."""
    book = Workbook()
    _fill(book.active, sheet.title, sheet.table)
    header = book.active[1]
    for cell in header:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index in range(1, book.active.max_column + 1):
        letter = get_column_letter(index)
        book.active.column_dimensions[letter].width = sheet.widths.get(letter, sheet.width)
    book.active.freeze_panes = sheet.freeze
    if about:
        _fill(book.create_sheet(), "Om filen", about)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet, title: str, table: Table) -> None:
    sheet.title = title
    for row in table:
        sheet.append([_cell(v) for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, date) and not isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd"


def download(content: bytes, filename: str) -> Response[bytes]:
    """The file as an attachment, its type by its suffix (`csv` or `xlsx`)."""
    return Response(
        content,
        media_type=MEDIA_TYPES[filename.rsplit(".", 1)[-1]],
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
