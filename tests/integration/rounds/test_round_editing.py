"""Editing an open round, through the API and its page: title, instructions, reply-by date, and
the questions only while no party has submitted an answer."""

from __future__ import annotations

from datetime import timedelta

from core.clock import today
from lifecycle.tables import StoredDeadline
from tests.agreements import create_agreement
from tests.integration.conftest import bearer

QUESTIONS = [
    {"kind": "yes_no", "text": "Står ni bakom förslaget?"},
    {"kind": "choice", "text": "Vilken modell?", "options": ["Gemensam", "Lokal"]},
]


async def _survey(client) -> tuple[int, int]:
    agreement = await create_agreement(client)
    body = {
        "agreement_id": agreement["id"],
        "kind": "enkat",
        "title": "Enkät: modell",
        "reply_by": (today() + timedelta(days=20)).isoformat(),
        "parties": ["1401", "1402", "1480"],
        "questions": QUESTIONS,
    }
    made = await client.post("/api/rounds", json=body)
    assert made.status_code == 201, made.text
    return agreement["id"], made.json()["id"]


async def test_the_questions_change_through_the_api_until_a_party_submits(client, make_user):
    agreement_id, round_id = await _survey(client)
    clerk = await make_user("clerk", party="1401")
    answer_url = f"/api/rounds/{round_id}/answers/1401"
    draft = {"state": "draft", "answers": {"q1": "ja", "q2": "Lokal"}}
    assert (await client.put(answer_url, headers=bearer(clerk), json=draft)).status_code == 200

    # given a draft, the questions change: the yes/no reworded, the choice given a third option
    edited = [
        {"kind": "yes_no", "text": "Står ni bakom förslaget i sin helhet?"},
        {"kind": "choice", "text": "Vilken modell?", "options": ["Gemensam", "Lokal", "Båda"]},
        {"kind": "number", "text": "Hur många platser?"},
    ]
    changed = await client.patch(f"/api/rounds/{round_id}", json={"questions": edited})
    assert changed.status_code == 200, changed.text
    assert [(q["key"], q["text"]) for q in changed.json()["questions"]] == [
        ("q1", "Står ni bakom förslaget i sin helhet?"),
        ("q2", "Vilken modell?"),
        ("q3", "Hur många platser?"),
    ]
    # the draft keeps the reworded question's answer, not the changed choice's
    own = (await client.get(answer_url, headers=bearer(clerk))).json()
    assert own["state"] == "draft" and own["answers"] == {"q1": True, "q2": None, "q3": None}
    history = (await client.get("/api/audit", params={"agreement_id": agreement_id})).json()
    event = next(e for e in history if e["entity"] == "round" and e["action"] == "update")
    assert len(event["before"]["questions"]) == 2 and len(event["after"]["questions"]) == 3

    # once a party has submitted, the questions are fixed; the rest still changes
    submitted = {"state": "submitted", "answers": {"q1": "ja", "q2": "Båda", "q3": "4"}}
    assert (await client.put(answer_url, headers=bearer(clerk), json=submitted)).status_code == 200
    refused = await client.patch(f"/api/rounds/{round_id}", json={"questions": QUESTIONS})
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith(
        "Frågorna kan inte ändras eftersom en part har redan lämnat in"
    )
    again = await client.patch(
        f"/api/rounds/{round_id}", json={"questions": edited, "title": "Enkät: ny rubrik"}
    )
    assert again.status_code == 200 and again.json()["title"] == "Enkät: ny rubrik"
    bad = await client.patch(
        f"/api/rounds/{round_id}", json={"questions": [{"kind": "choice", "text": "Ett?"}]}
    )
    assert bad.status_code == 422  # the rule's check of the questions comes first, as when opening


async def test_the_round_is_edited_from_its_page(client, make_user):
    agreement_id, round_id = await _survey(client)
    page = (await client.get(f"/rounds/{round_id}")).text
    assert 'id="edit-question_text2" name="question_text2" type="text" value="Vilken modell?"' in page
    assert 'id="edit-question_options2" name="question_options2" type="text" value="Gemensam; Lokal"' in page
    later = (today() + timedelta(days=30)).isoformat()
    form = {
        "title": "Enkät: modell och platser",
        "reply_by": later,
        "instructions": "Svara senast i nämnden.",
        "question_text1": "Står ni bakom förslaget?",
        "question_kind1": "yes_no",
        "question_text2": "",  # a blank row removes the question
        "question_text3": "Hur många platser?",
        "question_kind3": "number",
    }
    # a wrong date comes back beside its field, what was typed kept, nothing saved
    bad = await client.post(f"/rounds/{round_id}/edit", data={**form, "reply_by": "snart"})
    assert bad.status_code == 422
    assert 'id="edit-reply_by-error"' in bad.text and 'value="Enkät: modell och platser"' in bad.text
    assert (await client.get(f"/api/rounds/{round_id}")).json()["title"] == "Enkät: modell"

    saved = await client.post(f"/rounds/{round_id}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    view = (await client.get(f"/api/rounds/{round_id}")).json()
    assert view["title"] == "Enkät: modell och platser" and view["instructions"] == "Svara senast i nämnden."
    assert view["reply_by"] == later
    assert [(q["key"], q["kind"]) for q in view["questions"]] == [("q1", "yes_no"), ("q2", "number")]
    # the parties' deadlines moved with the date
    dues = await StoredDeadline.select(StoredDeadline.due).where(
        (StoredDeadline.agreement == agreement_id) & (StoredDeadline.kind == "round_reply")
    )
    assert {d["due"].isoformat() for d in dues} == {later}

    # after a submission the page says the questions are fixed, and a stale form is refused beside them
    clerk = await make_user("clerk", party="1402")
    submitted = {"state": "submitted", "answers": {"q1": "nej", "q2": "3"}}
    answered = await client.put(f"/api/rounds/{round_id}/answers/1402", headers=bearer(clerk), json=submitted)
    assert answered.status_code == 200
    page = (await client.get(f"/rounds/{round_id}")).text
    assert "Frågorna kan inte längre ändras" in page and 'name="question_text1"' not in page
    stale = await client.post(f"/rounds/{round_id}/edit", data={**form, "question_text3": ""})
    assert stale.status_code == 409
    assert 'href="#edit-questions"' in stale.text and "en part har redan lämnat in svar" in stale.text
    only_date = {"title": form["title"], "reply_by": (today() + timedelta(days=40)).isoformat()}
    assert (
        await client.post(f"/rounds/{round_id}/edit", data=only_date, follow_redirects=False)
    ).status_code == 303
    assert len((await client.get(f"/api/rounds/{round_id}")).json()["questions"]) == 2

    # a clerk may not edit
    refused = await client.post(f"/rounds/{round_id}/edit", headers=bearer(clerk), data=only_date)
    assert refused.status_code == 403
