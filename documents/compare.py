"""What a revision changed: the text of two versions of an agreement, compared (documents.rules.diff).

A version's text is the extracted text of its documents marked as the agreement's text (`part`
"text"), in upload order; annexes are documents of their own agreements or marked "annex" and
are not part of it. Two versions compare when they are of the same agreement (one chain of
`supersedes`); by default a version is compared with the one it revises.
"""

from __future__ import annotations

from core.errors import InvalidInput
from documents.rules.diff import compare
from documents.tables import Document, DocumentPage
from documents.views import ComparisonView, ParagraphView, VersionSide, WordsView
from lifecycle.services import agreements


async def _side(agreement_id: int, version: int, title: str) -> tuple[VersionSide, str]:
    documents = (
        await Document.select(Document.id, Document.title, Document.state)
        .where((Document.agreement == agreement_id) & (Document.part == "text"))
        .order_by(Document.id)
    )
    done = [d for d in documents if d["state"] == "done"]
    pages = (
        await DocumentPage.select(DocumentPage.text)
        .where(DocumentPage.document.is_in([d["id"] for d in done]))
        .order_by(DocumentPage.document)
        .order_by(DocumentPage.number)
        if done
        else []
    )
    text = "\n\n".join(p["text"] for p in pages)
    missing = None
    if not documents:
        missing = f"Version {version} har ingen uppladdad avtalstext."
    elif not done:
        missing = f"Texten i version {version} är inte utläst ännu (eller kunde inte läsas)."
    elif not text.strip():
        missing = f"Avtalstexten i version {version} saknar textlager (inskannad)."
    side = VersionSide(
        id=agreement_id, version=version, title=title, documents=[d["title"] for d in done], missing=missing
    )
    return side, text


async def compare_versions(agreement_id: int, other_id: int | None = None) -> ComparisonView:
    """Version `agreement_id` against `other_id` (default: the version it revises); the older of
    the two is the old side."""
    detail = await agreements.get_agreement(agreement_id)
    versions = {v.id: v for v in detail.versions}
    if other_id is None:
        if detail.supersedes_id is None:
            raise InvalidInput(
                f"Version {detail.version} är den första; det finns ingen tidigare version att jämföra med.",
                field="with",
            )
        other_id = detail.supersedes_id
    if other_id not in versions or other_id == agreement_id:
        known = ", ".join(f"{v.id} (version {v.version})" for v in versions.values() if v.id != agreement_id)
        raise InvalidInput(
            f"{other_id} är inte en annan version av den här överenskommelsen. "
            + (f"Dess andra versioner: {known}." if known else "Den har inga andra versioner."),
            field="with",
        )
    old, new = sorted((versions[agreement_id], versions[other_id]), key=lambda v: v.version)
    old_side, old_text = await _side(old.id, old.version, old.title)
    new_side, new_text = await _side(new.id, new.version, new.title)
    # a side without text compares as nothing: every count 0, the same keys as a comparison's
    result = compare("", "") if old_side.missing or new_side.missing else compare(old_text, new_text)
    return ComparisonView(
        old=old_side,
        new=new_side,
        counts=result.counts,
        paragraphs=[
            ParagraphView(
                change=p.change.value,
                old=p.old,
                new=p.new,
                words=[WordsView(change=w.change.value, text=w.text) for w in p.words],
            )
            for p in result.paragraphs
        ],
    )
