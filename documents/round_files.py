"""Files on a round and on a party's answer: stored and checked as the agreements' documents are
(`services.check_file`: PDF, DOCX or ODT by content, 20 MB), with the audit event in the upload's
(or the removal's) transaction. A round's own files (the secretariat's material) are public
records, and so are a submitted or declined answer's; a draft's files are the party's own, as its
content is (docs/rounds.md "Privacy"): `visible` says which a reader may see."""

from __future__ import annotations

from audit.trail import Actor, record
from core.clock import now
from core.errors import Conflict, NotFound
from documents.services import check_file
from documents.tables import RoundFile
from documents.views import RoundFileView
from rounds.rules.model import ANSWERED, AnswerState
from rounds.rules.rounds import check_open
from rounds.services.load import load
from rounds.tables import Round

_COLUMNS = """f.id, f.round AS round_id, p.code AS party_code, x.state AS answer_state, f.title,
    f.filename, f.kind, f.media_type, f.size, f.sha256, f.uploaded_at, f.uploaded_by"""
_FILES = f"""
SELECT {_COLUMNS}
FROM round_file f LEFT JOIN round_answer x ON x.id = f.answer LEFT JOIN party p ON p.id = x.party
WHERE f.round = {{}} ORDER BY p.code NULLS FIRST, f.uploaded_at, f.id
"""
_ONE = """
FROM round_file f LEFT JOIN round_answer x ON x.id = f.answer LEFT JOIN party p ON p.id = x.party
WHERE f.round = {} AND f.id = {}
"""
_FILE_RECORD = f"SELECT {_COLUMNS} {_ONE}"
_FILE = f"SELECT {_COLUMNS}, f.content {_ONE}"


def file_url(round_id: int, file_id: int) -> str:
    return f"/api/rounds/{round_id}/files/{file_id}"


def _view(row: dict) -> RoundFileView:
    return RoundFileView(
        id=row["id"],
        round_id=row["round_id"],
        party_code=row["party_code"],
        title=row["title"],
        filename=row["filename"],
        kind=row["kind"],
        media_type=row["media_type"],
        size=row["size"],
        sha256=row["sha256"],
        uploaded_at=row["uploaded_at"],
        uploaded_by=row["uploaded_by"],
        url=file_url(row["round_id"], row["id"]),
    )


def is_public(party_code: str | None, answer_state: str | None) -> bool:
    """A round's own file, or one of an answer that is submitted or declined."""
    return party_code is None or AnswerState(answer_state) in ANSWERED


async def upload(
    round_id: int,
    party_code: str | None,
    *,
    title: str,
    filename: str,
    declared_type: str | None,
    content: bytes,
    actor: Actor,
) -> RoundFileView:
    """Store a file on the round (`party_code` None) or on that party's answer, while it is open."""
    checked = check_file(filename, declared_type, content, title)
    async with RoundFile._meta.db.transaction():
        loaded = await load(round_id, lock=True)
        check_open(loaded.facts)
        answer_id = loaded.answer_row(party_code)["id"] if party_code else None
        owner = (RoundFile.answer == answer_id) if answer_id else RoundFile.answer.is_null()
        if await RoundFile.exists().where(
            (RoundFile.round == round_id) & owner & (RoundFile.sha256 == checked.sha256)
        ):
            where = "svaret" if party_code else "rundan"
            raise Conflict(f"Samma fil finns redan på {where}.", field="file")
        stamp = now()
        inserted = await RoundFile.insert(
            RoundFile(
                round=round_id,
                answer=answer_id,
                title=checked.title,
                filename=checked.name,
                kind=checked.sniffed.kind.value,
                media_type=checked.sniffed.media_type,
                size=len(content),
                sha256=checked.sha256,
                content=content,
                uploaded_at=stamp,
                uploaded_by=actor.label[:200],
            )
        ).returning(RoundFile.id)
        file_id = inserted[0]["id"]
        view = _view(
            {
                "id": file_id,
                "round_id": round_id,
                "party_code": party_code,
                "title": checked.title,
                "filename": checked.name,
                "kind": checked.sniffed.kind.value,
                "media_type": checked.sniffed.media_type,
                "size": len(content),
                "sha256": checked.sha256,
                "uploaded_at": stamp,
                "uploaded_by": actor.label[:200],
            }
        )
        await record(
            actor, "create", "round_file", file_id, agreement_id=loaded.row["agreement"], after=_audited(view)
        )
    return view


def _audited(view: RoundFileView) -> dict:
    """What the audit trail keeps of a file: its record, never its bytes."""
    return {
        "round": view.round_id,
        "party_code": view.party_code,
        "title": view.title,
        "filename": view.filename,
        "kind": view.kind,
        "size": view.size,
        "sha256": view.sha256,
    }


async def delete(round_id: int, file_id: int, party_code: str | None, *, actor: Actor) -> RoundFileView:
    """Remove a file, its bytes with it, from the round's own material (`party_code` None) or from
    that party's answer, while the round is open: until it closes a submitted answer can still be
    corrected, and its files with it. A file of another answer is not found from this one."""
    async with RoundFile._meta.db.transaction():
        loaded = await load(round_id, lock=True)
        rows = await RoundFile.raw(_FILE_RECORD, round_id, file_id)
        if not rows or rows[0]["party_code"] != party_code:
            where = f"Svaret från part {party_code}" if party_code else f"Rundan {round_id}"
            raise NotFound(f"{where} har ingen fil med id {file_id}.")
        check_open(loaded.facts)
        view = _view(rows[0])
        await RoundFile.delete().where(RoundFile.id == file_id)
        await record(
            actor,
            "delete",
            "round_file",
            file_id,
            agreement_id=loaded.row["agreement"],
            before=_audited(view),
        )
    return view


async def list_files(round_id: int, *, own_party: str | None = None) -> list[RoundFileView]:
    """The round's files everyone may see; with `own_party`, that party's answer's files, a
    draft's included (for whoever answers for it: the route has checked round.answer)."""
    if not await Round.exists().where(Round.id == round_id):  # a 404, not an empty list
        raise NotFound(f"Det finns ingen runda med id {round_id}.")
    rows = await RoundFile.raw(_FILES, round_id)
    if own_party is not None:
        return [_view(r) for r in rows if r["party_code"] == own_party]
    return [_view(r) for r in rows if is_public(r["party_code"], r["answer_state"])]


async def get_file(round_id: int, file_id: int) -> tuple[RoundFileView, bool, bytes]:
    """(the file's record, whether it is public, its bytes)."""
    rows = await RoundFile.raw(_FILE, round_id, file_id)
    if not rows:
        raise NotFound(f"Rundan {round_id} har ingen fil med id {file_id}.")
    row = rows[0]
    return _view(row), is_public(row["party_code"], row["answer_state"]), bytes(row["content"])
