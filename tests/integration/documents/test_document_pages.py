"""The upload form on the agreement page (the same services as the API) and the comparison page."""

from __future__ import annotations

import uuid

import anyio

from documents import render
from documents.search import search_register
from tests.agreements import create_agreement

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def _read(document_id: int) -> str:
    from workers.tasks import extract_document

    return await anyio.to_thread.run_sync(extract_document.run, document_id)


async def test_a_docx_uploaded_through_the_form_is_findable_after_one_task_run(client):
    agreement = await create_agreement(client)
    word = "ord" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:8])
    response = await client.post(
        f"/agreements/{agreement['id']}/documents",
        files={"file": ("bilaga.docx", render.docx([[f"Bilagan nämner {word}."]]), DOCX_TYPE)},
        data={"title": "Bilaga 1", "part": "annex"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/agreements/{agreement['id']}?sparat=dokument#dokument"
    documents = (await client.get(f"/api/agreements/{agreement['id']}/documents")).json()
    assert [(d["title"], d["part"], d["kind"]) for d in documents] == [("Bilaga 1", "annex", "docx")]
    assert await _read(documents[0]["id"]) == "done"
    assert [h.agreement.id for h in await search_register(word)] == [agreement["id"]]
    page = (await client.get(f"/agreements/{agreement['id']}")).text
    assert "Bilaga 1" in page and "Texten är utläst" in page


async def test_a_docx_named_pdf_on_the_form_comes_back_with_the_error_beside_the_field(client):
    agreement = await create_agreement(client)
    response = await client.post(
        f"/agreements/{agreement['id']}/documents",
        files={"file": ("avtal.pdf", render.docx([["Text"]]), "application/pdf")},
        data={"title": "Mitt avtal", "part": "text"},
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert 'id="document-file-error"' in response.text
    assert "heter som en PDF men är ett Word-dokument (DOCX)" in response.text
    assert 'value="Mitt avtal"' in response.text  # what was typed is kept
    assert (await client.get(f"/api/agreements/{agreement['id']}/documents")).json() == []


async def test_the_form_without_a_file_asks_for_one(client):
    agreement = await create_agreement(client)
    response = await client.post(
        f"/agreements/{agreement['id']}/documents",
        files={"file": ("", b"", "application/octet-stream")},
        data={"title": "", "part": "text"},
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert "Välj en fil att ladda upp (PDF, DOCX eller ODT)." in response.text


async def test_the_comparison_page_of_a_first_version_says_there_is_nothing_to_compare(client):
    agreement = await create_agreement(client)
    response = await client.get(f"/agreements/{agreement['id']}/comparison")
    assert response.status_code == 422
    assert "det finns ingen tidigare version att jämföra med" in response.text


async def test_the_comparison_refuses_the_same_version_and_another_agreement_and_shows_a_side_without_text(
    client,
):
    # given two versions without text, and another agreement
    agreement = await create_agreement(client)
    revision = (await client.post(f"/api/agreements/{agreement['id']}/versions")).json()
    other = await create_agreement(client)
    for with_ in (revision["id"], other["id"]):
        # when a version is compared with itself or with another agreement
        api = await client.get(f"/api/agreements/{revision['id']}/comparison", params={"with": with_})
        page = await client.get(f"/agreements/{revision['id']}/comparison", params={"with": with_})
        # then both answer 422, naming the versions there are
        assert api.status_code == 422 and page.status_code == 422
        assert f"Dess andra versioner: {agreement['id']} (version 1)." in api.json()["detail"]
        assert f"Dess andra versioner: {agreement['id']} (version 1)." in page.text
    # when two versions without text are compared, the page says what is missing
    page = await client.get(f"/agreements/{revision['id']}/comparison")
    assert page.status_code == 200
    assert "Version 1 har ingen uppladdad avtalstext." in page.text
    assert "Version 2 har ingen uppladdad avtalstext." in page.text
