"""Loading a round with its answers (two queries), and the read models made from what was loaded."""

from __future__ import annotations

import json
from datetime import date

from core.errors import NotFound
from lifecycle.views import Link
from rounds.rules.model import ANSWERED, Answer, AnswerState, Question, QuestionKind, RoundFacts, RoundKind
from rounds.rules.rounds import is_late, overview, reply_by_day_off
from rounds.tables import Round
from rounds.views import AnswerView, PartyValue, QuestionSummaryView, QuestionView, RoundItem, RoundView

_ROUND = """
SELECT r.*, a.title AS agreement_title, s.slug AS structure_slug, s.name AS structure_name
FROM round r LEFT JOIN agreement a ON a.id = r.agreement JOIN structure s ON s.id = r.structure
WHERE r.id = {}
"""
_ANSWERS = """
SELECT x.*, p.code AS party_code, p.name AS party_name
FROM round_answer x JOIN party p ON p.id = x.party
WHERE x.round = {} ORDER BY p.name, p.code
"""


class Loaded:
    """A round's row, its questions and its answers' rows, as loaded once."""

    def __init__(self, row: dict, answers: list[dict]) -> None:
        self.row = row
        self.answers = answers
        self.questions = tuple(
            Question(q["key"], QuestionKind(q["kind"]), q["text"], tuple(q.get("options") or ()))
            for q in row["questions"]
        )

    @property
    def facts(self) -> RoundFacts:
        r = self.row
        return RoundFacts(
            r["id"], r["title"], RoundKind(r["kind"]), r["opened_on"], r["reply_by"], r["closed_on"]
        )

    @property
    def scope(self) -> dict:
        """Where the round belongs, as `api.access.authorize` takes it: its agreement, or (a round
        of the whole structure) its structure."""
        if self.row["agreement"] is None:
            return {"structure": self.row["structure_slug"]}
        return {"agreement_id": self.row["agreement"]}

    def rule_answers(self) -> list[Answer]:
        return [Answer(a["party_code"], AnswerState(a["state"]), a["answers"] or {}) for a in self.answers]

    def answer_row(self, party_code: str) -> dict:
        row = next((a for a in self.answers if a["party_code"] == party_code), None)
        if row is None:
            raise NotFound(f"Part {party_code} är inte tillfrågad i rundan ”{self.row['title']}”.")
        return row


async def load(round_id: int, *, lock: bool = False) -> Loaded:
    sql = _ROUND + (" FOR UPDATE OF r" if lock else "")
    rows = await Round.raw(sql, round_id)
    if not rows:
        raise NotFound(f"Det finns ingen runda med id {round_id}.")
    row = rows[0]
    for name in ("questions", "links", "compilation_links"):
        row[name] = _json(row[name])
    answers = await Round.raw(_ANSWERS, round_id)
    for a in answers:
        a["answers"] = _json(a["answers"]) or {}
        a["links"] = _json(a["links"])
    return Loaded(row, answers)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _links(raw) -> list[Link]:
    return [Link(title=x["title"], url=x["url"]) for x in raw or []]


def answer_view(a: dict, reply_by: date, today: date, *, with_content: bool) -> AnswerView:
    state = AnswerState(a["state"])
    show = with_content or state in ANSWERED
    return AnswerView(
        party_code=a["party_code"],
        party_name=a["party_name"],
        state=state.value,
        late=is_late(Answer(a["party_code"], state), reply_by, today),
        answers=a["answers"] if show else {},
        comment=a["comment"] if show else "",
        links=_links(a["links"]) if show else [],
        decided_body=a["decided_body"] if show else "",
        decided_paragraph=a["decided_paragraph"] if show else "",
        decided_case_number=a["decided_case_number"] if show else "",
        decided_on=a["decided_on"] if show else None,
        saved_at=a["saved_at"] if show else None,
        submitted_at=a["submitted_at"],
        submitted_by=a["submitted_by"],
        version=a["version"],
    )


