"""The demo register's documents: the seeds' texts searchable at once, a demo revision whose
comparison shows the changed paragraphs, and loading again adds nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from core.clock import freeze
from documents.compare import compare_versions
from documents.demo import load_demo_documents, revised, seed_paragraphs
from documents.search import search_register
from documents.tables import Document
from lifecycle.demo import demo_references, load_demo
from lifecycle.services.agreements import get_agreement
from parties.tables import Contact

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
async def demo() -> AsyncIterator[dict[str, int]]:
    """The demo register with its documents; the registrator addresses it adds go again
    afterwards (the reminder tests expect their parties to have only their own)."""
    before = {r["id"] for r in await Contact.select(Contact.id)}
    with freeze(TODAY):
        await load_demo()
        summary = await load_demo_documents()
    assert summary.startswith("Demo documents: ")
    yield await demo_references(
        ["VM-ALDRE-2018", "VM-ALDRE-2027", "VM-PSYK-2018", "OR-PRINCIPER-2025", "VG-HOS-2023-B4"]
    )
    added = [r["id"] for r in await Contact.select(Contact.id) if r["id"] not in before]
    if added:
        await Contact.delete().where(Contact.id.is_in(added))


async def test_every_seed_text_is_read_and_searchable_with_its_page(demo):
    rows = await Document.select(Document.agreement, Document.kind, Document.state).where(
        Document.agreement.is_in(list(demo.values()))
    )
    assert {(r["kind"], r["state"]) for r in rows} == {("pdf", "done"), ("docx", "done"), ("odt", "done")}
    # "lokala ledningsgrupperna" is in seed 000's text, on the PDF's later pages, not in the register
    hits = {h.agreement.id: h for h in await search_register("Chefsforums representanter")}
    assert demo["VM-ALDRE-2018"] in hits
    where = hits[demo["VM-ALDRE-2018"]].text
    assert where.page > 1 and where.url.endswith(f"#page={where.page}")
    # the ODT (Örebro) and the DOCX (munhälsa annex) are found too
    assert demo["OR-PRINCIPER-2025"] in {h.agreement.id for h in await search_register("Ädelreformen")}
    assert demo["VG-HOS-2023-B4"] in {h.agreement.id for h in await search_register("intygsutfärdare")}


async def test_the_demo_revision_shows_the_changed_paragraphs(demo):
    result = await compare_versions(demo["VM-ALDRE-2027"])
    assert (result.old.id, result.new.id) == (demo["VM-ALDRE-2018"], demo["VM-ALDRE-2027"])
    # four edits in a text of about a hundred paragraphs: only where they are is anything marked
    # (two share § 12's paragraph; the reference list's long paragraph may re-wrap into two)
    assert result.counts["changed"] >= 3 and result.counts["same"] >= len(result.paragraphs) - 5
    added = " ".join(
        [w.text for p in result.paragraphs for w in p.words if w.change == "added"]
        + [p.new for p in result.paragraphs if p.change == "added"]
    )
    removed = " ".join(
        [w.text for p in result.paragraphs for w in p.words if w.change == "removed"]
        + [p.old for p in result.paragraphs if p.change == "removed"]
    )
    assert added.count("(2025:400)") == 2 and removed.count("(2001:453)") == 2
    assert "reviderade" in added and "Uppsägningen ska vara skriftlig" in added


async def test_the_revision_no_longer_warns_about_the_replaced_socialtjanstlag(demo):
    old = await get_agreement(demo["VM-ALDRE-2018"])
    new = await get_agreement(demo["VM-ALDRE-2027"])
    assert "cites_replaced_law:2001:453" in [w.key for w in old.warnings]
    assert "cites_replaced_law:2001:453" not in [w.key for w in new.warnings]


async def test_the_revision_applies_from_the_day_its_text_says(demo):
    # "Denna reviderade överenskommelse gäller från och med 1 januari 2027": a draft with a day
    # still to come, so no party is said to be missing from an agreement already in force
    with freeze(TODAY):
        new = await get_agreement(demo["VM-ALDRE-2027"])
    assert (new.term.start, new.entry_fixed_date) == (date(2027, 1, 1), date(2027, 1, 1))
    assert [w.key for w in new.warnings] == []


async def test_loading_the_demo_documents_again_adds_nothing(demo):
    with freeze(TODAY):
        assert await load_demo_documents() == "Demo documents: 0 documents added (text read), 1 revisions."


def test_seed_lines_become_paragraphs_at_headings_and_sentence_ends():
    seed = (
        "1 Parter \n\nMellan regionen och \n\nkommunen gäller detta. \n\n"
        "Nästa stycke börjar här och fort-\n\nsätter."
    )
    assert seed_paragraphs(seed) == [
        "1 Parter",
        "Mellan regionen och kommunen gäller detta.",
        "Nästa stycke börjar här och fortsätter.",
    ]


def test_a_revision_edit_must_occur_exactly_once():
    with pytest.raises(ValueError, match="exactly once"):
        revised("a a", [{"old": "a", "new": "b"}])
