"""A secretariat uploads an agreement's text on its page; once the worker has read it, the search
page finds a word that is only on its second page, with the page and a link there."""

from __future__ import annotations

import uuid

from documents import render
from tests.e2e.data import agreement, extract, sign_in, user


def test_a_pdf_uploaded_on_the_agreement_page_is_found_by_search_at_its_page(page, server, tmp_path):
    # given an agreement and a secretariat signed in on its page
    with server.api() as api:
        made = agreement(api, title=f"Avtal med text {uuid.uuid4().hex[:6]}")
        secretariat = user(api, "secretariat", structure="vastra-gotaland")
    word = "ord" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:8])
    pdf = tmp_path / "avtalstext.pdf"
    pdf.write_bytes(render.pdf([["Första sidan: parter och syfte."], [f"Andra sidan nämner {word}."]]))
    sign_in(page, secretariat, then=f"/agreements/{made['id']}")
    # when the file is uploaded through the form
    page.get_by_label("Fil").set_input_files(str(pdf))
    page.get_by_label("Titel").fill("Avtalstext i PDF")
    with page.expect_navigation():
        page.get_by_role("button", name="Ladda upp").click()
    # then the page says it is saved and waiting for its text
    assert page.get_by_role("status").filter(has_text="Dokumentet är uppladdat").is_visible()
    assert page.get_by_role("cell", name="Texten läses ut").is_visible()
    # when the worker's task has run
    with server.api() as api:
        documents = api.get(f"/api/agreements/{made['id']}/documents").json()
    assert [d["title"] for d in documents] == ["Avtalstext i PDF"]
    assert extract(documents[0]["id"]) == "done"
    page.reload()
    assert page.get_by_role("cell", name="Texten är utläst").is_visible()
    # then search finds the word on page 2 and links to the file there
    page.goto("/search")
    page.get_by_label("Sök på titel").fill(word)
    page.get_by_role("button", name="Sök", exact=True).click()
    link = page.get_by_role("link", name="Avtalstext i PDF, sidan 2")
    link.wait_for()
    assert link.get_attribute("href") == f"/api/documents/{documents[0]['id']}/file#page=2"
    assert page.locator("mark", has_text=word).count() >= 1
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
