"""The demo register loads through the services, shows the seeds' headline facts, and loading
it again adds nothing. The session's database is shared, so only demo references are counted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest

from audit.tables import AuditEvent
from core.clock import freeze
from lifecycle.demo import demo_references, load_demo, slug
from lifecycle.services.agreements import get_agreement
from lifecycle.services.decisions import list_decisions
from lifecycle.services.overview import adoption_overview, term_view
from lifecycle.services.steps import timeline
from lifecycle.tables import Decision, ProcessStep
from parties.tables import Contact

TODAY = date(2026, 11, 23)
VG_ANNEXES = [
    "Överenskommelse Läkarmedverkan inom kommunal primärvård i Västra Götaland",
    "Överenskommelse Samverkan vid in- och utskrivning från sluten hälso- och sjukvård",
    "Överenskommelse Samverkan kring personer med psykisk funktionsnedsättning och personer med "
    "missbruk och beroende",
    "Överenskommelse Samverkan om Munhälsa - uppsökande och nödvändig tandvård",
]


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


@pytest.fixture(scope="module")
async def demo() -> AsyncIterator[dict[str, int]]:
    """The demo register. Loading it gives every party a registrator address; those it added go
    again afterwards, because the reminder tests expect their parties to have only their own."""
    before = {r["id"] for r in await Contact.select(Contact.id)}
    with freeze(TODAY):
        summary = await load_demo()
    assert summary.startswith("Demo: ")
    yield await demo_references()
    added = [r["id"] for r in await Contact.select(Contact.id) if r["id"] not in before]
    if added:
        await Contact.delete().where(Contact.id.is_in(added))


async def counts(ids: dict[str, int]) -> dict[str, int]:
    agreement_ids = list(ids.values())
    return {
        "agreements": len(agreement_ids),
        "decisions": await Decision.count().where(Decision.agreement.is_in(agreement_ids)),
        "steps": await ProcessStep.count().where(ProcessStep.agreement.is_in(agreement_ids)),
        "contacts": await Contact.count().where(Contact.email.like("registrator@%.example")),
        "audit": await AuditEvent.count().where(AuditEvent.actor == "system: demo"),
    }


async def test_vastra_gotalands_agreement_has_fifty_parties_and_runs_to_2029(demo):
    agreement = await get_agreement(demo["VG-HOS-2023"])
    assert agreement.title == "Hälso- och sjukvårdsavtal"
    assert agreement.party_count == 50
    term = await term_view(demo["VG-HOS-2023"])
    # seed 003: 2023-01-01 – 2026-12-31, 18 months' notice, renewed 3 years at a time
    assert term.runs_until == date(2029, 12, 31)
    assert term.next_notice_deadline == date(2028, 6, 30)


async def test_vastra_gotalands_agreement_has_its_four_annexes(demo):
    annexes = (await get_agreement(demo["VG-HOS-2023"])).annexes
    assert [a.title for a in annexes] == VG_ANNEXES
    assert {a.kind for a in annexes} == {"bilaga"}


async def test_the_recommendation_chain_and_harrydas_case_number_come_from_the_seed(demo):
    steps = {s.step: s for s in await timeline(demo["VG-HOS-2023"])}
    assert steps["rekommendation_sro"].taken_on == date(2022, 2, 24)
    assert (steps["vastkom"].taken_on, steps["vastkom"].paragraph) == (date(2022, 3, 8), "§ 15")
    assert steps["kommunalforbund"].paragraph == "§ 356"
    assert steps["kommunalforbund"].case_number == "2021-00198"
    harryda = await list_decisions(demo["VG-HOS-2023"], party="1401")
    assert [(d.outcome, d.case_number) for d in harryda] == [("adopted", "2022VFN175 779")]


async def test_grs_own_recommendation_groups_its_members_in_the_overview(demo):
    overview = await adoption_overview(demo["VG-HOS-2023"])
    groups = {g.slug: g for g in overview.groups}
    assert sorted(groups) == ["fyrbodal", "gr", "sjuharad", "skaraborg"]
    gr = groups["gr"].recommendation
    assert (gr.taken_on, gr.paragraph, gr.case_number) == (date(2022, 3, 18), "§ 356", "2021-00198")
    assert [g.recommendation for g in groups.values() if g.slug != "gr"] == [None, None, None]
    rows = {p.party_code: p for p in overview.parties}
    assert rows["1401"].groups == ["gr"]
    # Dals-Ed (Fyrbodal) is still to decide: its förbund's recommendation is not in the seed
    assert (rows["1438"].groups, rows["1438"].decide_by) == (["fyrbodal"], date(2022, 11, 24))


async def test_vastra_gotalands_decisions_each_cover_the_annexes_and_the_fardplan(demo):
    # seed 003: Härryda's council adopts the agreement, its annexes and the Färdplan in one §
    package = ["VG-HOS-2023-B1", "VG-HOS-2023-B2", "VG-HOS-2023-B3", "VG-HOS-2023-B4", "VG-FARDPLAN-2022"]
    (harryda,) = await list_decisions(demo["VG-HOS-2023"], party="1401")
    assert [c.reference for c in harryda.covers] == package
    for reference in package:
        assert [d.id for d in await list_decisions(demo[reference], party="1401")] == [harryda.id]
        overview = await adoption_overview(demo[reference])
        assert (overview.counts["adopted"], overview.counts["adopted_with_reservation"]) == (47, 1)
        assert overview.entry.waiting_for == ["1438", "1445"]
    stored = await Decision.count().where(Decision.agreement.is_in([demo[r] for r in package]))
    assert stored == 0


async def test_vastra_gotaland_has_parties_to_chase(demo):
    overview = await adoption_overview(demo["VG-HOS-2023"])
    assert overview.counts["adopted"] == 47
    assert overview.counts["adopted_with_reservation"] == 1
    assert (overview.counts["postponed"], overview.counts["pending"]) == (1, 1)
    assert overview.entry.waiting_for == ["1438", "1445"]
    dals_ed = next(p for p in overview.parties if p.party_code == "1438")
    assert dals_ed.next_meeting == date(2026, 12, 9)
    # its kommunstyrelse has proposed adoption: in preparation, not decided
    assert (dals_ed.status, [p.body for p in dals_ed.proposals]) == ("pending", ["Kommunstyrelsen"])
    assert overview.forecast.in_preparation == ["1438"]


async def test_harrydas_case_went_through_the_welfare_board_and_the_executive_board(demo):
    # seed 003: välfärdsnämnden → kommunstyrelsen → kommunfullmäktige
    overview = await adoption_overview(demo["VG-HOS-2023"])
    harryda = next(p for p in overview.parties if p.party_code == "1401")
    assert [(p.body, p.case_number) for p in harryda.proposals] == [
        ("Välfärdsnämnden", "2022VFN175 779"),
        ("Kommunstyrelsen", "2022VFN175 779"),
    ]
    assert (harryda.status, harryda.decision.body) == ("adopted", "Kommunfullmäktige")


async def test_stockholms_logopedi_agreement_warns_that_nykvarn_has_not_adopted_it(demo):
    overview = await adoption_overview(demo["STHLM-LOGOPEDI"])
    warnings = [w for w in overview.warnings if w.kind == "in_force_not_adopted"]
    assert [w.party_code for w in warnings] == ["0140"]
    assert "men Nykvarn (0140) har inte antagit den" in warnings[0].message
    assert overview.counts["adopted"] == 26


async def test_vastmanlands_agreements_cite_the_replaced_social_services_act(demo):
    for reference in ("VM-ALDRE-2018", "VM-PSYK-2018"):
        agreement = await get_agreement(demo[reference])
        replaced = [w for w in agreement.warnings if w.kind == "cites_replaced_law"]
        assert [w.key for w in replaced] == ["cites_replaced_law:2001:453"]
        assert "socialtjänstlagen (2025:400)" in replaced[0].message
        assert agreement.in_force_from == date(2018, 4, 1)
        assert agreement.party_count == 11
        # and the yearly report due 31 December 2025 (seeds 000, 001), not recorded as done
        assert [w.key for w in agreement.warnings] == [
            "follow_up_overdue:follow_up_annual:2025",
            "cites_replaced_law:2001:453",
        ]


async def test_the_open_remiss_replies_thirty_days_after_loading(demo):
    steps = await timeline(demo["STHLM-ALDRE-V2"])
    assert steps[-1].step == "remiss"
    assert steps[-1].reply_by == TODAY + timedelta(days=30)
    assert (await get_agreement(demo["STHLM-ALDRE-V2"])).supersedes_id == demo["STHLM-ALDRE"]


async def test_stockholms_consolidation_replaces_three_agreements_when_it_enters_into_force(demo):
    # seed 004: "Samverkan kring personer på särskilt boende" gathers logoped, munhälsa, hjälpmedel
    new = await get_agreement(demo["STHLM-SARSKILT-BOENDE"])
    replaced = ["STHLM-LOGOPEDI", "STHLM-MUNHALSA", "STHLM-HJALPMEDEL"]
    assert [r.id for r in new.replaces] == sorted(demo[r] for r in replaced)
    for reference in replaced:
        old = await get_agreement(demo[reference])
        assert (old.replaced_by.id, old.status, old.replaced_from) == (new.id, "active", None)


async def test_orebros_principles_have_their_annual_follow_up_on_15_november(demo):
    agreement = await get_agreement(demo["OR-PRINCIPER-2025"])
    assert agreement.annual_follow_up == "11-15"
    assert agreement.party_count == 13


async def test_loading_the_demo_twice_adds_nothing(demo):
    # given the demo loaded once
    before = await counts(demo)
    # when it is loaded again
    summary = await load_demo()
    # then nothing was added
    assert summary.startswith(
        f"Demo: 0 agreements, 0 decisions, 0 process steps and 0 contacts added; {len(demo)}"
    )
    assert await counts(await demo_references()) == before


def test_registrator_addresses_are_slugs_of_the_party_names():
    assert slug("Upplands Väsby") == "upplands-vasby"
    assert slug("Region Örebro län") == "region-orebro-lan"
    assert slug("Västra Götalandsregionen") == "vastra-gotalandsregionen"
