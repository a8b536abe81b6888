"""Documents through the API: upload with type checks and limits, extraction by the task, search
inside the text with the page, law references seen by the replaced-law warning, and the
comparison of two versions."""

from __future__ import annotations

import hashlib
import uuid

import anyio
import pytest

from documents import render, services
from documents.search import search_register
from tests.agreements import create_agreement, unique

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _word() -> str:
    """A word no other test's document holds (letters only, so the stemmer keeps it whole)."""
    return "ord" + "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid.uuid4().hex[:10])


async def upload(client, agreement_id: int, name: str, content: bytes, media_type: str, **fields):
    return await client.post(
        f"/api/agreements/{agreement_id}/documents",
        files={"file": (name, content, media_type)},
        data={"title": fields.get("title", ""), "part": fields.get("part", "text")},
    )


async def run_task(document_id: int) -> str:
    """The Celery task itself, as a worker runs it (its own loop, in its own thread here)."""
    from workers.tasks import extract_document

    return await anyio.to_thread.run_sync(extract_document.run, document_id)


async def test_a_pdf_is_stored_with_its_hash_and_its_words_are_found_with_the_page_after_one_task_run(client):
    # given an agreement and a PDF whose second page alone holds a word
    agreement = await create_agreement(client)
    word = _word()
    content = render.pdf([["Första sidan om hemsjukvård."], [f"Här står det om {word} i avtalet."]])
    # when it is uploaded
    response = await upload(client, agreement["id"], "Avtal.pdf", content, PDF_TYPE, title="Avtalstext")
    # then it is stored, waiting for its text
    assert response.status_code == 201, response.text
    stored = response.json()
    assert (stored["kind"], stored["state"], stored["size"]) == ("pdf", "waiting", len(content))
    assert stored["sha256"] == hashlib.sha256(content).hexdigest()
    assert (await client.get(stored["url"])).content == content
    assert await search_register(word) == []
    # when the task has run once
    assert await run_task(stored["id"]) == "done"
    # then the document says so, and search finds the word on page 2, linking there
    after = (await client.get(f"/api/documents/{stored['id']}")).json()
    assert (after["state"], after["page_count"], after["scanned_pages"]) == ("done", 2, 0)
    hits = await search_register(word)
    assert [(h.agreement.id, h.text.page, h.text.url) for h in hits] == [
        (agreement["id"], 2, f"/api/documents/{stored['id']}/file#page=2")
    ]
    assert [p.text for p in hits[0].text.snippet if p.match] == [word]
    page = (await client.get("/search", params={"q": word})).text
    assert f'href="/api/documents/{stored["id"]}/file#page=2"' in page and "sidan 2" in page


async def test_a_docx_is_extracted_and_found_by_the_prefix_of_a_compound(client):
    agreement = await create_agreement(client)
    word = _word()
    content = render.docx([[f"Överenskommelsen gäller {word}samverkan mellan huvudmännen."]])
    stored = (await upload(client, agreement["id"], "bilaga.docx", content, DOCX_TYPE, part="annex")).json()
    assert stored["kind"] == "docx" and stored["part"] == "annex"
    assert await run_task(stored["id"]) == "done"
    hits = await search_register(word)
    assert [(h.agreement.id, h.text.page) for h in hits] == [(agreement["id"], 1)]


async def test_a_docx_whose_name_says_pdf_is_refused_and_nothing_is_stored(client):
    agreement = await create_agreement(client)
    response = await upload(client, agreement["id"], "avtal.pdf", render.docx([["Text"]]), PDF_TYPE)
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "Filen 'avtal.pdf' heter som en PDF men är ett Word-dokument (DOCX). "
        "Kontrollera att du valt rätt fil, eller ge den rätt filändelse."
    )
    assert (await client.get(f"/api/agreements/{agreement['id']}/documents")).json() == []


async def test_a_file_that_is_no_document_and_a_missing_file_are_refused_in_swedish(client):
    agreement = await create_agreement(client)
    response = await upload(client, agreement["id"], "avtal.pdf", b"<html>inte en pdf</html>", PDF_TYPE)
    assert response.status_code == 422 and "varken en PDF" in response.json()["detail"]
    missing = await client.post(f"/api/agreements/{agreement['id']}/documents", data={"title": "x"})
    assert missing.status_code == 400
    unknown = await upload(client, 999_999, "a.pdf", render.pdf([["x"]]), PDF_TYPE)
    assert unknown.status_code == 404


async def test_the_same_file_twice_on_one_version_is_a_conflict(client):
    agreement = await create_agreement(client)
    content = render.pdf([[unique("Unik text")]])
    assert (await upload(client, agreement["id"], "a.pdf", content, PDF_TYPE)).status_code == 201
    again = await upload(client, agreement["id"], "b.pdf", content, PDF_TYPE)
    assert again.status_code == 409 and "Samma fil finns redan" in again.json()["detail"]


async def test_a_file_over_the_limit_gets_413_with_the_limit_in_swedish(client, monkeypatch):
    agreement = await create_agreement(client)
    monkeypatch.setattr(services, "MAX_BYTES", 1000)
    response = await upload(client, agreement["id"], "stor.pdf", render.pdf([["x" * 3000]]), PDF_TYPE)
    assert response.status_code == 413
    limit = f"Filen är för stor. Största tillåtna storlek är {services.MAX_MB} MB."
    assert response.json()["detail"] == limit


