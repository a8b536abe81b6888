"""Tables of rounds: the round (what is asked, of whom, by when) and each asked party's answer.

Enumerated columns hold the values of the enums in `rounds.rules.model`.
"""

from __future__ import annotations

from piccolo.columns import JSONB, Date, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from lifecycle.tables import Agreement, ProcessStep
from parties.tables import Party, Structure


class Round(Table, tablename="round"):
    id = Serial(primary_key=True)
    structure = ForeignKey(Structure, null=False, on_delete=OnDelete.restrict, index=True)
    # NULL: a round of the whole structure (a survey across its agreements), asking its parties
    agreement = ForeignKey(Agreement, null=True, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=24)
    title = Varchar(length=300)
    instructions = Text(default="")
    links = JSONB(default="[]")  # [{"title": ..., "url": ...}]
    questions = JSONB(default="[]")  # [{"key", "kind", "text", "options"}]
    opened_on = Date()
    reply_by = Date(index=True)
    # what the round stands for in the lifecycle: the remiss step it was opened for, or the
    # follow-up deadline's key ("follow_up_implementation", "follow_up_annual:2027")
    process_step = ForeignKey(ProcessStep, null=True, default=None, on_delete=OnDelete.set_null, index=True)
    follow_up_key = Varchar(length=40, null=True, default=None)
    closed_on = Date(null=True, default=None)
    compilation = Text(default="")
    compilation_links = JSONB(default="[]")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())

    reply_after_opening = Check("reply_by >= opened_on")


class RoundAnswer(Table, tablename="round_answer"):
    """One asked party's answer; the audit trail keeps every version of it."""

    id = Serial(primary_key=True)
    round = ForeignKey(Round, null=False, on_delete=OnDelete.cascade, index=True)
    party = ForeignKey(Party, null=False, on_delete=OnDelete.restrict, index=True)
    state = Varchar(length=12, default="not_started")
    answers = JSONB(default="{}")  # question key → value
    comment = Text(default="")
    links = JSONB(default="[]")
    decided_body = Varchar(length=200, default="")
    decided_paragraph = Varchar(length=20, default="")
    decided_case_number = Varchar(length=60, default="")
    decided_on = Date(null=True, default=None)
    saved_at = Timestamptz(null=True, default=None)
    submitted_at = Timestamptz(null=True, default=None)
    submitted_by = Varchar(length=200, default="")
    version = Integer(default=0)  # bumped by every save

    one_answer_per_party = Unique(["round", "party"])


class RoundPolicy(Table, tablename="round_policy"):
    """A structure's lead time for follow-up rounds: how many weeks before a follow-up's date the
    daily run opens its round (rounds.services.follow_up_rounds); no row: the default, four weeks."""

    structure = ForeignKey(Structure, null=False, on_delete=OnDelete.cascade, unique=True)
    follow_up_weeks = Integer()
    updated_at = Timestamptz(default=TimestamptzNow())

    round_policy_weeks = Check("follow_up_weeks BETWEEN 1 AND 26")
