"""Files on a round and on a party's answer: uploaded with the documents' checks, listed and
downloaded; a draft's files are the party's own until it is submitted."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from core.clock import today
from documents import render, services
from tests.agreements import create_agreement
from tests.integration.conftest import bearer

PDF = "application/pdf"


async def _round(client) -> tuple[int, int]:
    agreement = await create_agreement(client)
    body = {
        "agreement_id": agreement["id"],
        "kind": "handlingsplan",
        "title": "Lokal handlingsplan 2027",
        "reply_by": (today() + timedelta(days=20)).isoformat(),
        "parties": ["1401", "1402"],
    }
    made = await client.post("/api/rounds", json=body)
    assert made.status_code == 201, made.text
    return agreement["id"], made.json()["id"]


def _post(client, url: str, name: str, content: bytes, media_type: str = PDF, **kwargs):
    return client.post(url, files={"file": (name, content, media_type)}, data={"title": ""}, **kwargs)


async def test_the_rounds_material_is_uploaded_checked_listed_and_downloaded(client, make_user, monkeypatch):
    agreement_id, round_id = await _round(client)
    url = f"/api/rounds/{round_id}/files"
    content = render.pdf([["Underlag till handlingsplanen"]])
    stored = await _post(client, url, "Underlag.pdf", content)
    assert stored.status_code == 201, stored.text
    view = stored.json()
    assert view["party_code"] is None and view["title"] == "Underlag" and view["kind"] == "pdf"
    assert view["sha256"] == hashlib.sha256(content).hexdigest() and view["size"] == len(content)
    assert [f["id"] for f in (await client.get(url)).json()] == [view["id"]]
    got = await client.get(view["url"])
    assert got.status_code == 200 and got.content == content
    assert got.headers["content-type"] == PDF and got.headers["x-content-type-options"] == "nosniff"
    history = (await client.get("/api/audit", params={"agreement_id": agreement_id})).json()
    assert history[0]["entity"] == "round_file" and history[0]["after"]["filename"] == "Underlag.pdf"

    # the documents' checks: the kind by content, the same file twice, the size limit
    fake = await _post(client, url, "plan.pdf", b"<html>ingen pdf</html>")
    assert fake.status_code == 422 and "varken en PDF" in fake.json()["detail"]
    again = await _post(client, url, "kopia.pdf", content)
    assert again.status_code == 409 and again.json()["detail"] == "Samma fil finns redan på rundan."
    monkeypatch.setattr(services, "MAX_BYTES", 1000)
    big = await _post(client, url, "stor.pdf", render.pdf([["x" * 3000]]))
    assert big.status_code == 413 and big.json()["detail"].startswith("Filen är för stor.")

    # the round's material is the secretariat's: a clerk may not add to it
    clerk = await make_user("clerk", party="1401")
    assert (await _post(client, url, "c.pdf", render.pdf([["c"]]), headers=bearer(clerk))).status_code == 403
    assert (await client.get("/api/rounds/987654/files")).status_code == 404


async def test_a_drafts_file_is_the_partys_own_until_the_answer_is_submitted(
    client, anonymous_client, make_user
):
    _, round_id = await _round(client)
    clerk = await make_user("clerk", party="1401")
    other_clerk = await make_user("clerk", party="1402")
    secretariat = await make_user("secretariat", structure="vastra-gotaland")
    answer = f"/api/rounds/{round_id}/answers/1401"
    assert (await client.put(answer, headers=bearer(clerk), json={"state": "draft"})).status_code == 200
    content = render.pdf([["Härrydas handlingsplan"]])
    stored = await _post(
        client, f"{answer}/files", "Handlingsplan Härryda.pdf", content, headers=bearer(clerk)
    )
    assert stored.status_code == 201, stored.text
    file_url = stored.json()["url"]
    assert stored.json()["party_code"] == "1401"
    # another party's clerk may not add a file to Härryda's answer
    refused = await _post(
        client, f"{answer}/files", "x.pdf", render.pdf([["x"]]), headers=bearer(other_clerk)
    )
    assert refused.status_code == 403

    # while a draft: not in the round's list, and only the party (and admins) read it
    assert (await anonymous_client.get(f"/api/rounds/{round_id}/files")).json() == []
    assert (await anonymous_client.get(file_url)).status_code == 401
    for someone in (other_clerk, secretariat):
        assert (await client.get(file_url, headers=bearer(someone))).status_code == 403
    own = await client.get(file_url, headers=bearer(clerk))
    assert own.status_code == 200 and own.content == content
    listed = await client.get(f"{answer}/files", headers=bearer(clerk))
    assert [f["url"] for f in listed.json()] == [file_url]

    # submitted, the answer's file is a public record
    assert (await client.put(answer, headers=bearer(clerk), json={"state": "submitted"})).status_code == 200
    public = (await anonymous_client.get(f"/api/rounds/{round_id}/files")).json()
    assert [(f["party_code"], f["url"]) for f in public] == [("1401", file_url)]
    assert (await anonymous_client.get(file_url)).content == content
    # a file id of another round is not this round's
    assert (await client.get(f"/api/rounds/{round_id + 1000}/files/{stored.json()['id']}")).status_code == 404


async def test_a_closed_round_takes_no_more_files(client):
    _, round_id = await _round(client)
    closed = await client.post(f"/api/rounds/{round_id}/close", json={"compilation": "Klart."})
    assert closed.status_code == 200
    late = await _post(client, f"/api/rounds/{round_id}/files", "sen.pdf", render.pdf([["sen"]]))
    assert late.status_code == 409 and "kan inte längre ändras" in late.json()["detail"]


async def test_files_are_added_and_shown_on_the_round_page_and_the_answer_form(client, make_user):
    _, round_id = await _round(client)
    page_url = f"/rounds/{round_id}"
    # no file chosen: the error beside the file field
    empty = await client.post(f"{page_url}/files", files={"file": ("", b"", PDF)}, data={"title": "Plan"})
    assert empty.status_code == 422
    assert 'id="file-file-error"' in empty.text and "Välj en fil att ladda upp" in empty.text
    content = render.pdf([["Mall"]])
    sent = await client.post(
        f"{page_url}/files",
        files={"file": ("mall.pdf", content, PDF)},
        data={"title": "Mall för handlingsplanen"},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    page = (await client.get(page_url)).text
    assert ">Mall för handlingsplanen</a>" in page

    clerk = await make_user("clerk", party="1402")
    form_url = f"{page_url}/answers/1402"
    added = await client.post(
        f"{form_url}/files",
        headers=bearer(clerk),
        files={"file": ("plan.pdf", render.pdf([["Lokal plan"]]), PDF)},
        data={"title": "Lokal plan Partille"},
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    assert ">Lokal plan Partille</a>" in (await client.get(form_url, headers=bearer(clerk))).text
    # not on the round's page while the answer is not submitted
    assert "Lokal plan Partille" not in (await client.get(page_url)).text
    wrong = await client.post(
        f"{form_url}/files",
        headers=bearer(clerk),
        files={"file": ("plan.pdf", b"inte en pdf", PDF)},
        data={"title": ""},
    )
    assert wrong.status_code == 422 and 'id="file-file-error"' in wrong.text


async def _stored_ids(round_id: int) -> list[int]:
    from documents.tables import RoundFile

    rows = await RoundFile.select(RoundFile.id).where(RoundFile.round == round_id).order_by(RoundFile.id)
    return [r["id"] for r in rows]


async def test_the_rounds_material_is_deleted_by_who_manages_it_bytes_and_all_and_the_trail_keeps_it(
    client, make_user
):
    agreement_id, round_id = await _round(client)
    url = f"/api/rounds/{round_id}/files"
    kept = (await _post(client, url, "Kvar.pdf", render.pdf([["Kvar"]]))).json()
    gone = (await _post(client, url, "Fel version.pdf", render.pdf([["Fel version"]]))).json()
    clerk = await make_user("clerk", party="1401")
    clerks_file = await _post(
        client,
        f"/api/rounds/{round_id}/answers/1401/files",
        "h.pdf",
        render.pdf([["h"]]),
        headers=bearer(clerk),
    )
    # a clerk, another structure's secretariat and another agreement's steward may not
    other = await create_agreement(client)
    for someone in (
        clerk,
        await make_user("secretariat", structure="stockholm"),
        await make_user("steward", agreement_id=other["id"]),
    ):
        refused = await client.delete(f"{url}/{gone['id']}", headers=bearer(someone))
        assert refused.status_code == 403, refused.text
    # an answer's file is not the round's material: it is removed from the answer
    answers_file = await client.delete(f"{url}/{clerks_file.json()['id']}")
    assert answers_file.status_code == 404
    assert (
        answers_file.json()["detail"] == f"Rundan {round_id} har ingen fil med id {clerks_file.json()['id']}."
    )

    # when the agreement's steward deletes the wrong version
    steward = await make_user("steward", agreement_id=agreement_id)
    deleted = await client.delete(f"{url}/{gone['id']}", headers=bearer(steward))

    # then it is gone from the list, the download and the table (its bytes with it); the trail has it
    assert deleted.status_code == 204, deleted.text
    assert [f["id"] for f in (await client.get(url)).json()] == [kept["id"]]
    assert (await client.get(gone["url"])).status_code == 404
    assert await _stored_ids(round_id) == sorted([kept["id"], clerks_file.json()["id"]])
    event = (await client.get("/api/audit", params={"agreement_id": agreement_id})).json()[0]
    assert (event["action"], event["entity"], event["entity_id"]) == ("delete", "round_file", str(gone["id"]))
    assert event["before"]["filename"] == "Fel version.pdf" and event["before"]["party_code"] is None
    again = await client.delete(f"{url}/{gone['id']}", headers=bearer(steward))
    assert again.status_code == 404
    # the same file can be uploaded again once it is gone
    assert (await _post(client, url, "Fel version.pdf", render.pdf([["Fel version"]]))).status_code == 201


async def test_a_party_deletes_its_answers_files_until_the_round_closes_and_no_other_party_can(
    client, make_user
):
    agreement_id, round_id = await _round(client)
    clerk = await make_user("clerk", party="1401")
    other_clerk = await make_user("clerk", party="1402")
    secretariat = await make_user("secretariat", structure="vastra-gotaland")
    answer = f"/api/rounds/{round_id}/answers/1401"
    assert (await client.put(answer, headers=bearer(clerk), json={"state": "draft"})).status_code == 200
    first, second, third = [
        (await _post(client, f"{answer}/files", f"{n}.pdf", render.pdf([[n]]), headers=bearer(clerk))).json()
        for n in ("Utkast", "Bilaga", "Protokoll")
    ]
    # another party's clerk: refused on Härryda's answer, not found from its own
    assert (
        await client.delete(f"{answer}/files/{first['id']}", headers=bearer(other_clerk))
    ).status_code == 403
    own_route = await client.delete(
        f"/api/rounds/{round_id}/answers/1402/files/{first['id']}", headers=bearer(other_clerk)
    )
    assert own_route.status_code == 404, own_route.text
    assert own_route.json()["detail"] == f"Svaret från part 1402 har ingen fil med id {first['id']}."
    # the secretariat manages the round but does not answer for the party
    assert (
        await client.delete(f"{answer}/files/{first['id']}", headers=bearer(secretariat))
    ).status_code == 403

    # a draft's file, and a submitted answer's (it can be corrected until the round closes)
    assert (await client.delete(f"{answer}/files/{first['id']}", headers=bearer(clerk))).status_code == 204
    assert (await client.put(answer, headers=bearer(clerk), json={"state": "submitted"})).status_code == 200
    assert (await client.delete(f"{answer}/files/{second['id']}", headers=bearer(clerk))).status_code == 204
    listed = (await client.get(f"{answer}/files", headers=bearer(clerk))).json()
    assert [f["id"] for f in listed] == [third["id"]]
    assert await _stored_ids(round_id) == [third["id"]]
    events = (await client.get("/api/audit", params={"agreement_id": agreement_id})).json()
    removed = [(e["entity_id"], e["before"]["party_code"]) for e in events if e["action"] == "delete"]
    assert removed == [(str(second["id"]), "1401"), (str(first["id"]), "1401")]

    # closed, nothing more goes: 409 in Swedish, for the answer's files and the round's
    round_file = (await _post(client, f"/api/rounds/{round_id}/files", "u.pdf", render.pdf([["u"]]))).json()
    assert (
        await client.post(f"/api/rounds/{round_id}/close", json={"compilation": "Klart."})
    ).status_code == 200
    for url, who in (
        (f"{answer}/files/{third['id']}", bearer(clerk)),
        (f"/api/rounds/{round_id}/files/{round_file['id']}", {}),
    ):
        late = await client.delete(url, headers=who)
        assert late.status_code == 409, late.text
        assert late.json()["detail"] == "Rundan ”Lokal handlingsplan 2027” stängdes " + (
            f"{today().isoformat()}; den kan inte längre ändras."
        )
    assert await _stored_ids(round_id) == [third["id"], round_file["id"]]


async def test_the_pages_remove_files_by_a_button_with_the_csrf_token(client, anonymous_client, make_user):
    from api.security import CSRF_COOKIE, CSRF_FIELD
    from tests.integration.pages.test_my_calendar import PASSWORD, _sign_in

    _, round_id = await _round(client)
    material = (
        await _post(client, f"/api/rounds/{round_id}/files", "Mall.pdf", render.pdf([["Mall"]]))
    ).json()
    clerk = await make_user("clerk", party="1401", password=PASSWORD)
    answer = f"/rounds/{round_id}/answers/1401"
    own = await _post(
        client, f"/api{answer}/files", "Plan.pdf", render.pdf([["Plan"]]), headers=bearer(clerk)
    )
    own = own.json()
    # the clerk sees the button on its answer, not on the round's material
    browser = anonymous_client
    await _sign_in(browser, clerk)
    round_page = (await browser.get(f"/rounds/{round_id}")).text
    assert f'action="/rounds/{round_id}/files/{material["id"]}/delete"' not in round_page
    form = (await browser.get(answer)).text
    action = f"{answer}/files/{own['id']}/delete"
    assert f'action="{action}"' in form and 'Ta bort<span class="visually-hidden"> Plan</span>' in form
    # without the CSRF token the form is refused; with it the file goes
    assert (await browser.post(action, data={}, follow_redirects=False)).status_code == 403
    assert own["id"] in await _stored_ids(round_id)
    sent = await browser.post(action, data={CSRF_FIELD: browser.cookies[CSRF_COOKIE]}, follow_redirects=False)
    assert (sent.status_code, sent.headers["location"]) == (303, f"{answer}?sparat=fil-borttagen#filer")
    after = (await browser.get(sent.headers["location"])).text
    assert "Filen är borttagen ur svaret." in after and "Inga bifogade filer." in after
    # the clerk's post to the round's material is refused
    refused = await browser.post(
        f"/rounds/{round_id}/files/{material['id']}/delete",
        data={CSRF_FIELD: browser.cookies[CSRF_COOKIE]},
        follow_redirects=False,
    )
    assert refused.status_code == 403

    # the secretariat removes the material from the round's page
    secretariat = await make_user("secretariat", structure="vastra-gotaland", password=PASSWORD)
    await _sign_in(browser, secretariat)
    action = f"/rounds/{round_id}/files/{material['id']}/delete"
    assert f'action="{action}"' in (await browser.get(f"/rounds/{round_id}")).text
    sent = await browser.post(action, data={CSRF_FIELD: browser.cookies[CSRF_COOKIE]}, follow_redirects=False)
    assert (sent.status_code, sent.headers["location"]) == (
        303,
        f"/rounds/{round_id}?sparat=fil-borttagen#filer",
    )
    after = (await browser.get(sent.headers["location"])).text
    assert "Filen är borttagen." in after and "Inga uppladdade filer." in after
    # once closed, no button, and a late post says why, with the way back
    again = (await _post(client, f"/api/rounds/{round_id}/files", "Ny.pdf", render.pdf([["Ny"]]))).json()
    assert (
        await client.post(f"/api/rounds/{round_id}/close", json={"compilation": "Klart."})
    ).status_code == 200
    late_action = f"/rounds/{round_id}/files/{again['id']}/delete"
    assert f'action="{late_action}"' not in (await browser.get(f"/rounds/{round_id}")).text
    late = await browser.post(
        late_action, data={CSRF_FIELD: browser.cookies[CSRF_COOKIE]}, follow_redirects=False
    )
    assert late.status_code == 409
    assert "Det gick inte att ta bort filen" in late.text and "den kan inte längre ändras" in late.text
    assert f'href="/rounds/{round_id}#filer"' in late.text
