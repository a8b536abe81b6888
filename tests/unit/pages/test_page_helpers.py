"""The pages' pure helpers: Swedish dates, form reading, SVG pictures, exports, search words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from api.pages.exports import BOM, matrix_csv
from api.pages.forms import Form, FormInvalid, decision_in
from api.pages.labels import sv_count, sv_date, sv_datetime
from api.pages.svg import adoption_curve, process_timeline
from core.errors import InvalidInput
from lifecycle.search import query_words, snippet_parts
from lifecycle.services.matrix import MatrixCell, MatrixParty, MatrixRow, StructureMatrix
from lifecycle.views import AdoptionOverview, AdoptionRow, TimelineEntry


def test_a_date_reads_as_swedish_words():
    assert sv_date(date(2026, 11, 23)) == "23 november 2026"
    assert sv_date(None) == "–"
    assert sv_date(None, "Inte ännu") == "Inte ännu"


def test_a_count_takes_the_noun_in_the_form_it_needs():
    assert [sv_count(n, "part", "parter") for n in (0, 1, 2)] == ["0 parter", "1 part", "2 parter"]
    assert sv_count(1, "månad", "månader") == "1 månad"


def test_an_instant_is_shown_as_its_time_in_stockholm():
    assert sv_datetime(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == "1 juli 2026 kl. 00.30"


def test_a_decision_form_with_a_mistyped_date_names_the_field_in_swedish():
    with pytest.raises(FormInvalid) as caught:
        decision_in({"body": "KF", "meeting_date": "23/5", "outcome": "adopted"})
    assert caught.value.errors == {
        "meeting_date": "Sammanträdesdatum ska vara ett datum som 2026-11-23, inte ”23/5”."
    }


def test_a_decision_form_reads_into_the_services_struct():
    decision = decision_in(
        {"body": "KF", "meeting_date": "2022-05-23", "outcome": "adopted", "paragraph": "", "anslag_date": ""}
    )
    assert decision.meeting_date == date(2022, 5, 23) and decision.paragraph is None
    assert decision.anslag_date is None


def test_a_rules_error_lands_beside_its_field_or_above_the_form():
    form = Form.typed("decision", {"body": "KF", "_csrf_token": "x"}, ("body", "justering_date"))
    assert "_csrf_token" not in form.values
    assert form.fail(InvalidInput("Fel datum", field="justering_date")).errors == {
        "justering_date": "Fel datum"
    }
    assert form.fail(InvalidInput("Något annat", field="appeal.lodged_on")).errors == {"": "Något annat"}


def _overview(**changes) -> AdoptionOverview:
    rows = [
        AdoptionRow(
            party_code=code,
            party_name=f"<Kommun {code}>",
            party_kind="kommun",
            status=status,
            decided_on=decided,
            legally_final_on=None,
            decision=None,
            next_meeting=None,
            in_force_from=None,
        )
        for code, status, decided in (
            ("1401", "adopted", date(2022, 5, 23)),
            ("1402", "adopted", date(2022, 6, 13)),
            ("1407", "pending", None),
        )
    ]
    values = dict(
        agreement_id=1,
        title="T",
        as_of=date(2026, 11, 23),
        parties_decide=True,
        decided_by=None,
        recommended_on=date(2022, 2, 24),
        decision_due=date(2022, 11, 24),
        counts={},
        total=3,
        entry=None,
        in_force_from=None,
        warnings=[],
        parties=rows,
    )
    return AdoptionOverview(**{**values, **changes})


def test_the_adoption_curve_is_an_image_with_a_title_a_description_and_its_data():
    picture = adoption_curve(_overview())
    assert 'role="img"' in picture.markup and '<title id="curve-t">Antagandekurva</title>' in picture.markup
    assert "2 av 3 parter har antagit överenskommelsen per 23 november 2026" in picture.markup
    assert picture.points == [
        ("24 februari 2022", "Rekommendation"),
        ("23 maj 2022", "1 av 3 parter har antagit"),
        ("13 juni 2022", "2 av 3 parter har antagit"),
        ("24 november 2022", "Beslut senast"),
    ]


def test_no_curve_before_the_recommendation_and_any_decision():
    rows = [p for p in _overview().parties if p.status == "pending"]
    assert adoption_curve(_overview(recommended_on=None, parties=rows)) is None


def test_the_timeline_escapes_its_texts():
    entry = TimelineEntry(
        id=1,
        step="remiss",
        label="Remiss <till> parterna & co",
        taken_on=date(2021, 9, 1),
        body="",
        paragraph="",
        case_number="",
        note="",
        links=[],
        reply_by=None,
    )
    picture = process_timeline([entry], "remiss")
    assert "Remiss &lt;till&gt; parterna &amp; co" in picture.markup
    assert "<till>" not in picture.markup
    assert picture.points == [("1 september 2021", "Remiss <till> parterna & co")]


def test_the_csv_is_for_swedish_excel_and_quotes_what_a_spreadsheet_would_run():
    matrix = StructureMatrix(
        slug="x",
        name="X",
        as_of=date(2026, 11, 23),
        sort="title",
        total=1,
        page=1,
        pages=1,
        first=1,
        parties=[MatrixParty(code="1401", name="Härryda", kind="kommun")],
        rows=[
            MatrixRow(
                agreement_id=1,
                title="=HYPERLINK(1)",
                reference="",
                kind="overenskommelse",
                status="draft",
                recommended_on=date(2022, 2, 24),
                decision_due=None,
                adopted=1,
                pending=0,
                total=1,
                cells={"1401": MatrixCell(status="adopted", decided_on=None, legally_final_on=None)},
            )
        ],
    )
    text = matrix_csv(matrix).decode("utf-8")
    assert text.startswith(BOM)
    lines = text[1:].split("\r\n")
    assert lines[1] == "'=HYPERLINK(1);;Överenskommelse;Under arbete;2022-02-24;;1;1;Antagen"


def test_search_words_leave_out_the_excluded_ones():
    assert query_words('hemsjukvård "samordnad plan" -barn') == (
        ["hemsjukvård", "samordnad", "plan"],
        ["barn"],
    )


def test_a_snippet_without_marks_marks_the_words_found_inside_compounds():
    parts = snippet_parts("Hälso- och sjukvårdsavtal", ["avtal"])
    assert [(p.text, p.match) for p in parts] == [("Hälso- och sjukvårds", False), ("avtal", True)]
    marked = snippet_parts("a [[[sjukvård]]] b", ["x"])
    assert [(p.text, p.match) for p in marked] == [("a ", False), ("sjukvård", True), (" b", False)]