async def test_a_body_over_the_route_limit_is_refused_before_it_is_read(client):
    from api.documents import MAX_BODY

    agreement = await create_agreement(client)
    response = await client.post(
        f"/api/agreements/{agreement['id']}/documents",
        content=b"x" * (MAX_BODY + 1),
        headers={"content-type": "multipart/form-data; boundary=abc"},
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("Filen är för stor.")


async def test_a_file_sent_without_its_filename_is_a_bad_request_not_an_error(client):
    from api.limits import NOT_TEXT

    agreement = await create_agreement(client)
    boundary = "grans"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\n'.encode()
        + b"\x89PNG\r\n\x1a\n"
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = await client.post(
        f"/api/agreements/{agreement['id']}/documents",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == NOT_TEXT
    assert (await client.get(f"/api/agreements/{agreement['id']}/documents")).json() == []


async def test_a_scanned_pdf_is_marked_as_such(client):
    agreement = await create_agreement(client)
    stored = (await upload(client, agreement["id"], "skannad.pdf", render.scanned_pdf(2), PDF_TYPE)).json()
    assert await run_task(stored["id"]) == "done"
    after = (await client.get(f"/api/documents/{stored['id']}")).json()
    assert (after["page_count"], after["scanned_pages"]) == (2, 2)


async def test_a_broken_pdf_fails_with_its_reason(client):
    agreement = await create_agreement(client)
    stored = (await upload(client, agreement["id"], "trasig.pdf", b"%PDF-1.4\nbroken", PDF_TYPE)).json()
    assert await run_task(stored["id"]) == "failed"
    after = (await client.get(f"/api/documents/{stored['id']}")).json()
    assert after["state"] == "failed" and after["state_reason"].startswith("PDF-filen")


async def test_the_replaced_law_warning_fires_when_only_the_text_cites_sol_2001_453(client):
    # given an agreement whose register fields cite no replaced law
    agreement = await create_agreement(client, law_refs=["Hälso- och sjukvårdslag (2017:30)"])
    kinds = [w["kind"] for w in (await client.get(f"/api/agreements/{agreement['id']}")).json()["warnings"]]
    assert "cites_replaced_law" not in kinds
    # when its text, which names SoL (2001:453), is uploaded and read
    content = render.pdf([["Kommunen ansvarar för insatser enligt SoL (2001:453) 2 kap. 7 §."]])
    stored = (await upload(client, agreement["id"], "avtal.pdf", content, PDF_TYPE)).json()
    await run_task(stored["id"])
    # then the law is offered as found, and the warning fires
    assert (await client.get(f"/api/documents/{stored['id']}")).json()["law_refs"] == ["SoL (2001:453)"]
    warnings = (await client.get(f"/api/agreements/{agreement['id']}")).json()["warnings"]
    replaced = [w["key"] for w in warnings if w["kind"] == "cites_replaced_law"]
    assert replaced == ["cites_replaced_law:2001:453"]
    assert (await client.get(f"/api/agreements/{agreement['id']}")).json()["text_law_refs"] == [
        "SoL (2001:453)"
    ]
    page = (await client.get(f"/agreements/{agreement['id']}")).text
    assert "<dt>Lagrum i avtalstexten</dt><dd>SoL (2001:453) " in page
    # and when the document is removed, the warning goes with it
    assert (await client.delete(f"/api/documents/{stored['id']}")).status_code == 204
    warnings = (await client.get(f"/api/agreements/{agreement['id']}")).json()["warnings"]
    assert [w for w in warnings if w["kind"] == "cites_replaced_law"] == []
    assert (await client.get(f"/api/agreements/{agreement['id']}")).json()["text_law_refs"] == []


async def test_a_revision_shows_its_changed_paragraphs_as_json(client):
    agreement = await create_agreement(client)
    parties = ["1 Parter", "Regionen och kommunerna."]
    old_text = [parties, ["2 Uppsägning", "Sex månaders uppsägningstid gäller."]]
    new_text = [parties, ["2 Uppsägning", "Tre månaders uppsägningstid gäller."]]
    first = (await upload(client, agreement["id"], "v1.docx", render.docx(old_text), DOCX_TYPE)).json()
    await run_task(first["id"])
    revision = (await client.post(f"/api/agreements/{agreement['id']}/versions")).json()
    second = (await upload(client, revision["id"], "v2.docx", render.docx(new_text), DOCX_TYPE)).json()
    # before its text is read, the comparison says what is missing
    waiting = (await client.get(f"/api/agreements/{revision['id']}/comparison")).json()
    assert waiting["new"]["missing"] == "Texten i version 2 är inte utläst ännu (eller kunde inte läsas)."
    assert (waiting["counts"], waiting["paragraphs"]) == (
        {"same": 0, "added": 0, "removed": 0, "changed": 0},
        [],
    )
    await run_task(second["id"])
    result = (await client.get(f"/api/agreements/{revision['id']}/comparison")).json()
    assert (result["old"]["version"], result["new"]["version"]) == (1, 2)
    assert result["counts"] == {"same": 3, "added": 0, "removed": 0, "changed": 1}
    changed = next(p for p in result["paragraphs"] if p["change"] == "changed")
    assert [(w["change"], w["text"].strip()) for w in changed["words"] if w["change"] != "same"] == [
        ("removed", "Sex"),
        ("added", "Tre"),
    ]
    page = (await client.get(f"/agreements/{revision['id']}/comparison")).text
    assert "<del>Sex </del>" in page and "<ins>Tre </ins>" in page


@pytest.mark.parametrize("other", ["0", "999999"])
async def test_a_comparison_with_no_other_version_is_a_clear_422(client, other):
    agreement = await create_agreement(client)
    first = await client.get(f"/api/agreements/{agreement['id']}/comparison")
    assert first.status_code == 422 and "ingen tidigare version" in first.json()["detail"]
    response = await client.get(f"/api/agreements/{agreement['id']}/comparison", params={"with": other})
    assert response.status_code in (400, 422)
