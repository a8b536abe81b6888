"""Pictures drawn on the server as SVG: the adoption curve and the process timeline.

Pure functions from the services' answers to markup; every text is escaped. Each picture is
`role="img"` with a <title> and <desc>, and its numbers also go into a visually hidden table the
page prints beside it (`points`), so nothing is said by the picture alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from markupsafe import Markup

from api.pages.labels import sv_date
from lifecycle.views import AdoptionOverview, TimelineEntry

ADOPTED = ("adopted", "adopted_with_reservation")
W, H = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 28, 40
AXIS = 150  # the timeline's line: dates to its left, steps to its right
INK, LINE, MUTED, GRID, DUE, REC = "#1b1b1b", "#1f5f8b", "#4a4a4a", "#d6d6d6", "#a4262c", "#2d6a3e"


@dataclass(frozen=True, slots=True)
class Picture:
    markup: Markup
    points: list[tuple[str, str]]  # the picture's data as text: (when, what)


def _svg(body: str, title: str, desc: str, key: str, height: int = H, width: int = W) -> Markup:
    return Markup(
        f'<svg class="chart chart-{key}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{key}-t {key}-d" xmlns="http://www.w3.org/2000/svg" '
        'font-family="inherit" font-size="12">'
        f'<title id="{key}-t">{escape(title)}</title><desc id="{key}-d">{escape(desc)}</desc>{body}</svg>'
    )


def adoption_curve(overview: AdoptionOverview) -> Picture | None:
    """How many parties had adopted, day by day, against the recommendation and the deadline."""
    decided = sorted(p.decided_on for p in overview.parties if p.status in ADOPTED and p.decided_on)
    start = overview.recommended_on or (decided[0] if decided else None)
    if start is None or overview.total == 0:
        return None
    start = min(start, *decided) if decided else start
    # up to today, unless today is long after the last event: then a quarter more than the events
    events = max(d for d in (start, overview.decision_due, *decided) if d)
    end = max(min(overview.as_of, events + timedelta(days=max((events - start).days // 4, 30))), events)
    span = max((end - start).days, 1)
    pad = timedelta(days=max(span // 20, 1))
    start, end = start - pad, end + pad
    span = (end - start).days

    def x(day: date) -> float:
        return LEFT + (W - LEFT - RIGHT) * (day - start).days / span

    def y(count: int) -> float:
        return H - BOTTOM - (H - TOP - BOTTOM) * count / overview.total

    parts, points = [], []
    for tick in sorted({0, overview.total // 2, overview.total}):
        parts.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="{MUTED}">{tick}</text>'
        )
    path = [f"M{x(start):.1f},{y(0):.1f}"]
    for count, day in enumerate(decided, start=1):
        path.append(f"H{x(day):.1f}V{y(count):.1f}")
    path.append(f"H{x(min(overview.as_of, end)):.1f}")  # unchanged since the last decision
    for day, n in _cumulative(decided):
        points.append((day, f"{n} av {overview.total} parter har antagit"))
    parts.append(f'<path d="{"".join(path)}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    for when, text, colour, row in (
        (overview.recommended_on, "Rekommendation", REC, 0),
        (overview.decision_due, "Beslut senast", DUE, 1),
    ):
        if when:
            anchor = "start" if x(when) < W / 2 else "end"
            shift = 4 if anchor == "start" else -4
            parts.append(
                f'<line x1="{x(when):.1f}" x2="{x(when):.1f}" y1="{TOP - 6}" y2="{H - BOTTOM}" '
                f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="5 3"/>'
                f'<text x="{x(when) + shift:.1f}" y="{TOP + 6 + 14 * row}" text-anchor="{anchor}" '
                f'fill="{colour}">{escape(text)} {escape(sv_date(when))}</text>'
            )
            points.append((when, text))
    parts.append(
        f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{H - BOTTOM}" y2="{H - BOTTOM}" stroke="{INK}"/>'
        f'<text x="{LEFT}" y="{H - BOTTOM + 18}" fill="{MUTED}">{escape(sv_date(start + pad))}</text>'
        f'<text x="{W - RIGHT}" y="{H - BOTTOM + 18}" text-anchor="end" fill="{MUTED}">'
        f"{escape(sv_date(end - pad))}</text>"
    )
    adopted = len(decided)
    desc = (
        f"{adopted} av {overview.total} parter har antagit överenskommelsen per {sv_date(overview.as_of)}. "
        + (f"Rekommenderad {sv_date(overview.recommended_on)}. " if overview.recommended_on else "")
        + (f"Beslut senast {sv_date(overview.decision_due)}." if overview.decision_due else "")
    )
    rows = [(sv_date(day), text) for day, text in sorted(points, key=lambda p: p[0])]
    return Picture(_svg("".join(parts), "Antagandekurva", desc.strip(), "curve"), rows)


def _cumulative(days: list[date]) -> list[tuple[date, int]]:
    found: dict[date, int] = {}
    for n, day in enumerate(days, start=1):
        found[day] = n
    return sorted(found.items())


def process_timeline(entries: list[TimelineEntry], current: str | None) -> Picture | None:
    """The steps taken, top to bottom, each with its date; the current one marked."""
    if not entries:
        return None
    row, height = 34, 34 * len(entries) + 16
    parts = [
        f'<line x1="{AXIS}" x2="{AXIS}" y1="{row / 2 + 8}" y2="{height - row / 2 - 8}" stroke="{GRID}" '
        'stroke-width="3"/>'
    ]
    points = []
    for i, entry in enumerate(entries):
        cy = 8 + row * i + row / 2
        last = i == len(entries) - 1 and entry.step == current
        fill = LINE if not last else "#ffffff"
        weight = ' font-weight="bold"' if last else ""
        parts.append(
            f'<text x="{AXIS - 16}" y="{cy + 4:.0f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(sv_date(entry.taken_on))}</text>"
            f'<circle cx="{AXIS}" cy="{cy:.0f}" r="7" fill="{fill}" stroke="{LINE}" stroke-width="3"/>'
            f'<text x="{AXIS + 18}" y="{cy + 4:.0f}" fill="{INK}"{weight}>'
            f"{escape(entry.label)}</text>"
        )
        points.append((sv_date(entry.taken_on), entry.label))
    desc = f"{len(entries)} steg tagna. Senast: {entries[-1].label}, {sv_date(entries[-1].taken_on)}."
    # as wide as its longest label (about 7 units a character at 12px), so phones scale it less
    width = max(360, AXIS + 30 + 7 * max(len(e.label) for e in entries))
    return Picture(_svg("".join(parts), "Processens tidslinje", desc, "timeline", height, width), points)
