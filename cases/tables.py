"""Tables of samverkansbrister (failure reports): the report, the parties involved and asked,
its state history, and the outbox of e-mails to the reporter and the parties' contacts.

Personal data: `reporter_email` and the free texts are seen only by those handling the report and
cleared by gallring (`cases.rules.retention`); the status link's token is never stored, only its
SHA-256 hash (`cases.links`).
"""

from __future__ import annotations

from piccolo.columns import Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
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
