"""The history rows of an agreement's page, in Swedish, with the party each change concerns."""

from datetime import UTC, datetime

from api.pages.history import HistoryRow, history_rows, who

AT = datetime(2022, 6, 1, 8, 0, tzinfo=UTC)


def test_a_decision_row_names_the_party_the_outcome_the_body_the_swedish_date_and_the_paragraph():
    event = {
        "at": AT,
        "actor": "Anna Berg (registrator Härryda)",
        "action": "create",
        "entity": "party_decision",
        "after": {
            "party_code": "1401",
            "party_name": "Härryda",
            "outcome": "adopted",
            "body": "Kommunfullmäktige",
            "meeting_date": "2022-05-23",
            "paragraph": "§ 77",
        },
    }
    assert history_rows([event]) == [
        HistoryRow(
            AT,
            "Anna Berg (registrator Härryda)",
            "Registrerade beslut: Antagen, Kommunfullmäktige 23 maj 2022, § 77",
            "Härryda (1401)",
        )
    ]


def test_a_notice_names_its_party_and_an_agreement_change_all_parties():
    notice = {
        "at": AT,
        "actor": "x",
        "action": "create",
        "entity": "notice",
        "after": {"party_code": "1445", "party_name": "Essunga", "given_on": "2025-03-01"},
    }
    edit = {"at": AT, "actor": "x", "action": "update", "entity": "agreement", "before": {}, "after": {}}
    rows = history_rows([notice, edit])
    assert [(r.party, r.what) for r in rows] == [
        ("Essunga (1445)", "Registrerade uppsägning: given 1 mars 2025"),
        ("Alla parter", "Ändrade överenskommelsen"),
    ]


def test_a_deleted_record_is_described_from_its_state_before():
    event = {
        "at": AT,
        "actor": "x",
        "action": "delete",
        "entity": "party_decision",
        "before": {
            "party_code": "1401",
            "outcome": "planned",
            "body": "Kommunstyrelsen",
            "meeting_date": "2022-04-04",
        },
        "after": None,
    }
    (row,) = history_rows([event])
    assert (row.party, row.what) == (
        "part 1401",
        "Tog bort beslut: Planerat sammanträde, Kommunstyrelsen 4 april 2022",
    )


def test_system_actors_read_in_swedish_without_code_names():
    assert who("system: demo") == "Systemet (exempeldata)"
    assert who("system: cli (admin@samverkan.example)") == "Systemet (kommandoraden, admin@samverkan.example)"
    assert who("Anna Berg") == "Anna Berg"


def test_a_replaced_agreement_ended_by_the_system_reads_as_its_new_status():
    event = {
        "at": AT,
        "actor": "system: ersättning",
        "action": "update",
        "entity": "agreement",
        "before": {"status": "active"},
        "after": {"status": "ended"},
    }
    (row,) = history_rows([event])
    assert (row.who, row.what, row.party) == (
        "Systemet (den ersättande överenskommelsen i kraft)",
        "Ändrade överenskommelsen: status Upphörd",
        "Alla parter",
    )
