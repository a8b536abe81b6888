"""A round's answers as files for the secretariat's compilation, and its pictures (pure).

Files: one row per asked party (state, who submitted and when, the deciding body, §, dnr and
date, one column per question, the comment), CSV for Swedish Excel (UTF-8 with BOM, `;`) and
XLSX, as the matrix's (`exports`). Drafts' content is never in them. Pictures: a bar per option
(choices, yes/no, the 1–5 scale), `role="img"` with a title and a description; the page prints
the same counts in a table beside it.
"""

from __future__ import annotations

import csv
import io
from html import escape

from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from api.pages.exports import BOM, _safe
from api.pages.labels import ANSWER_STATES, label, sv_datetime
from api.pages.svg import INK, LINE, MUTED, _svg
from rounds.views import QuestionSummaryView, RoundView

YES_NO = {True: "ja", False: "nej"}


def _cell(value) -> object:
    if isinstance(value, bool):
        return YES_NO[value]
    if value is None:
        return ""
    return _safe(str(value)) if isinstance(value, str) else value


def answers_table(view: RoundView) -> list[list[object]]:
    header: list[object] = [
        "Part",
        "Kod",
        "Läge",
        "Inlämnat",
        "Inlämnat av",
        "Beslutat av",
        "§",
        "Dnr",
        "Beslutsdatum",
    ]
    header += [f"{i}. {q.text}" for i, q in enumerate(view.questions, start=1)]
    header.append("Kommentar")
    rows = [header]
    for p in view.parties:
        row: list[object] = [
            _safe(p.party_name),
            p.party_code,
            label(ANSWER_STATES, p.state),
            sv_datetime(p.submitted_at) if p.submitted_at else "",
            _safe(p.submitted_by),
            _safe(p.decided_body),
            _safe(p.decided_paragraph),
            _safe(p.decided_case_number),
            p.decided_on or "",
        ]
        row += [_cell(p.answers.get(q.key)) for q in view.questions]
        row.append(_safe(p.comment))
        rows.append(row)
    return rows


def answers_csv(view: RoundView) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in answers_table(view):
        writer.writerow(["" if c is None else c for c in row])
    return out.getvalue().encode("utf-8")


def answers_xlsx(view: RoundView) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Svar"
    for row in answers_table(view):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 22
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(view: RoundView, suffix: str) -> str:
    return f"runda-{view.id}-svar.{suffix}"


W, BAR, GAP, LEFT = 560, 22, 8, 150


def counts_picture(summary: QuestionSummaryView, key: str) -> Markup | None:
    """A horizontal bar per option with its count; None for questions without counts."""
    if not summary.counts:
        return None
    most = max(summary.counts.values()) or 1
    height = len(summary.counts) * (BAR + GAP) + GAP
    parts = []
    for row, (option, count) in enumerate(summary.counts.items()):
        y = GAP + row * (BAR + GAP)
        width = (W - LEFT - 60) * count / most
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + BAR * 0.7:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(option[:22])}</text>"
            f'<rect x="{LEFT}" y="{y}" width="{width:.1f}" height="{BAR}" fill="{LINE}"/>'
            f'<text x="{LEFT + width + 6:.1f}" y="{y + BAR * 0.7:.1f}" fill="{MUTED}">{count}</text>'
        )
    desc = "; ".join(f"{option}: {count}" for option, count in summary.counts.items())
    return _svg("".join(parts), f"Svaren på ”{summary.text}”", desc, key, height=height, width=W)
