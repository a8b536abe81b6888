"""The agreements one decision covers besides the one it is logged on (lifecycle.rules.packages):
loaded and checked, stored in `decision_cover`, and the party's earlier decisions on each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core.errors import Conflict, InvalidInput
from lifecycle import store
from lifecycle.rules.decisions import Decision as RuleDecision
from lifecycle.rules.decisions import check_repeat
from lifecycle.rules.model import AgreementKind, Outcome
from lifecycle.rules.packages import Document, check_package
from lifecycle.rules.swedish import sv_date
from lifecycle.tables import Agreement, DecisionCover
from lifecycle.views import CoveredAgreement

_COVERED = (
    "SELECT a.id, a.title, a.reference, a.kind, a.parent, a.supersedes, s.slug AS structure_slug, "
    "ARRAY(SELECT p.code FROM agreement_party ap JOIN party p ON p.id = ap.party "
    "WHERE ap.agreement = a.id) AS party_codes "
    "FROM agreement a JOIN structure s ON s.id = a.structure WHERE a.id = ANY({}::int[]) "
    "ORDER BY a.id FOR UPDATE OF a"
)


def document(row: dict, parties: Sequence[str] = ()) -> Document:
    return Document(
        id=row["id"],
        title=row["title"],
        reference=row["reference"],
        structure=row["structure_slug"],
        kind=AgreementKind(row["kind"]),
        parent_id=row["parent"],
        supersedes_id=row["supersedes"],
        parties=frozenset(parties),
    )


async def lock(agreement_ids: Sequence[int]) -> None:
    """Lock the agreements a package touches in one order (by id), so two packages logged at once
    over the same documents wait for each other instead of deadlocking."""
    await Agreement.raw(
        "SELECT id FROM agreement WHERE id = ANY({}::int[]) ORDER BY id FOR UPDATE",
        sorted(set(agreement_ids)),
    )


async def covered(
    main: dict, ids: Sequence[int], *, party_code: str, party: str
) -> list[tuple[Document, dict]]:
    """The covered agreements (each as the rule's Document and its row), checked as a package of
    `main` (its row, `checks.agreement_row`) for that party; an unknown id is a 422 too."""
    if not ids:
        return []
    rows = {r["id"]: r for r in await Agreement.raw(_COVERED, list(ids))}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise InvalidInput(f"Det finns ingen överenskommelse med id {missing[0]}.", field="covers")
    found = [(document(rows[i], rows[i]["party_codes"]), rows[i]) for i in ids]
    check_package(document(main), [doc for doc, _ in found], party_code=party_code, party=party)
    return found


def check_covered(
    rule: RuleDecision,
    found: Sequence[tuple[Document, dict]],
    earlier: dict[int, list[dict]],
    *,
    party: str,
    itself: int | None,
    replaces: int | None,
    confirm_new: bool,
    today: date,
) -> None:
    """What `log_decision` asks of the main agreement, asked of each covered one: no other decision
    of the same body at the same meeting, and no silent repeat of a final decision that settles
    the party on it (`decisions.check_repeat`). `itself`: the decision being saved, if stored."""
    for doc, _ in found:
        others = [d for d in earlier.get(doc.id, []) if d["id"] != itself]
        same = next(
            (
                d
                for d in others
                if d["outcome"] != Outcome.PLANNED.value
                and d["body"] == rule.body
                and d["meeting_date"] == rule.meeting_date
            ),
            None,
        )
        if same is not None:
            raise Conflict(
                f"{rule.body} i {party} har redan ett beslut från {sv_date(rule.meeting_date)} om "
                f"{doc.label} (beslut {same['id']}). Ta bort den ur det här beslutet eller rätta "
                "det beslutet.",
                field="covers",
            )
        ids = {d["id"] for d in others}
        try:
            check_repeat(
                rule,
                [(d["id"], store.rule_decision(d)) for d in others],
                party=party,
                replaces=replaces if replaces in ids else None,
                confirm_new=confirm_new,
                today=today,
            )
        except Conflict as exc:
            ref = exc.extra.get("existing_decision")
            raise Conflict(
                f"{party} har redan ett beslut som gäller {doc.label} (beslut {ref}). Ta bort den ur det "
                "här beslutet, rätta beslut "
                f"{ref}, eller ange att det är ett nytt beslut (confirm_new).",
                field="covers",
            ) from None


async def set_covers(decision_id: int, ids: Sequence[int]) -> None:
    await DecisionCover.delete().where(DecisionCover.decision == decision_id)
    if ids:
        await DecisionCover.insert(*(DecisionCover(decision=decision_id, agreement=i) for i in ids))


# What a decision logged on `a` may cover (check_package): its annexes, then the structure's other
# agreements decided by the parties, not versions of it, neither ended nor withdrawn.
_CHOICES = (
    "SELECT x.id, x.reference, x.title, x.parent IS NOT NULL AS annex FROM agreement a "
    "JOIN agreement x ON x.id <> a.id AND (x.parent = a.id OR (x.parent IS NULL "
    "AND x.structure = a.structure AND x.kind = {} AND x.status NOT IN ('ended', 'withdrawn') "
    "AND x.supersedes IS DISTINCT FROM a.id AND a.supersedes IS DISTINCT FROM x.id)) "
    "WHERE a.id = {} AND a.parent IS NULL ORDER BY x.parent IS NULL, x.id"
)


async def choices(agreement_id: int) -> tuple[list[CoveredAgreement], list[CoveredAgreement]]:
    """The annexes and the related documents a decision on the agreement may cover, for the form."""
    rows = await Agreement.raw(_CHOICES, AgreementKind.AGREEMENT.value, agreement_id)
    annexes = [
        CoveredAgreement(id=r["id"], reference=r["reference"], title=r["title"]) for r in rows if r["annex"]
    ]
    related = [
        CoveredAgreement(id=r["id"], reference=r["reference"], title=r["title"])
        for r in rows
        if not r["annex"]
    ]
    return annexes, related
