"""The structure's adoption matrix (page, CSV, XLSX) and Swedish full-text search."""

from __future__ import annotations

import io
import uuid

from openpyxl import load_workbook

from lifecycle.search import search_agreements
from tests.agreements import HARRYDA_ADOPTS, create_agreement, decide, recommend, unique


async def _two_agreements(client) -> tuple[dict, dict]:
    """One with two adoptions, one with none (both recommended)."""
    marker = uuid.uuid4().hex[:6]
    busy = await create_agreement(client, title=f"AAA matris {marker}")
    quiet = await create_agreement(client, title=f"BBB matris {marker}")
    for agreement in (busy, quiet):
        await recommend(client, agreement["id"])
    await decide(client, busy["id"], "1401", HARRYDA_ADOPTS)
    await decide(
        client, busy["id"], "1402", {**HARRYDA_ADOPTS, "outcome": "referred_back", "anslag_date": None}
    )
    return busy, quiet


async def _every_page(client, sort: str) -> str:
    """The matrix's pages in order, joined: other tests' agreements share the structure, so a row
    may be on any page."""
    pages, number = [], 1
    while True:
        response = await client.get(f"/structures/vastra-gotaland?sort={sort}&page={number}")
        assert response.status_code == 200
        pages.append(response.text)
        if 'rel="next"' not in response.text:
            return "".join(pages)
        number += 1


async def test_the_matrix_shows_each_cell_as_text_and_an_abbreviation(client):
    busy, _ = await _two_agreements(client)
    html = await _every_page(client, "title")
    row = html.split(f'href="/agreements/{busy["id"]}"')[1].split("</tr>")[0]
    assert '<span aria-hidden="true">A</span><span class="visually-hidden">Antagen</span>' in row
    assert '<span aria-hidden="true">ÅR</span><span class="visually-hidden">Återremitterad</span>' in row
    assert "1/50" in row
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html


