"""What the notifications services return: plain structs the API serialises as they are."""

from __future__ import annotations

from datetime import date, datetime

import msgspec


class DeadlineView(msgspec.Struct, kw_only=True):
    """A stored deadline; asked `as_of` a day, one the rules derive that day, with its stored row's
    `id`, `sequence` and `updated_at` (None and 0 when no stored row holds it yet). A structure's
    own deadline (a round of the whole structure) has no agreement: `agreement_id` and
    `agreement_title` are null."""

    id: int | None
    agreement_id: int | None
    agreement_title: str | None
    structure: str
    key: str
    kind: str
    due: date
    party_code: str | None
    title: str
    notice_months: int | None
    # the parties that gave notice and are no longer concerned (an agreement-wide deadline only);
    # asked for one of them (`party=`), the deadline is `cancelled` for it
    not_for: list[str]
    cancelled: bool
    sequence: int
    updated_at: datetime | None


class DeadlinePage(msgspec.Struct, kw_only=True):
    items: list[DeadlineView]
    total: int
    limit: int
    offset: int
    as_of: date | None = None  # the day asked for; None: the stored deadlines as they stand


class WarningView(msgspec.Struct, kw_only=True):
    id: int
    agreement_id: int
    agreement_title: str
    structure: str
    key: str
    kind: str
    party_code: str | None
    message: str
    opened_at: datetime
    closed_at: datetime | None


class WarningPage(msgspec.Struct, kw_only=True):
    items: list[WarningView]
    total: int
    limit: int
    offset: int


class DeliveryView(msgspec.Struct, kw_only=True):
    id: int
    key: str
    source: str
    agreement_id: int | None  # None: a reminder of a structure's deadline
    kind: str
    lead: str | None
    send_on: date
    due: date | None
    party_code: str | None
    channel: str
    recipient: str
    reason: str
    status: str
    attempts: int
    created_at: datetime
    claimed_at: datetime | None
    sent_at: datetime | None
    last_error: str | None


class DeliveryPage(msgspec.Struct, kw_only=True):
    items: list[DeliveryView]
    total: int
    limit: int
    offset: int


class SubscriptionView(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: int
    structure: str | None
    party: str | None
    agreement: int | None
    channel: str
    target: str
    kinds: list[str]
    label: str
    created_at: datetime
    # the webhook's signing secret: shown once, in the answer that created the subscription
    secret: str | None = None


class SweepReport(msgspec.Struct, kw_only=True):
    as_of: date
    refreshed: int
    deadline_deliveries: int
    warning_deliveries: int
    requeued: int
    digests: int  # new digest e-mails, one per recipient at most
    requeued_digests: int
    enqueued: int
