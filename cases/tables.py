"""Tables of samverkansbrister (failure reports): the report, the parties involved and asked,
its state history, and the outbox of e-mails to the reporter and the parties' contacts.

Personal data: `reporter_email` and the free texts are seen only by those handling the report and
cleared by gallring (`cases.rules.retention`); the status link's token is never stored, only its
SHA-256 hash (`cases.links`).
"""

from __future__ import annotations

from piccolo.columns import Array, Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from accounts.tables import User
from lifecycle.tables import Agreement
from parties.tables import Party


class FailureReport(Table, tablename="failure_report"):
    """A samverkansbrist reported by staff under one agreement (seed 004, measure 9)."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.restrict, index=True)
    occurred_on = Date()
    category = Varchar(length=80)
    what_happened = Text(default="")
    consequence = Text(default="")  # what it meant for the patient or client
    reporter_email = Varchar(length=320, null=True, default=None, secret=True)
    token_salt = Varchar(length=32, null=True, default=None, secret=True)  # see cases.links
    token_hash = Varchar(length=64, null=True, default=None, unique=True, secret=True)
    state = Varchar(length=20, default="received", index=True)
    owner = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    conclusion = Text(default="")
    measure = Varchar(length=20, null=True, default=None)
    received_at = Timestamptz(default=TimestamptzNow())
    received_on = Date()  # the Swedish calendar day it came in, for quarters and days to close
    closed_on = Date(null=True, default=None)
    cleared_on = Date(null=True, default=None)  # gallrad: free text and e-mail removed

    failure_report_closed = Check("(state = 'closed') = (closed_on IS NOT NULL)")


class FailureReportParty(Table, tablename="failure_report_party"):
    """A party of the report: named by the reporter as involved, and/or asked for its account."""

    report = ForeignKey(FailureReport, null=False, on_delete=OnDelete.cascade, index=True)
    party = ForeignKey(Party, null=False, on_delete=OnDelete.restrict, index=True)
    involved = Varchar(length=5, default="yes")  # "yes": named by the reporter; "no": added when asked
    asked_on = Date(null=True, default=None)
    answer = Text(default="")
    answered_on = Date(null=True, default=None)
    answered_by = Varchar(length=200, default="")

    failure_report_party_once = Unique(["report", "party"])


class FailureReportState(Table, tablename="failure_report_history"):
    """Each state a report has been in, and since when (the status page's history)."""

    report = ForeignKey(FailureReport, null=False, on_delete=OnDelete.cascade, index=True)
    state = Varchar(length=20)
    since = Date()
    at = Timestamptz(default=TimestamptzNow())


class CaseMessage(Table, tablename="case_message"):
    """The outbox of e-mails about reports: one row per message and recipient, claimed by its unique
    key before it is sent, so a retried task never sends twice (as notifications' `delivery`)."""

    key = Varchar(length=200)
    report = ForeignKey(FailureReport, null=False, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20)  # acknowledgement, state, closed, party_request
    state = Varchar(length=20)  # the report's state the message tells of
    recipient = Varchar(length=320, secret=True)
    party_code = Varchar(length=4, null=True, default=None)
    status = Varchar(length=10, default="pending", index=True)  # pending sending sent failed cancelled
    attempts = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    claimed_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(null=True, default=None)

    case_message_unique_key = Unique(["key"])


class Dispute(Table, tablename="dispute"):
    """A dispute (tvist) between parties of an agreement, raised by a manager of one of them or
    grown from a samverkansbrist (seed 002's report: description, each party's interpretation,
    why they cannot agree). `ladder` is the ladder as it was when raised (JSON: name,
    reply_months, reply_days per level), so a later change of the ladder leaves it as it was."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.restrict, index=True)
    report = ForeignKey(FailureReport, null=True, on_delete=OnDelete.set_null, unique=True)
    raised_by_party = ForeignKey(Party, null=False, on_delete=OnDelete.restrict)
    raised_by = Varchar(length=200, default="")  # the person's name as the audit trail has it
    raised_on = Date()
    description = Text(default="")
    reason = Text(default="")
    ladder = Text(default="[]")
    state = Varchar(length=10, default="open", index=True)  # open resolved decided
    outcome = Text(default="")
    clarification = Text(default="")  # a proposed clarification of the agreement (seed 002)
    closed_on = Date(null=True, default=None)

    dispute_closed = Check("(state = 'open') = (closed_on IS NULL)")


class DisputeParty(Table, tablename="dispute_party"):
    """A party of the dispute with its interpretation of the agreement."""

    dispute = ForeignKey(Dispute, null=False, on_delete=OnDelete.cascade, index=True)
    party = ForeignKey(Party, null=False, on_delete=OnDelete.restrict)
    interpretation = Text(default="")

    dispute_party_once = Unique(["dispute", "party"])


class DisputeLevel(Table, tablename="dispute_level"):
    """A level of the ladder the dispute has reached: since when, who takes part, by when it
    should answer, and what it came to."""

    dispute = ForeignKey(Dispute, null=False, on_delete=OnDelete.cascade, index=True)
    position = Integer()
    name = Varchar(length=120)
    opened_on = Date()
    reply_by = Date()
    parties = Array(Varchar(length=4))  # party codes
    result = Varchar(length=10, null=True, default=None)  # escalated resolved decided
    decided_on = Date(null=True, default=None)
    outcome = Text(default="")

    dispute_level_once = Unique(["dispute", "position"])


class DisputeLadderStep(Table, tablename="dispute_ladder_step"):
    """An agreement's own ladder of levels, when it has one (else its structure's, from
    cases/data/ladders.toml)."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)
    position = Integer()
    name = Varchar(length=120)
    reply_months = Integer(default=0)
    reply_days = Integer(default=0)

    dispute_ladder_step_once = Unique(["agreement", "position"])
