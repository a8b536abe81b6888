"""A round's answers as files for the secretariat's compilation, and its pictures (pure).

Files: one row per asked party (state, who submitted and when, the deciding body, §, dnr and
date, one column per question, the comment), CSV for Swedish Excel (UTF-8 with BOM, `;`) and
XLSX, written as every export is (`spreadsheets`). Drafts' content is never in them. Pictures:
a bar per option (choices, yes/no, the 1–5 scale), `role="img"` with a title and a description;
the page prints the same counts in a table beside it.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from api.pages.labels import ANSWER_STATES, label, sv_datetime
from api.pages.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from api.pages.svg import INK, LINE, MUTED, _svg
from rounds.views import QuestionSummaryView, RoundView

YES_NO = {True: "ja", False: "nej"}


def _cell(value) -> object:
    return YES_NO[value] if isinstance(value, bool) else value


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
            p.party_name,
            p.party_code,
            label(ANSWER_STATES, p.state),
            sv_datetime(p.submitted_at) if p.submitted_at else "",
            p.submitted_by,
            p.decided_body,
            p.decided_paragraph,
            p.decided_case_number,
            p.decided_on,
        ]
        row += [_cell(p.answers.get(q.key)) for q in view.questions]
        row.append(p.comment)
        rows.append(row)
    return rows


def answers_csv(view: RoundView) -> bytes:
    return csv_bytes(answers_table(view))


def answers_xlsx(view: RoundView) -> bytes:
    return xlsx_bytes(Sheet("Svar", answers_table(view), width=22, freeze="C2"))


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
