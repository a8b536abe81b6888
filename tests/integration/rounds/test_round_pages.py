"""The rounds' pages: opening a round by the form, answering it (errors beside the field, drafts
kept), the overview with its pictures, the exports, the party's and the agreement's lists."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from core.clock import today
from tests.agreements import create_agreement, recommend
from tests.integration.conftest import bearer

UP_TO_PROPOSAL = [("uppdrag", "2021-03-01"), ("forslag", "2021-06-01")]


async def test_a_round_opened_answered_and_exported_through_the_pages(client, make_user):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"], UP_TO_PROPOSAL)
    reply_by = (today() + timedelta(days=20)).isoformat()
    form = {
        "kind": "remiss",
        "title": "Remiss: sidtest",
        "reply_by": reply_by,
        "parties": ["1401", "1402", "1480"],
        "question_text1": "Ställer ni er bakom förslaget?",
        "question_kind1": "yes_no",
        "question_text2": "Vilken modell?",
        "question_kind2": "choice",
        "question_options2": "Gemensam; Lokal",
    }
    # a wrong date comes back beside its field, the rest kept
    bad = await client.post(f"/agreements/{agreement['id']}/rounds", data={**form, "reply_by": "i morgon"})
    assert bad.status_code == 422
    assert 'id="round-reply_by-error"' in bad.text and "Remiss: sidtest" in bad.text
    opened = await client.post(f"/agreements/{agreement['id']}/rounds", data=form, follow_redirects=False)
    assert opened.status_code == 303, opened.text
    round_path = opened.headers["location"].split("?")[0]
    page = await client.get(round_path)
    assert "<strong>0 av 3</strong> parter har svarat" in page.text

    clerk = await make_user("clerk", party="1401")
    answer_path = f"{round_path}/answers/1401"
    # a submission with an open question: the error beside the question, what was typed kept
    refused = await client.post(
        answer_path, headers=bearer(clerk), data={"q1": "ja", "comment": "Bra", "state": "submitted"}
    )
    assert refused.status_code == 422
    assert 'id="answer-q2-error"' in refused.text and "Besvara fråga 2" in refused.text
    assert ">Bra</textarea>" in refused.text
    draft = await client.post(
        answer_path, headers=bearer(clerk), data={"q1": "nej", "state": "draft"}, follow_redirects=False
    )
    assert draft.status_code == 303
    kept = await client.get(answer_path, headers=bearer(clerk))
    assert 'value="nej" checked' in kept.text
    done = await client.post(
        answer_path,
        headers=bearer(clerk),
        data={
            "q1": "ja",
            "q2": "Lokal",
            "decided_body": "Välfärdsnämnden",
            "decided_paragraph": "§ 320",
            "decided_case_number": "2021VFN445",
            "decided_on": "2021-12-15",
            "state": "submitted",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = (await client.get(round_path)).text
    assert "<strong>1 av 3</strong> parter har svarat" in page
    assert 'role="img"' in page and "Lokal: 1" in page  # the picture's description
    assert "Välfärdsnämnden § 320, dnr 2021VFN445" in page

    csv = await client.get(f"{round_path}/svar.csv")
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    line = next(x for x in csv.text.splitlines() if "Härryda" in x)
    assert ";Inlämnat;" in line and ";ja;Lokal;" in line
    book = load_workbook(io.BytesIO((await client.get(f"{round_path}/svar.xlsx")).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][9:11] == ("1. Ställer ni er bakom förslaget?", "2. Vilken modell?")
    assert len(rows) == 4

    party = await client.get("/parties/1402")
    assert "Remiss: sidtest" in party.text and "Inte påbörjat" in party.text
    home = await client.get("/", headers=bearer(clerk))
    assert "Vad ska Härryda besvara, och när?" in home.text
    assert "Remiss: sidtest" in (await client.get(f"/agreements/{agreement['id']}")).text

    closed = await client.post(f"{round_path}/close", data={"compilation": ""})
    assert closed.status_code == 422 and 'id="close-compilation-error"' in closed.text
    closed = await client.post(
        f"{round_path}/close", data={"compilation": "Ett svar."}, follow_redirects=False
    )
    assert closed.status_code == 303
    assert "Ett svar." in (await client.get(round_path)).text
