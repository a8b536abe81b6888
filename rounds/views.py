"""The API's shapes for rounds (msgspec Structs, written by hand)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

from lifecycle.views import Link


class QuestionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """kind: text, yes_no, choice (with options), number, scale (1–5)."""

    kind: str
    text: str
    options: list[str] = msgspec.field(default_factory=list)


class StructureRoundIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A round of a whole structure (a survey across its agreements: an årlig redovisning, an
    enkät), `POST /api/structures/{structure}/rounds`. kind: uppfoljning, arlig_redovisning,
    handlingsplan, enkat (a remiss belongs to an agreement's process). `parties`: party codes
    (default: all of the structure's), or `group`: a group of the structure's parties."""

    kind: str
    title: str
    reply_by: date
    instructions: str = ""
    links: list[Link] = msgspec.field(default_factory=list)
    opened_on: date | None = None
    parties: list[str] | None = None
    group: str | None = None  # a group of parties (GET /api/groups): its members among the parties
    questions: list[QuestionIn] = msgspec.field(default_factory=list)


class RoundIn(StructureRoundIn, kw_only=True, forbid_unknown_fields=True):
    """kind: remiss, uppfoljning, arlig_redovisning, handlingsplan, enkat. `parties`: party codes
    (default: all of the agreement's), or `group`: a kommunalförbund's members among them. A
    remiss round records the process's remiss step, unless the remiss step is the current one
    already (then the round belongs to it)."""

    agreement_id: int
    follow_up_key: str | None = None


class RoundPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Only the fields sent change. `questions` replaces the round's questions (keyed q1, q2 ...
    again), only while no party has submitted an answer; a draft keeps its answers to the
    questions whose kind and options stay the same."""

    title: str | None = None
    instructions: str | None = None
    links: list[Link] | None = None
    reply_by: date | None = None
    questions: list[QuestionIn] | None = None


class AnswerIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """state: draft, submitted or declined. `answers`: question key (q1, q2...) → the answer
    (text; true/false or "ja"/"nej"; one of the options; a number; 1–5)."""

    state: str
    answers: dict[str, Any] = msgspec.field(default_factory=dict)
    comment: str = ""
    links: list[Link] = msgspec.field(default_factory=list)
    decided_body: str = ""
    decided_paragraph: str = ""
    decided_case_number: str = ""
    decided_on: date | None = None


class CloseIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    compilation: str
    links: list[Link] = msgspec.field(default_factory=list)
    closed_on: date | None = None


class QuestionView(msgspec.Struct, kw_only=True):
    key: str
    kind: str
    text: str
    options: list[str]


class AnswerView(msgspec.Struct, kw_only=True):
    """One asked party's answer. Its content (answers, comment, links, decided_*) is shown to
    everyone once submitted or declined; a draft's only to the party itself."""

    party_code: str
    party_name: str
    state: str
    late: bool
    answers: dict[str, Any]
    comment: str
    links: list[Link]
    decided_body: str
    decided_paragraph: str
    decided_case_number: str
    decided_on: date | None
    saved_at: datetime | None
    submitted_at: datetime | None
    submitted_by: str
    version: int


class PartyValue(msgspec.Struct, kw_only=True):
    party_code: str
    party_name: str
    value: Any


class QuestionSummaryView(msgspec.Struct, kw_only=True):
    key: str
    kind: str
    text: str
    options: list[str]
    counts: dict[str, int]
    total: str | None
    mean: str | None
    answers: list[PartyValue]


class RoundView(msgspec.Struct, kw_only=True):
    """`agreement_id` and `agreement_title` are null for a round of the whole structure."""

    id: int
    agreement_id: int | None
    agreement_title: str | None
    structure: str
    structure_name: str
    kind: str
    title: str
    instructions: str
    links: list[Link]
    opened_on: date
    reply_by: date
    reply_by_day_off: bool
    questions: list[QuestionView]
    process_step_id: int | None
    follow_up_key: str | None
    closed_on: date | None
    compilation: str
    compilation_links: list[Link]
    asked: int
    answered: int
    counts: dict[str, int]
    late: list[str]
    parties: list[AnswerView]
    summaries: list[QuestionSummaryView]


class RoundItem(msgspec.Struct, kw_only=True):
    """A round in a list; `party_state` when the list is of one party's rounds; no agreement for
    a round of the whole structure."""

    id: int
    agreement_id: int | None
    agreement_title: str | None
    structure: str
    structure_name: str
    kind: str
    title: str
    opened_on: date
    reply_by: date
    reply_by_day_off: bool
    closed_on: date | None
    asked: int
    answered: int
    party_state: str | None = None
    late: bool = False
