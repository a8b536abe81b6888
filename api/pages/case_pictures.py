"""The samverkansbrister analysis as a picture (reports per quarter, open and closed) and as
CSV and XLSX: counts only, the same numbers the page's tables show."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from api.pages.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from api.pages.svg import GRID, INK, LINE, MUTED, Picture, _svg
from cases.rules.analysis import Analysis, Group

W, H, LEFT, BOTTOM, TOP = 640, 240, 40, 48, 24
CLOSED_FILL = "#2d6a3e"


def trend(analysis: Analysis) -> Picture | None:
    """Bars per quarter: reports received, the closed ones in the darker part."""
    quarters = analysis.by_quarter
    if not quarters:
        return None
    top = max(g.total for g in quarters) or 1
    slot = (W - LEFT - 16) / len(quarters)
    bar = min(slot * 0.7, 48)
    parts = []
    for tick in range(top + 1) if top <= 10 else range(0, top + 1, max(top // 5, 1)):
        y = H - BOTTOM - (H - TOP - BOTTOM) * tick / top
        parts.append(f'<line x1="{LEFT}" x2="{W - 16}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">{tick}</text>')
    for i, g in enumerate(quarters):
        x = LEFT + slot * i + (slot - bar) / 2
        height = (H - TOP - BOTTOM) * g.total / top
        closed = (H - TOP - BOTTOM) * g.closed / top
        base = H - BOTTOM
        box = f'x="{x:.1f}" width="{bar:.1f}"'
        parts.append(f'<rect {box} y="{base - height:.1f}" height="{height:.1f}" fill="{LINE}"/>')
        parts.append(f'<rect {box} y="{base - closed:.1f}" height="{closed:.1f}" fill="{CLOSED_FILL}"/>')
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{base + 16}" text-anchor="middle" fill="{INK}">'
            f"{escape(g.label)}</text>"
        )
    parts.append(f'<text x="{LEFT}" y="{H - 8}" fill="{MUTED}">Blå: öppna. Grön: avslutade.</text>')
    total = analysis.total
    desc = (
        f"{total.total} rapporter fördelade på {len(quarters)} kvartal, från {quarters[0].label} till "
        f"{quarters[-1].label}; {total.closed} avslutade och {total.open} öppna."
    )
    points = [(g.label, f"{g.total} rapporter, {g.closed} avslutade, {g.open} öppna") for g in quarters]
    return Picture(Markup(_svg("".join(parts), "Samverkansbrister per kvartal", desc, "trend", H, W)), points)


HEADER = ["Indelning", "Grupp", "Rapporter", "Öppna", "Avslutade", "Median dagar till avslut"]


def rows(analysis: Analysis) -> list[list[object]]:
    table: list[list[object]] = [HEADER]

    def add(kind: str, groups: tuple[Group, ...] | list[Group]) -> None:
        for g in groups:
            table.append([kind, g.label, g.total, g.open, g.closed, g.median_days_to_close])

    add("Totalt", [analysis.total])
    add("Överenskommelse", analysis.by_agreement)
    add("Kategori", analysis.by_category)
    add("Part", analysis.by_party)
    add("Kvartal", analysis.by_quarter)
    add("Åtgärd", analysis.by_measure)
    return table


def analysis_csv(analysis: Analysis) -> bytes:
    return csv_bytes(rows(analysis))


def analysis_xlsx(analysis: Analysis, title: str, what: str = "Överenskommelse") -> bytes:
    sheet = Sheet("Samverkansbrister", rows(analysis), widths={"B": 45})
    return xlsx_bytes(sheet, about=[(what, title)])
