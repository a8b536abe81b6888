"""The demo register's documents (demo_documents.toml): the seeds' agreement texts as files,
uploaded and read through the services, and a demo revision to compare.

Idempotent: a document already on its agreement (by its title: a file written again differs in
its timestamps, so its SHA-256 does) and a revision whose reference is registered are skipped.
The text is read here at once (the extraction service, as the worker runs it), so a newcomer can
search the text without waiting for a worker.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import msgspec

from audit.trail import Actor
from documents import render, services
from documents.tables import Document
from lifecycle.demo import demo_references
from lifecycle.services.agreements import new_version, update_agreement
from lifecycle.tables import Agreement
from lifecycle.views import AgreementPatch

ACTOR = Actor.system("demo")
RENDER = {"pdf": render.pdf, "docx": render.docx, "odt": render.odt}
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "odt": ".odt"}
_HEADING = re.compile(r"^(\d+(\.\d+)*\.?\s+\S|•|-\s|Del [ABC]\b|Bilaga\b)")
HEADING_LENGTH = 60  # a short line that ends no sentence is a heading of its own


def read() -> dict:
    return tomllib.loads(resources.files("documents").joinpath("demo_documents.toml").read_text("utf-8"))


def text(name: str) -> str:
    return resources.files("documents").joinpath("demo_texts", name).read_text("utf-8")


def seed_paragraphs(seed: str) -> list[str]:
    """The seeds' text (one line per printed line, blank lines between them) as paragraphs: a
    line that ends a sentence, a heading or a bullet ends its paragraph."""
    paragraphs: list[list[str]] = []
    previous = ""
    for raw in seed.splitlines():
        line = raw.strip()
        if not line:
            continue
        starts = (
            not paragraphs
            or _HEADING.match(line)
            or previous.endswith((".", ":", "!", "?"))
            or (len(previous) < HEADING_LENGTH and not previous.endswith((",", "-", "och", "eller")))
        )
        if starts:
            paragraphs.append([line])
        elif previous.endswith("-") and not previous.endswith(" -"):
            paragraphs[-1][-1] = previous[:-1] + line  # a word split at the line's end
        else:
            paragraphs[-1].append(line)
        previous = paragraphs[-1][-1]
    return [" ".join(p) for p in paragraphs]


def revised(seed: str, edits: list[dict]) -> str:
    for edit in edits:
        if seed.count(edit["old"]) != 1:
            raise ValueError(f"demo revision: {edit['old']!r} must occur exactly once in the text")
        seed = seed.replace(edit["old"], edit["new"])
    return seed


async def _upload(agreement_id: int, spec: dict, seed: str) -> bool:
    if await Document.exists().where(
        (Document.agreement == agreement_id) & (Document.title == spec["title"])
    ):
        return False  # loaded before
    content = RENDER[spec["format"]](
        [seed_paragraphs(seed)], **({"title": spec["title"]} if spec["format"] == "pdf" else {})
    )
    view = await services.upload(
        agreement_id,
        part=spec.get("part", "text"),
        title=spec["title"],
        filename=re.sub(r"[^\w-]+", "-", spec["title"].lower()).strip("-")[:80] + EXTENSIONS[spec["format"]],
        declared_type=None,
        content=content,
        actor=ACTOR,
    )
    await services.extract(view.id)
    return True


async def _revision(spec: dict, ids: dict[str, int]) -> int:
    known = await demo_references([spec["reference"]])
    if spec["reference"] in known:
        return known[spec["reference"]]
    async with Agreement._meta.db.transaction():
        agreement_id = (await new_version(ids[spec["of"]], actor=ACTOR)).id
        patch = msgspec.convert({**spec.get("patch", {}), "reference": spec["reference"]}, AgreementPatch)
        await update_agreement(agreement_id, patch, actor=ACTOR)
    return agreement_id


async def load_demo_documents() -> str:
    data = read()
    references = [d["agreement"] for d in data["document"]] + [r["of"] for r in data.get("revision", [])]
    ids = await demo_references(references)
    added = 0
    for spec in data["document"]:
        if spec["agreement"] in ids:
            added += await _upload(ids[spec["agreement"]], spec, text(spec["text"]))
    revisions = 0
    for spec in data.get("revision", []):
        if spec["of"] not in ids:
            continue
        agreement_id = await _revision(spec, ids)
        added += await _upload(agreement_id, spec, revised(text(spec["text"]), spec.get("edit", [])))
        revisions += 1
    return f"Demo documents: {added} documents added (text read), {revisions} revisions."
