"""Recording a group's recommendation of an agreement to its members (a kommunalförbund's step
between the structure's recommendation and its members' decisions, seed 003)."""

from __future__ import annotations

import msgspec

from audit.trail import Actor, record
from core.clock import now, today
from core.errors import Conflict, InvalidInput
from lifecycle import store
from lifecycle.rules.groups import check_group_recommendation
from lifecycle.rules.process import require_party_decisions
from lifecycle.rules.swedish import genitive, sv_date
from lifecycle.services import checks
from lifecycle.store import Loaded
from lifecycle.tables import Agreement, GroupRecommendation
from lifecycle.views import GroupRecommendationIn, GroupRecommendationView
from parties.tables import PartyGroup


def recommendation_views(loaded: Loaded) -> list[GroupRecommendationView]:
    """The groups' recommendations of one loaded agreement, by date."""
    groups = {g["slug"]: g for g in loaded.groups}
    return [_view(loaded.row["id"], r, groups[r["group"]]) for r in loaded.group_recommendations]


def _view(agreement_id: int, row: dict, group: dict) -> GroupRecommendationView:
    return GroupRecommendationView(
        id=row["id"],
        agreement_id=agreement_id,
        group=group["slug"],
        group_name=group["name"],
        short_name=group["short_name"],
        body=row["body"],
        taken_on=row["taken_on"],
        paragraph=row["paragraph"],
        case_number=row["case_number"],
        note=row["note"],
    )


async def record_recommendation(
    agreement_id: int, data: GroupRecommendationIn, *, actor: Actor
) -> GroupRecommendationView:
    """Record that a group of the agreement's parties recommended it to its members: on or after
    the structure's recommendation, once per group. Its members' decide-by dates follow it."""
    async with Agreement._meta.db.transaction():
        await checks.agreement_row(agreement_id, lock=True)
        day = today()
        loaded = (await store.load([agreement_id], day))[agreement_id]
        evaluation = loaded.evaluation
        require_party_decisions(evaluation.template)
        group = next((g for g in loaded.groups if g["slug"] == data.group), None)
        if group is None:
            known = ", ".join(f"{g['slug']} ({g['short_name']})" for g in loaded.groups) or "inga"
            raise InvalidInput(
                f"'{data.group}' är ingen grupp av parter i överenskommelsens samverkansstruktur. "
                f"Kända: {known}.",
                field="group",
            )
        name = group["short_name"]
        if not set(group["members"]) & set(loaded.parties):
            raise InvalidInput(
                f"Ingen av {genitive(name)} medlemmar är part i överenskommelsen.", field="group"
            )
        body = data.body.strip()
        if not body:
            raise InvalidInput(
                f"Ange vilket organ som rekommenderade, t.ex. {genitive(name)} förbundsstyrelse.",
                field="body",
            )
        earlier = next((r for r in loaded.group_recommendations if r["group"] == data.group), None)
        if earlier is not None:
            paragraph = f" {earlier['paragraph']}" if earlier["paragraph"] else ""
            raise Conflict(
                f"{name} har redan rekommenderat överenskommelsen ({earlier['body']} "
                f"{sv_date(earlier['taken_on'])}{paragraph}).",
                field="group",
            )
        check_group_recommendation(name, data.taken_on, evaluation.recommended_on, today=day)
        group_id = await PartyGroup.select(PartyGroup.id).where(PartyGroup.slug == data.group).first()
        values = {
            "body": body,
            "taken_on": data.taken_on,
            "paragraph": data.paragraph.strip(),
            "case_number": data.case_number.strip(),
            "note": data.note,
        }
        inserted = await GroupRecommendation.insert(
            GroupRecommendation(
                agreement=agreement_id, party_group=group_id["id"], created_at=now(), **values
            )
        ).returning(GroupRecommendation.id)
        await Agreement.update({Agreement.updated_at: now()}).where(Agreement.id == agreement_id)
        await store.refresh([agreement_id], day)
        view = _view(agreement_id, {**values, "id": inserted[0]["id"], "group": data.group}, group)
        await record(
            actor,
            "create",
            "group_recommendation",
            view.id,
            agreement_id=agreement_id,
            after=msgspec.to_builtins(view),
        )
    return view
