"""Validity warnings (DOMAIN.md rule 4; seed 004) and the table of replaced laws."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from core.errors import InvalidInput
from lifecycle.rules.entry import EntryRule
from lifecycle.rules.laws import REPLACED_LAWS, find_sfs_numbers, parse_sfs, replaced_law, replaced_laws
from lifecycle.rules.model import AdoptionStatus, AgreementKind, AgreementStatus, PartyAdoption
from lifecycle.rules.term import FixedTerm, Notice, UntilFurtherNotice
from lifecycle.rules.validity import (
    AgreementFacts,
    ValidityWarning,
    WarningKind,
    effective_term,
    validity_warnings,
)
from tests.unit.lifecycle.refusals import refused

ACTIVE, DRAFT = AgreementStatus.ACTIVE, AgreementStatus.DRAFT
AGREEMENT = AgreementKind.AGREEMENT
VGR = FixedTerm(date(2023, 1, 1), date(2026, 12, 31), notice_months=18, renewal_years=3)
NO_RENEWAL = FixedTerm(date(2023, 1, 1), date(2026, 12, 31), notice_months=18)
OREBRO = UntilFurtherNotice(date(2025, 1, 1))


def adopted(code: str) -> PartyAdoption:
    return PartyAdoption(code, AdoptionStatus.ADOPTED, date(2022, 6, 1), date(2022, 6, 28))


def standing(code: str, status: AdoptionStatus) -> PartyAdoption:
    return PartyAdoption(code, status)


# Seed 004: Region Stockholm and the kommuner, one of which (here Värmdö, 0120) has not adopted
# the agreement on speech therapy and foot care.
STOCKHOLM = [adopted("01"), adopted("0114"), standing("0120", AdoptionStatus.PENDING), adopted("0184")]
SPEECH_THERAPY = AgreementFacts(
    AGREEMENT, ACTIVE, recommended_on=date(2021, 3, 1), in_force_from=date(2021, 9, 1)
)


# --- the laws table --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sfs"),
    [
        ("SoL (2001:453)", "2001:453"),
        ("Socialtjänstlag (2001:453)", "2001:453"),  # seed 000, footnote 4
        ("socialtjänstlagen (2001:453), SoL", "2001:453"),  # seed 002
        ("Hälso- och sjukvårdslag (2017:30), HSL", "2017:30"),
        ("SFS 2017:30", "2017:30"),
        ("lagen (2017:612) om samverkan vid utskrivning", "2017:612"),
        ("lag 1990:1404 om kommunernas betalningsansvar", "1990:1404"),
        ("2001 : 453", "2001:453"),
        ("SOSFS 2008:18 och Patientlag (2014:821)", "2014:821"),  # seed 001: agency rules are not laws
        ("HSL", None),
        ("SOSFS 2008:18", None),
        ("HSLF-FS 2016:40", None),
        ("AFS 2001:1", None),
        ("Regeringens proposition 2009/10:116", None),  # seed 000, footnote 1
        ("Diarienummer 2021-00198", None),
        ("Kl. 9:00-11:00", None),
        ("", None),
    ],
)
def test_parse_sfs_finds_the_first_sfs_number_in_free_text(text, sfs):
    assert parse_sfs(text) == sfs


def test_find_sfs_numbers_lists_each_law_once_in_order_of_mention():
    text = (
        "(SOSFS 2008:18 Psykiatrisk tvångsvård) ... (Lag om psykiatrisk tvångsvård 1991:1128) och "
        "öppen rättspsykiatrisk vård (Lag om rättspsykiatrisk vård 1991:1129), enligt 1991:1128"
    )

    assert find_sfs_numbers(text) == ["1991:1128", "1991:1129"]


@pytest.mark.parametrize("law", list(REPLACED_LAWS.values()), ids=list(REPLACED_LAWS))
def test_a_law_counts_as_replaced_from_the_day_its_successor_entered_into_force(law):
    assert replaced_law(f"({law.sfs})", law.replaced_on) == law
    assert replaced_law(f"({law.sfs})", law.replaced_on - timedelta(days=1)) is None


@pytest.mark.parametrize(
    ("sfs", "replaced_by", "replaced_on"),
    [
        ("2001:453", "2025:400", date(2025, 7, 1)),
        ("1982:763", "2017:30", date(2017, 4, 1)),
        ("1991:900", "2017:725", date(2018, 1, 1)),
        ("1990:1404", "2017:612", date(2018, 1, 1)),
    ],
)
def test_the_replaced_laws_table_holds_the_four_known_replacements(sfs, replaced_by, replaced_on):
    law = REPLACED_LAWS[sfs]

    assert (law.replaced_by, law.replaced_on) == (replaced_by, replaced_on)


def test_a_law_in_force_or_unknown_or_unnamed_is_not_replaced():
    assert replaced_law("Hälso- och sjukvårdslag (2017:30)", date(2030, 1, 1)) is None
    assert replaced_law("Patientlag (2014:821)", date(2030, 1, 1)) is None
    assert replaced_law("HSL", date(2030, 1, 1)) is None


def test_replaced_laws_collects_every_replaced_law_the_references_cite():
    refs = ["SoL (2001:453) och HSL (1982:763)", "Socialtjänstlag (2001:453)", "Patientlag (2014:821)"]

    assert replaced_laws(refs, date(2025, 7, 1)) == [REPLACED_LAWS["2001:453"], REPLACED_LAWS["1982:763"]]
    assert replaced_laws(refs, date(2025, 6, 30)) == [REPLACED_LAWS["1982:763"]]


# --- warnings --------------------------------------------------------------------------------


def test_an_agreement_said_to_be_in_force_while_a_kommun_has_not_adopted_it_is_of_uncertain_validity():
    warnings = validity_warnings(SPEECH_THERAPY, STOCKHOLM, date(2025, 1, 1))

    assert [w.key for w in warnings] == ["in_force_not_adopted:0120", "undecided_long:0120"]
    assert warnings[0] == ValidityWarning(
        key="in_force_not_adopted:0120",
        kind=WarningKind.IN_FORCE_NOT_ADOPTED,
        message_sv="Överenskommelsen anges gälla från 1 september 2021, men part 0120 har inte antagit den "
        "(inget beslut). Det gör dess giltighet osäker.",
        party_code="0120",
    )


def test_a_rejection_under_an_agreement_said_to_be_in_force_is_named_as_such():
    adoptions = [adopted("01"), standing("0120", AdoptionStatus.REJECTED)]

    (warning,) = validity_warnings(SPEECH_THERAPY, adoptions, date(2025, 1, 1))

    assert warning.message_sv == (
        "Överenskommelsen anges gälla från 1 september 2021, men part 0120 har inte antagit den (avslag). "
        "Det gör dess giltighet osäker."
    )


def test_an_active_agreement_without_a_date_is_said_to_be_in_force():
    facts = AgreementFacts(AGREEMENT, ACTIVE)
    adoptions = [adopted("01"), standing("0120", AdoptionStatus.REFERRED_BACK)]

    (warning,) = validity_warnings(facts, adoptions, date(2025, 1, 1))

    assert warning.message_sv == (
        "Överenskommelsen anges gälla, men part 0120 har inte antagit den (återremitterad). "
        "Det gör dess giltighet osäker."
    )


def test_a_draft_whose_term_has_begun_is_said_to_be_in_force():
    facts = AgreementFacts(AGREEMENT, DRAFT, term=VGR)
    adoptions = [adopted("14"), standing("1401", AdoptionStatus.POSTPONED)]

    (warning,) = validity_warnings(facts, adoptions, date(2023, 1, 1))

    assert (warning.key, warning.message_sv) == (
        "in_force_not_adopted:1401",
        "Överenskommelsen anges gälla från 1 januari 2023, men part 1401 har inte antagit den (bordlagd). "
        "Det gör dess giltighet osäker.",
    )
    assert validity_warnings(facts, adoptions, date(2022, 12, 31)) == []


def test_a_draft_without_dates_is_not_said_to_be_in_force():
    assert validity_warnings(AgreementFacts(AGREEMENT, DRAFT), STOCKHOLM, date(2025, 1, 1)) == []


def test_an_opt_in_agreement_does_not_need_every_party():
    facts = AgreementFacts(AGREEMENT, ACTIVE, in_force_from=date(2021, 9, 1), entry_rule=EntryRule.PER_PARTY)

    assert validity_warnings(facts, STOCKHOLM, date(2025, 1, 1)) == []


@pytest.mark.parametrize(
    ("as_of", "keys"),
    [
        (date(2021, 12, 1), []),  # exactly nine months after the recommendation: still within 6–9
        (date(2021, 12, 2), ["undecided_long:0120", "undecided_long:0184"]),
    ],
)
def test_a_party_still_undecided_more_than_nine_months_after_the_recommendation_is_warned_of(as_of, keys):
    facts = AgreementFacts(AGREEMENT, DRAFT, recommended_on=date(2021, 3, 1))
    adoptions = [
        adopted("01"),
        standing("0120", AdoptionStatus.PENDING),
        standing("0184", AdoptionStatus.REFERRED_BACK),
        standing("0114", AdoptionStatus.REJECTED),  # decided: no longer undecided
    ]

    assert [w.key for w in validity_warnings(facts, adoptions, as_of)] == keys


def test_the_undecided_warning_names_the_party_the_recommendation_and_the_months_in_swedish():
    facts = AgreementFacts(
        AGREEMENT, DRAFT, recommended_on=date(2022, 3, 18), party_names={"1401": "Härryda"}
    )

    (warning,) = validity_warnings(facts, [standing("1401", AdoptionStatus.PENDING)], date(2022, 9, 19), 6)

    assert warning == ValidityWarning(
        "undecided_long:1401",
        WarningKind.UNDECIDED_LONG,
        "Härryda (1401) har inte fattat beslut (inget beslut) trots att överenskommelsen rekommenderades "
        "18 mars 2022, för mer än 6 månader sedan.",
        "1401",
    )


def test_without_its_name_a_party_is_named_by_its_code():
    facts = AgreementFacts(AGREEMENT, DRAFT, recommended_on=date(2022, 3, 18))

    (warning,) = validity_warnings(facts, [standing("1401", AdoptionStatus.PENDING)], date(2022, 9, 19), 6)

    assert warning.message_sv.startswith("Part 1401 har inte fattat beslut")


def test_seed_004s_kommun_that_has_not_adopted_is_named_essunga_1445_with_a_swedish_date():
    facts = AgreementFacts(
        AGREEMENT, ACTIVE, in_force_from=date(2023, 1, 1), party_names={"1445": "Essunga", "1401": "Härryda"}
    )
    adoptions = [standing("1401", AdoptionStatus.ADOPTED), standing("1445", AdoptionStatus.PENDING)]

    (warning,) = validity_warnings(facts, adoptions, date(2023, 3, 1))

    assert warning.message_sv == (
        "Överenskommelsen anges gälla från 1 januari 2023, men Essunga (1445) har inte antagit den "
        "(inget beslut). Det gör dess giltighet osäker."
    )


def test_a_guideline_gets_no_party_warnings_but_does_get_law_warnings():
    facts = AgreementFacts(
        AgreementKind.GUIDELINE, ACTIVE, recommended_on=date(2020, 1, 1), law_refs=("HSL (1982:763)",)
    )

    warnings = validity_warnings(facts, STOCKHOLM, date(2025, 1, 1))

    assert [w.key for w in warnings] == ["cites_replaced_law:1982:763"]


def test_an_agreement_still_marked_active_after_its_end_is_warned_of():
    facts = AgreementFacts(AGREEMENT, ACTIVE, term=NO_RENEWAL)
    adoptions = [adopted("14"), adopted("1401")]

    assert validity_warnings(facts, adoptions, date(2026, 12, 31)) == []
    assert validity_warnings(facts, adoptions, date(2027, 1, 1)) == [
        ValidityWarning(
            "past_end:2026-12-31",
            WarningKind.PAST_END,
            "Överenskommelsen är markerad som gällande men upphörde 31 december 2026.",
        )
    ]


def test_a_renewing_agreement_is_never_past_its_end():
    facts = AgreementFacts(AGREEMENT, ACTIVE, term=VGR)

    assert validity_warnings(facts, [adopted("14"), adopted("1401")], date(2040, 1, 1)) == []


def test_an_agreement_left_by_all_but_one_party_is_past_its_end():
    facts = AgreementFacts(AGREEMENT, ACTIVE, term=VGR, notices=(Notice("1401", date(2025, 1, 10)),))

    warnings = validity_warnings(facts, [adopted("14"), adopted("1401")], date(2027, 1, 1))

    assert [w.key for w in warnings] == ["past_end:2026-12-31"]


def test_a_draft_past_its_end_is_not_warned_of():
    facts = AgreementFacts(AGREEMENT, DRAFT, term=NO_RENEWAL)

    assert validity_warnings(facts, [adopted("14"), adopted("1401")], date(2027, 1, 1)) == []


def test_seed_002_agreement_cites_the_old_socialtjanstlag_from_the_day_the_new_one_applies():
    facts = AgreementFacts(
        AGREEMENT,
        ACTIVE,
        term=OREBRO,
        law_refs=("Hälso- och sjukvårdslag (2017:30), HSL", "socialtjänstlagen (2001:453), SoL"),
    )
    adoptions = [adopted("18"), adopted("1880")]

    assert validity_warnings(facts, adoptions, date(2025, 6, 30)) == []
    assert validity_warnings(facts, adoptions, date(2025, 7, 1)) == [
        ValidityWarning(
            "cites_replaced_law:2001:453",
            WarningKind.CITES_REPLACED_LAW,
            "Överenskommelsen hänvisar till socialtjänstlagen (2001:453), som ersattes av "
            "socialtjänstlagen (2025:400) den 1 juli 2025.",
        )
    ]


@pytest.mark.parametrize("status", [AgreementStatus.ENDED, AgreementStatus.WITHDRAWN])
def test_an_ended_or_withdrawn_agreement_has_no_warnings(status):
    facts = AgreementFacts(
        AGREEMENT, status, recommended_on=date(2020, 1, 1), term=NO_RENEWAL, law_refs=("SoL (2001:453)",)
    )

    assert validity_warnings(facts, STOCKHOLM, date(2030, 1, 1)) == []


def test_warnings_come_in_a_stable_order():
    facts = AgreementFacts(
        AGREEMENT,
        ACTIVE,
        recommended_on=date(2022, 3, 18),
        term=NO_RENEWAL,
        law_refs=("SoL (2001:453)", "kommunallagen (1991:900)"),
    )
    adoptions = [
        standing("1480", AdoptionStatus.PENDING),
        adopted("14"),
        standing("1401", AdoptionStatus.PENDING),
    ]

    keys = [w.key for w in validity_warnings(facts, adoptions, date(2027, 1, 1))]

    assert keys == [
        "in_force_not_adopted:1401",
        "in_force_not_adopted:1480",
        "undecided_long:1401",
        "undecided_long:1480",
        "past_end:2026-12-31",
        "cites_replaced_law:2001:453",
        "cites_replaced_law:1991:900",
    ]


# --- annexes and supplements follow their parent (seed 003 Del A) ----------------------------

MAIN = AgreementFacts(AGREEMENT, ACTIVE, term=NO_RENEWAL)


@pytest.mark.parametrize("kind", [AgreementKind.ANNEX, AgreementKind.SUPPLEMENT])
def test_an_annex_or_supplement_follows_its_parents_term(kind):
    own_term = FixedTerm(date(2023, 1, 1), date(2030, 12, 31), notice_months=6)

    assert effective_term(AgreementFacts(kind, ACTIVE, term=own_term, parent=MAIN)) == NO_RENEWAL


def test_an_annex_to_a_supplement_follows_the_main_agreement():
    supplement = AgreementFacts(AgreementKind.SUPPLEMENT, ACTIVE, parent=MAIN)

    assert effective_term(AgreementFacts(AgreementKind.ANNEX, ACTIVE, parent=supplement)) == NO_RENEWAL


def test_an_annex_still_active_after_its_parent_ended_is_past_its_end():
    annex = AgreementFacts(AgreementKind.ANNEX, ACTIVE, parent=MAIN)

    warnings = validity_warnings(annex, [adopted("14"), adopted("1401")], date(2027, 1, 1))

    assert [w.key for w in warnings] == ["past_end:2026-12-31"]


def test_an_agreement_has_its_own_term():
    assert effective_term(MAIN) == NO_RENEWAL
    assert effective_term(AgreementFacts(AGREEMENT, DRAFT)) is None


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (
            AgreementFacts(AgreementKind.ANNEX, ACTIVE),
            "En tilläggsöverenskommelse eller bilaga måste höra till en huvudöverenskommelse.",
        ),
        (
            AgreementFacts(AGREEMENT, ACTIVE, parent=MAIN),
            "Bara tilläggsöverenskommelser och bilagor kan höra till en annan överenskommelse.",
        ),
    ],
)
def test_a_parent_must_be_there_for_annexes_and_only_for_them(facts, message):
    with refused(InvalidInput, field="parent", message=message):
        validity_warnings(facts, [], date(2025, 1, 1))


def test_the_undecided_limit_must_be_at_least_a_month():
    with refused(InvalidInput, field="undecided_after_months", message="Antalet månader måste vara minst 1."):
        validity_warnings(SPEECH_THERAPY, STOCKHOLM, date(2025, 1, 1), undecided_after_months=0)


IN_FORCE = AgreementFacts(
    AGREEMENT, AgreementStatus.ACTIVE, follow_ups=(("follow_up_implementation", date(2026, 3, 15)),)
)


@pytest.mark.parametrize(
    ("as_of", "warned"),
    [(date(2026, 3, 15), False), (date(2026, 3, 16), True),
     (date(2027, 3, 15), True), (date(2027, 3, 16), False)],
)  # fmt: skip
def test_a_follow_up_not_done_by_its_date_warns_from_the_day_after_for_a_year(as_of, warned):
    found = validity_warnings(IN_FORCE, [], as_of)
    assert [w.key for w in found] == (["follow_up_overdue:follow_up_implementation"] if warned else [])


def test_the_overdue_follow_up_warning_says_which_follow_up_and_by_when():
    facts = replace(IN_FORCE, follow_ups=(("follow_up_annual:2026", date(2026, 11, 15)),))
    (warning,) = validity_warnings(facts, [], date(2026, 11, 23))
    assert warning == ValidityWarning(
        "follow_up_overdue:follow_up_annual:2026",
        WarningKind.FOLLOW_UP_OVERDUE,
        "Den årliga uppföljningen 2026 skulle vara gjord senast 15 november 2026 men är inte registrerad "
        "som gjord (det blir den när uppföljningens runda stängs).",
    )
    (warning,) = validity_warnings(IN_FORCE, [], date(2026, 3, 16))
    assert warning.message_sv.startswith(
        "Uppföljningen ett år efter ikraftträdandet skulle vara gjord senast 15 mars 2026"
    )


def test_a_follow_up_of_an_agreement_not_active_gives_no_warning():
    assert validity_warnings(replace(IN_FORCE, status=AgreementStatus.DRAFT), [], date(2026, 4, 1)) == []


def test_the_evaluation_warns_of_the_follow_ups_due_and_not_done_only():
    from lifecycle.rules.agreement import AgreementInputs, evaluate
    from lifecycle.rules.deadlines import MonthDay

    inputs = AgreementInputs(
        id=1,
        structure="orebro",
        kind=AGREEMENT,
        status=AgreementStatus.ACTIVE,
        parties=("18", "1880"),
        term=OREBRO,  # from 2025-01-01 until further notice
        annual_follow_up=MonthDay(11, 15),
    )
    keys = [
        w.key
        for w in evaluate(inputs, date(2026, 11, 23)).warnings
        if w.kind is WarningKind.FOLLOW_UP_OVERDUE
    ]
    # 2025's is more than a year late by now; 2026's is a week late
    assert keys == ["follow_up_overdue:follow_up_annual:2026"]
    done = replace(inputs, follow_ups_done=frozenset({"follow_up_annual:2026"}))
    assert [
        w for w in evaluate(done, date(2026, 11, 23)).warnings if w.kind is WarningKind.FOLLOW_UP_OVERDUE
    ] == []
