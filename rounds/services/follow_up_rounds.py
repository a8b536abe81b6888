"""Follow-up rounds opened ahead of their deadline: the one-year follow-up (seed 004, measure 6)
and each annual follow-up (seed 002: the survey dialogue by 15 November; seeds 000, 001: the
yearly report) open a round a structure's lead time before they are due (rounds.services.policy:
four weeks unless its secretariat chose otherwise), asking every party, unless the secretariat has
opened one for it already. The daily run calls `open_due`."""

from __future__ import annotations

from datetime import date

from audit.trail import Actor
from core import clock
from lifecycle.tables import StoredDeadline
from rounds.rules.model import RoundKind
from rounds.services.opening import open_round
from rounds.services.policy import DEFAULT_FOLLOW_UP_WEEKS
from rounds.views import RoundIn

ACTOR = Actor.system("follow-up rounds")

# each agreement's structure's lead (round_policy), the default where it chose none
_DUE = f"""
SELECT d.agreement, d.key, d.kind, d.due, d.title, a.title AS agreement_title
FROM deadline d JOIN agreement a ON a.id = d.agreement
LEFT JOIN round_policy rp ON rp.structure = a.structure
WHERE d.kind IN ('follow_up_implementation', 'follow_up_annual') AND NOT d.cancelled
  AND d.due >= {{}}::date
  AND d.due <= {{}}::date + make_interval(weeks => coalesce(rp.follow_up_weeks, {DEFAULT_FOLLOW_UP_WEEKS}))
  AND a.status = 'active'
  AND NOT EXISTS (SELECT 1 FROM round r WHERE r.agreement = d.agreement AND r.follow_up_key = d.key)
  AND EXISTS (SELECT 1 FROM agreement_party ap WHERE ap.agreement = d.agreement)
ORDER BY d.due, d.agreement
"""


async def open_due(today: date) -> list[int]:
    """Open the follow-up rounds due to open by `today`; their ids. Idempotent: a follow-up that
    has a round (open or closed) gets no second one."""
    opened = []
    for row in await StoredDeadline.raw(_DUE, today, today):
        annual = row["kind"] == "follow_up_annual"
        what = f"Årlig uppföljning {row['due'].year}" if annual else "Uppföljning efter ett år"
        view = await open_round(
            RoundIn(
                agreement_id=row["agreement"],
                kind=(RoundKind.ANNUAL_REPORT if annual else RoundKind.FOLLOW_UP).value,
                title=f"{what}: {row['agreement_title']}",
                reply_by=row["due"],
                opened_on=min(today, clock.today()),  # a run as of a later day opens it today
                instructions=row["title"],
                follow_up_key=row["key"],
            ),
            actor=ACTOR,
        )
        opened.append(view.id)
    return opened
