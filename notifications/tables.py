"""Tables of the notifications app: reminder policies, subscriptions and the delivery outbox.

The outbox (`delivery`) is the record of every reminder: one row per (deadline or warning, lead,
recipient, channel), claimed by its unique `key` before anything is sent (docs/reminders.md).
Redis only carries the ids of rows to deliver; losing it loses nothing.
"""

from __future__ import annotations

import enum

from piccolo.columns import (
    JSONB,
    Array,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from lifecycle.tables import Agreement, StoredDeadline, StoredWarning
from parties.tables import Party, Structure


class Channel(enum.StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # written by a sweep, waiting for a worker
    SENDING = "sending"  # claimed by a worker (re-claimable once `claimed_at` is stale)
    SENT = "sent"
    FAILED = "failed"  # permanently, or out of attempts: `last_error` says why
    CANCELLED = "cancelled"  # its deadline or warning went away before it was sent


class Source(enum.StrEnum):
    DEADLINE = "deadline"
    WARNING = "warning"
    EVENT = "event"  # something that happened (notifications.events), from the audit trail


class StructurePolicy(Table, tablename="reminder_policy"):
    """A structure's overrides of the default lead times (`lifecycle.rules.reminders`).

    `policy` maps a deadline kind (or "notice:<months>") to lead labels, e.g.
    {"notice": ["6m", "1m", "7d", "0d"], "planned_meeting": []}; an empty list turns a kind off.
    """

    structure = ForeignKey(Structure, null=False, on_delete=OnDelete.cascade, unique=True)
    policy = JSONB(default="{}")
    updated_at = Timestamptz(default=TimestamptzNow())


class Subscription(Table, tablename="subscription"):
    """Someone outside the contact lists who wants the reminders of a structure, party or agreement.

    `kinds` filters by deadline kind or warning kind; empty means all of them.
    """

    structure = ForeignKey(Structure, null=True, on_delete=OnDelete.cascade, index=True)
    party = ForeignKey(Party, null=True, on_delete=OnDelete.cascade, index=True)
    agreement = ForeignKey(Agreement, null=True, on_delete=OnDelete.cascade, index=True)
    channel = Varchar(length=10, choices=Channel)
    target = Varchar(length=2000)  # an e-mail address or an http(s) URL
    secret = Varchar(length=200, null=True, default=None, secret=True)  # webhooks' HMAC key
    kinds = Array(base_column=Varchar(length=40), default=list)
    label = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())

    subscription_one_scope = Check("num_nonnulls(structure, party, agreement) = 1")
    subscription_webhook_secret = Check("(channel = 'webhook') = (secret IS NOT NULL)")
    subscription_unique_target = Unique(
        ["structure", "party", "agreement", "channel", "target"], nulls_distinct=False
    )


class Frequency(enum.StrEnum):
    IMMEDIATELY = "immediately"  # each reminder in a message of its own, at once
    DAILY = "daily"  # one digest a day (the default)
    WEEKLY = "weekly"  # one digest a week


class Preference(Table, tablename="notification_preference"):
    """What one e-mail address wants: how often, which kinds, or nothing at all.

    Keyed by the lower-cased address, because recipients are contacts, stewards and subscribers
    as well as users; an address without a row gets the daily digest of every kind.
    """

    email = Varchar(length=254, unique=True)
    frequency = Varchar(length=12, default="daily", choices=Frequency)
    kinds = Array(base_column=Varchar(length=40), default=list)  # empty: every kind
    unsubscribed_at = Timestamptz(null=True, default=None)
    # "What happened" (notifications.events) is off by default; from when it was switched on, so
    # switching it on does not send the past week's events at once
    events_from = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class PartyUnfollow(Table, tablename="party_unfollow"):
    """A clerk who stopped following its party. A clerk follows its party by default (the sweep
    counts the users with the role `clerk` among the party's recipients, notifications.recipients);
    this row, keyed by the account's lower-cased address like the preferences, keeps it unfollowed,
    also through a role granted again, until the clerk follows the party again."""

    email = Varchar(length=254)
    party = ForeignKey(Party, null=False, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())

    party_unfollow_once = Unique(["email", "party"])


class Digest(Table, tablename="digest"):
    """One e-mail to one recipient holding one or more outbox rows (`delivery.digest`).

    Its `key` ("digest:<recipient>:<period>") is unique, so a recipient gets at most one digest per
    day (or week); the rows it holds were claimed into it once (docs/reminders.md).
    """

    key = Text()
    recipient = Varchar(length=2000)
    recipient_name = Varchar(length=200, default="")
    frequency = Varchar(length=12, choices=Frequency)
    period = Varchar(length=40)  # 2027-12-31, 2027-W52, or the delivery key of a message on its own
    subject = Text(default="")  # what the e-mail said it was about, once sent
    status = Varchar(length=10, default="pending", choices=DeliveryStatus, index=True)
    attempts = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    claimed_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(null=True, default=None)

    digest_unique_key = Unique(["key"])


class Delivery(Table, tablename="delivery"):
    """The outbox: one reminder to one recipient over one channel, and what became of it. An
    e-mail row is sent within a digest (`digest`), a webhook row on its own."""

    key = Text()
    source = Varchar(length=10, choices=Source)
    # NULL for a structure's deadline (a round of the whole structure): its deadline names the structure
    agreement = ForeignKey(Agreement, null=True, on_delete=OnDelete.cascade, index=True)
    deadline = ForeignKey(StoredDeadline, null=True, on_delete=OnDelete.cascade, index=True)
    warning = ForeignKey(StoredWarning, null=True, on_delete=OnDelete.cascade, index=True)
    # an event's audit event (audit_event.id): no foreign key, since the trail is append-only and
    # must stay truncate-proof (audit's migrations), and an event never goes away
    event = Integer(null=True, default=None, index=True)
    kind = Varchar(length=40)
    lead = Varchar(length=12, null=True, default=None)  # a Lead label; warnings have none
    send_on = Date()
    due = Date(null=True, default=None)  # the deadline's date when the row was written; an event's day
    party_code = Varchar(length=4, null=True, default=None)
    channel = Varchar(length=10, choices=Channel)
    recipient = Varchar(length=2000)
    recipient_name = Varchar(length=200, default="")
    reason = Varchar(length=20)  # why they get it: registrator, clerk, secretariat, steward, subscription
    subscription = ForeignKey(Subscription, null=True, on_delete=OnDelete.set_null)
    digest = ForeignKey(Digest, null=True, on_delete=OnDelete.set_null, index=True)
    status = Varchar(length=10, default="pending", choices=DeliveryStatus, index=True)
    attempts = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    claimed_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(null=True, default=None)

    delivery_unique_key = Unique(["key"])
    delivery_source_ref = Check(
        "(source = 'deadline' AND deadline IS NOT NULL AND warning IS NULL AND event IS NULL) OR "
        "(source = 'warning' AND warning IS NOT NULL AND deadline IS NULL AND event IS NULL) OR "
        "(source = 'event' AND event IS NOT NULL AND deadline IS NULL AND warning IS NULL)"
    )