async def test_the_matrix_sorts_on_the_server_by_the_query_parameter(client):
    busy, quiet = await _two_agreements(client)
    by_title = await _every_page(client, "title")
    by_adopted = await _every_page(client, "adopted")
    assert by_title.index(f'/agreements/{busy["id"]}"') < by_title.index(f'/agreements/{quiet["id"]}"')
    assert by_adopted.index(f'/agreements/{busy["id"]}"') < by_adopted.index(f'/agreements/{quiet["id"]}"')
    by_pending = await _every_page(client, "pending")
    assert by_pending.index(f'/agreements/{quiet["id"]}"') < by_pending.index(f'/agreements/{busy["id"]}"')
    # an unknown sort falls back to the title, and HTMX gets the matrix alone
    fragment = await client.get("/structures/vastra-gotaland?sort=nonsense", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and "<table" in fragment.text


async def test_the_matrix_exports_as_csv_for_swedish_excel(client):
    busy, _ = await _two_agreements(client)
    response = await client.get("/structures/vastra-gotaland/matrix.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:3] == ["Överenskommelse", "Beteckning", "Typ"] and "Härryda" in header
    row = next(line.split(";") for line in lines if line.startswith(busy["title"]))
    assert row[header.index("Härryda")] == "Antagen"
    assert row[header.index("Partille")] == "Återremitterad"
    assert row[header.index("Rekommenderad")] == "2022-02-24"


async def test_the_matrix_exports_as_xlsx(client):
    busy, _ = await _two_agreements(client)
    response = await client.get("/structures/vastra-gotaland/matrix.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    row = next(r for r in rows if r[0] == busy["title"])
    assert row[header.index("Härryda")] == "Antagen"
    assert row[header.index("Antagna")] == 1 and row[header.index("Parter")] == 50


async def test_a_structure_that_does_not_exist_is_404(client):
    assert (await client.get("/structures/atlantis")).status_code == 404


async def test_sjukvard_finds_the_health_care_agreement_through_the_compound_word(client):
    # given an agreement titled with the compound "sjukvårdsavtal" and nothing else about it
    marker = uuid.uuid4().hex[:8]
    agreement = await create_agreement(
        client, title=f"Hälso- och sjukvårdsavtal {marker}", summary="", target_group="", law_refs=[]
    )
    # the swedish configuration alone does not split compounds: a plain query misses it
    # (every hit: the session's other agreements about hälso- och sjukvård rank above a title alone)
    hits = await search_agreements("sjukvård", limit=100_000)
    found = next(h for h in hits if h.id == agreement["id"])
    # the prefix query finds it, and marks the word in the snippet
    assert any(p.match and p.text.lower().startswith("sjukvård") for p in found.snippet)
    # a word at the end of the compound is found by the ILIKE fallback
    assert agreement["id"] in [h.id for h in await search_agreements(f"avtal {marker}")]
    # inflections are stemmed: "sjukvården"
    assert agreement["id"] in [h.id for h in await search_agreements("sjukvården", limit=100_000)]


async def test_search_ranks_a_match_as_typed_first_and_honours_an_excluded_word(client):
    marker = uuid.uuid4().hex[:8]
    exact = await create_agreement(
        client, title=f"Hemsjukvård {marker}", summary="Samordnad individuell plan"
    )
    other = await create_agreement(
        client, title=f"Barn och unga {marker}", summary="Hemsjukvårdens ansvar för barn"
    )
    ids = [h.id for h in await search_agreements(f"hemsjukvård {marker}")]
    assert ids.index(exact["id"]) < ids.index(other["id"])
    assert other["id"] not in [h.id for h in await search_agreements(f"hemsjukvård {marker} -barn")]


async def test_the_search_page_shows_hits_with_snippets_and_htmx_gets_the_results_alone(client):
    marker = uuid.uuid4().hex[:8]
    agreement = await create_agreement(client, title=unique(f"Hälso- och sjukvårdsavtal {marker}"))
    page = await client.get(f"/search?q=sjukvård {marker}")
    assert page.status_code == 200
    assert f'href="/agreements/{agreement["id"]}"' in page.text
    assert "<mark>" in page.text and 'role="status"' in page.text
    fragment = await client.get(f"/search?q=sjukvård {marker}", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'hx-swap-oob="innerHTML:#result-count"' in fragment.text
    assert "1 träff" in fragment.text
    empty = await client.get("/search?q=")
    assert empty.status_code == 200 and "träff" not in empty.text


async def test_the_matrix_pages_with_a_total_keeping_the_sort_and_the_exports_hold_every_row(
    client, monkeypatch
):
    from lifecycle.services import matrix

    busy, quiet = await _two_agreements(client)
    monkeypatch.setattr(matrix, "PAGE_SIZE", 2)
    first = await client.get("/structures/vastra-gotaland?sort=pending")
    total = int(first.text.split("Visar 1–2 av ")[1].split(" överenskommelser")[0])
    assert total >= 2
    assert f"Visar 1–2 av {total} överenskommelser (sida 1 av {-(-total // 2)})" in first.text
    assert 'href="/structures/vastra-gotaland?sort=pending&amp;page=2"' in first.text
    assert 'rel="prev"' not in first.text
    # a page past the last shows the last, with a way back and none further
    last = await client.get("/structures/vastra-gotaland?sort=pending&page=100000")
    assert last.status_code == 200 and 'rel="prev"' in last.text and 'rel="next"' not in last.text
    # a page that is no number is a clear 400, not a 500
    assert (await client.get("/structures/vastra-gotaland?page=0")).status_code == 400
    assert (await client.get("/structures/vastra-gotaland?page=en")).status_code == 400
    # and the exports are not paged
    lines = (
        (await client.get("/structures/vastra-gotaland/matrix.csv")).content.decode("utf-8-sig").splitlines()
    )
    assert len(lines) == total + 1
    assert any(line.startswith(busy["title"]) for line in lines)
    assert any(line.startswith(quiet["title"]) for line in lines)