def round_view(loaded: Loaded, today: date) -> RoundView:
    """The round as everyone may read it: drafts' content left out."""
    r = loaded.row
    summary = overview(loaded.questions, loaded.rule_answers(), r["reply_by"], today)
    names = {a["party_code"]: a["party_name"] for a in loaded.answers}
    return RoundView(
        id=r["id"],
        agreement_id=r["agreement"],
        agreement_title=r["agreement_title"],
        structure=r["structure_slug"],
        structure_name=r["structure_name"],
        kind=r["kind"],
        title=r["title"],
        instructions=r["instructions"],
        links=_links(r["links"]),
        opened_on=r["opened_on"],
        reply_by=r["reply_by"],
        reply_by_day_off=reply_by_day_off(r["reply_by"]),
        questions=[
            QuestionView(key=q.key, kind=q.kind.value, text=q.text, options=list(q.options))
            for q in loaded.questions
        ],
        process_step_id=r["process_step"],
        follow_up_key=r["follow_up_key"],
        closed_on=r["closed_on"],
        compilation=r["compilation"],
        compilation_links=_links(r["compilation_links"]),
        asked=summary.asked,
        answered=summary.answered,
        counts={s.value: n for s, n in summary.counts.items()},
        late=list(summary.late),
        parties=[answer_view(a, r["reply_by"], today, with_content=False) for a in loaded.answers],
        summaries=[
            QuestionSummaryView(
                key=s.question.key,
                kind=s.question.kind.value,
                text=s.question.text,
                options=list(s.question.options),
                counts=s.counts,
                total=None if s.total is None else str(s.total),
                mean=None if s.mean is None else str(s.mean),
                answers=[
                    PartyValue(party_code=c, party_name=names[c], value=v) for c, v in s.by_party.items()
                ],
            )
            for s in summary.questions
        ],
    )


# Arguments, in order: party, agreement (twice), structure (twice), whole_structure, open_only,
# party (twice).
_LIST = """
SELECT r.id, r.agreement, a.title AS agreement_title, s.slug AS structure, s.name AS structure_name,
       r.kind, r.title, r.opened_on, r.reply_by, r.closed_on,
       count(x.id) AS asked, count(x.id) FILTER (WHERE x.state IN ('submitted', 'declined')) AS answered,
       max(x.state) FILTER (WHERE p.code = {}::text) AS party_state
FROM round r LEFT JOIN agreement a ON a.id = r.agreement JOIN structure s ON s.id = r.structure
LEFT JOIN round_answer x ON x.round = r.id LEFT JOIN party p ON p.id = x.party
WHERE ({}::int IS NULL OR r.agreement = {}::int)
  AND ({}::text IS NULL OR s.slug = {}::text)
  AND ({}::bool IS NOT TRUE OR r.agreement IS NULL)
  AND ({}::bool IS NOT TRUE OR r.closed_on IS NULL)
GROUP BY r.id, a.title, s.slug, s.name
HAVING {}::text IS NULL OR bool_or(p.code = {}::text)
ORDER BY r.closed_on IS NOT NULL, r.reply_by, r.id
"""


async def list_rounds(
    *,
    agreement_id: int | None = None,
    party: str | None = None,
    structure: str | None = None,
    whole_structure: bool = False,
    open_only: bool = False,
    today: date,
) -> list[RoundItem]:
    """`whole_structure`: only the rounds of the whole structure (no agreement's)."""
    rows = await Round.raw(
        _LIST,
        party,
        agreement_id,
        agreement_id,
        structure,
        structure,
        whole_structure,
        open_only,
        party,
        party,
    )
    return [
        RoundItem(
            id=r["id"],
            agreement_id=r["agreement"],
            agreement_title=r["agreement_title"],
            structure=r["structure"],
            structure_name=r["structure_name"],
            kind=r["kind"],
            title=r["title"],
            opened_on=r["opened_on"],
            reply_by=r["reply_by"],
            reply_by_day_off=reply_by_day_off(r["reply_by"]),
            closed_on=r["closed_on"],
            asked=r["asked"],
            answered=r["answered"],
            party_state=r["party_state"] if party else None,
            late=bool(
                party
                and r["closed_on"] is None
                and is_late(Answer(party, AnswerState(r["party_state"])), r["reply_by"], today)
            ),
        )
        for r in rows
    ]
