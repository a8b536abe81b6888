"""A follow-up round's samverkansbrister: the agreement's counts for the period the follow-up
looks back on (issue 16, item 5: "the counts appear in the agreement's follow-up round").

Rounds know nothing of samverkansbrister (`.importlinter`: cases sits above rounds), so the round's
view is completed here, for its page and its API answer."""

from __future__ import annotations

import msgspec

from cases.rules.analysis import follow_up_period
from cases.services.analysis import analysis
from cases.views import FollowUpFailures, RoundDetail, analysis_view
from rounds.rules.model import RoundKind
from rounds.views import RoundView


async def round_detail(view: RoundView) -> RoundDetail:
    """The round, with the samverkansbrister of its period when it is a follow-up of an agreement
    (a round of the whole structure has no agreement whose reports it could count)."""
    detail = RoundDetail(**msgspec.structs.asdict(view))
    if view.kind != RoundKind.FOLLOW_UP or view.agreement_id is None:
        return detail
    start, end = follow_up_period(view.reply_by)
    found = await analysis(agreement_id=view.agreement_id, received_from=start, received_to=end)
    detail.samverkansbrister = FollowUpFailures(
        period_from=start,
        period_to=end,
        analysis=analysis_view(found),
        analysis_url=f"/agreements/{view.agreement_id}/samverkansbrister/analys",
    )
    return detail
