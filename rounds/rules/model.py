"""What a round is made of: its kinds, an answer's states, the kinds of question.

A round asks every party of an agreement (or a chosen set of them) for something by a date and
collects each party's answer (DOMAIN.md "Rounds"): the remiss ("varje kommun svarar för sig",
seed 003), the follow-up one year after entry into force (seed 004, measure 6), the annual
follow-ups (seed 002: the survey dialogue by 15 November; seeds 000, 001: each local group's
yearly report), and each kommun's local action plan, revised yearly (seeds 000, 001).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any


class RoundKind(enum.StrEnum):
    REMISS = "remiss"
    FOLLOW_UP = "uppfoljning"
    ANNUAL_REPORT = "arlig_redovisning"
    ACTION_PLAN = "handlingsplan"
    SURVEY = "enkat"


class AnswerState(enum.StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    DECLINED = "declined"  # "avstår"


# A party that submitted or declined has answered: its reminders stop.
ANSWERED = frozenset({AnswerState.SUBMITTED, AnswerState.DECLINED})


class QuestionKind(enum.StrEnum):
    TEXT = "text"
    YES_NO = "yes_no"
    CHOICE = "choice"
    NUMBER = "number"
    SCALE = "scale"  # 1–5


SCALE = range(1, 6)


@dataclass(frozen=True, slots=True)
class Question:
    key: str  # "q1", "q2": stable within the round, the answers' keys
    kind: QuestionKind
    text: str
    options: tuple[str, ...] = ()  # choice only


@dataclass(frozen=True, slots=True)
class Answer:
    """One party's answer as the rules see it."""

    party_code: str
    state: AnswerState
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RoundFacts:
    id: int
    title: str
    kind: RoundKind
    opened_on: date
    reply_by: date
    closed_on: date | None = None
