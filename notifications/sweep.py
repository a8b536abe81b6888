"""The sweep: what is due today becomes rows in the outbox, in a fixed number of statements.

The same eleven statements whatever the data size: the two that load the policy overrides, then
in one transaction `SET LOCAL jit`, deadline reminders, warning notices, what happened
(notifications.events), giving up on webhook rows a
dying worker left behind after their last attempt, the re-enqueue of webhook rows that should
have been delivered by now, putting the new e-mail rows in digests (notifications.digests), and
the same giving up and re-enqueueing for digests. New rows are claimed by their unique key
(`INSERT ... ON CONFLICT DO NOTHING RETURNING id`): a key that exists already, written by an
earlier or a racing sweep, comes back from no one, so each reminder is enqueued by exactly one
sweep. The caller enqueues
`SweepResult.delivery_ids` (webhook calls) and `SweepResult.digest_ids` (e-mails) after this
returns, i.e. after the commit (docs/reminders.md).

Which reminder of a deadline is due: of the leads in its policy, the latest whose send date has
come (`send_on <= today`), provided the deadline itself has not passed and the send date is at
most `CATCH_UP_DAYS` old. So a missed sweep or a deadline entered late still gets its reminder,
and a reminder that a later one has overtaken is never sent. A row's `send_on` is the day the sweep
sent it (later than the lead's day when it catches up), so its message counts the time left from
that day ("om 5 dagar"), not the lead's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from notifications import digests, events
from notifications import policy as policies
from notifications.delivery import MAX_ATTEMPTS, REENQUEUE_AFTER
from notifications.recipients import (
    DEADLINE_KEY_SQL,
    EVENT_KEY_SQL,
    FOLLOWERS_SQL,
    RECIPIENTS_SQL,
    WANTED_EVENT_SQL,
    WANTED_SQL,
    WARNING_KEY_SQL,
)
from notifications.tables import Channel, Delivery

# How late a reminder may still go out. A month covers a sweep that did not run for weeks and a
# deadline registered after its first reminder date; older reminders have been overtaken by the
# next lead (or the deadline itself) and would only confuse.
CATCH_UP_DAYS = 31
INACTIVE = "('ended', 'withdrawn')"

_INSERT_COLUMNS = (
    "key, source, agreement, deadline, warning, event, kind, lead, send_on, due, party_code, channel, "
    "recipient, recipient_name, reason, subscription, status, attempts, created_at, next_attempt_at"
)

DEADLINES_SQL = f"""
WITH params AS (
    SELECT {{}}::date AS today, {{}}::int AS catch_up, {{}}::int AS max_months, {{}}::int AS max_days,
           make_interval(secs => {{}}) AS reenqueue
), pol AS (
    SELECT * FROM unnest({{}}::text[], {{}}::text[], {{}}::int[], {{}}::int[], {{}}::text[])
        AS p(name, key, months, days, label)
), by_agreement AS (
    SELECT * FROM unnest({{}}::int[], {{}}::text[]) AS x(agreement, name)
), by_structure AS (
    SELECT * FROM unnest({{}}::int[], {{}}::text[]) AS x(structure, name)
), candidates AS (
    -- a structure's deadline (a round of the whole structure) has no agreement: its own structure
    SELECT d.id, d.agreement, coalesce(d.structure, a.structure) AS structure, d.kind, d.due,
           d.party_code, d.notice_months, d.not_for, coalesce(ba.name, bs.name, 'default') AS policy
    FROM deadline d
    CROSS JOIN params
    LEFT JOIN agreement a ON a.id = d.agreement
    LEFT JOIN by_agreement ba ON ba.agreement = d.agreement
    LEFT JOIN by_structure bs ON bs.structure = coalesce(d.structure, a.structure)
    WHERE NOT d.cancelled
      AND d.due >= params.today
      AND d.due <= params.today + make_interval(months => params.max_months, days => params.max_days)
      AND (d.agreement IS NULL OR a.status NOT IN {INACTIVE})
      -- a remiss with an open round: the round reminds each party that has not answered instead
      AND NOT (d.kind = 'consultation_reply' AND EXISTS (
          SELECT 1 FROM round r WHERE r.agreement = d.agreement AND r.process_step IS NOT NULL
                                  AND r.closed_on IS NULL))
), leads AS (
    -- reminders.reminder_dates: a "notice:<months>" entry, when present, wins over "notice"
    SELECT c.*, pol.label, reminder_send_on(c.due, pol.months, pol.days) AS send_on
    FROM candidates c
    JOIN pol ON pol.name = c.policy AND pol.months IS NOT NULL AND pol.key = CASE
        WHEN c.kind = 'notice' AND c.notice_months IS NOT NULL AND EXISTS (
            SELECT 1 FROM pol p2 WHERE p2.name = c.policy AND p2.key = 'notice:' || c.notice_months)
        THEN 'notice:' || c.notice_months ELSE c.kind END
), targets AS (
    SELECT DISTINCT ON (l.id) l.id AS ref, 'deadline'::text AS source, l.agreement, l.structure,
           l.party_code, p.id AS party_id, l.kind, l.due, l.label, l.send_on, l.not_for
    FROM leads l
    CROSS JOIN params
    LEFT JOIN party p ON p.code = l.party_code
    WHERE l.send_on <= params.today AND l.send_on >= params.today - params.catch_up
    ORDER BY l.id, l.send_on DESC, l.label
), recipients AS ({RECIPIENTS_SQL}
), rows AS (
    SELECT {
    DEADLINE_KEY_SQL.format(
        ref="(r.target).ref",
        due="(r.target).due",
        lead="(r.target).label",
        recipient="r.recipient",
        channel="r.channel",
    )
} AS key, r.*
    FROM recipients r
)
INSERT INTO delivery ({_INSERT_COLUMNS})
SELECT DISTINCT ON (rows.key) rows.key, 'deadline', (rows.target).agreement, (rows.target).ref, NULL,
       NULL, (rows.target).kind, (rows.target).label, params.today, (rows.target).due,
       (rows.target).party_code, rows.channel, rows.recipient, rows.recipient_name, rows.reason,
       rows.subscription, 'pending', 0, now(), now() + params.reenqueue
FROM rows CROSS JOIN params
WHERE NOT EXISTS (SELECT 1 FROM delivery x WHERE x.key = rows.key)
  AND {WANTED_SQL.format(row="rows", kind="(rows.target).kind", source="'deadline'")}
ORDER BY rows.key, rows.rank
ON CONFLICT (key) DO NOTHING
RETURNING id, channel
"""

WARNINGS_SQL = f"""
WITH params AS (
    SELECT {{}}::date AS today, make_interval(secs => {{}}) AS reenqueue
), targets AS (
    SELECT w.id AS ref, 'warning'::text AS source, w.agreement, a.structure, w.party_code,
           p.id AS party_id, w.kind, ARRAY[]::varchar[] AS not_for
    FROM validity_warning w
    JOIN agreement a ON a.id = w.agreement
    LEFT JOIN party p ON p.code = w.party_code
    WHERE w.closed_at IS NULL AND a.status NOT IN {INACTIVE}
), recipients AS ({RECIPIENTS_SQL}
), rows AS (
    SELECT {
    WARNING_KEY_SQL.format(ref="(r.target).ref", recipient="r.recipient", channel="r.channel")
} AS key, r.*
    FROM recipients r
)
INSERT INTO delivery ({_INSERT_COLUMNS})
SELECT DISTINCT ON (rows.key) rows.key, 'warning', (rows.target).agreement, NULL, (rows.target).ref,
       NULL, (rows.target).kind, NULL, params.today, NULL, (rows.target).party_code, rows.channel,
       rows.recipient, rows.recipient_name, rows.reason, rows.subscription, 'pending', 0, now(),
       now() + params.reenqueue
FROM rows CROSS JOIN params
WHERE NOT EXISTS (SELECT 1 FROM delivery x WHERE x.key = rows.key)
  AND {WANTED_SQL.format(row="rows", kind="(rows.target).kind", source="'warning'")}
ORDER BY rows.key, rows.rank
ON CONFLICT (key) DO NOTHING
RETURNING id, channel
"""

# What happened (notifications.events): each recent audit event a follower would want to know of,
# once per follower and channel. Ended and withdrawn agreements are left out, as for reminders.
EVENTS_SQL = f"""
WITH params AS (
    SELECT {{}}::date AS today, {{}}::int AS catch_up, make_interval(secs => {{}}) AS reenqueue
), targets AS ({events.TARGETS_SQL}
), recipients AS ({FOLLOWERS_SQL}
), rows AS (
    SELECT {EVENT_KEY_SQL.format(ref="(r.target).ref", recipient="r.recipient", channel="r.channel")} AS key,
           r.*
    FROM recipients r
)
INSERT INTO delivery ({_INSERT_COLUMNS})
SELECT DISTINCT ON (rows.key) rows.key, 'event', (rows.target).agreement, NULL, NULL, (rows.target).ref,
       (rows.target).kind, NULL, params.today, (rows.target).day, (rows.target).party_code, rows.channel,
       rows.recipient, rows.recipient_name, rows.reason, rows.subscription, 'pending', 0, now(),
       now() + params.reenqueue
FROM rows CROSS JOIN params
WHERE NOT EXISTS (SELECT 1 FROM delivery x WHERE x.key = rows.key)
  AND {WANTED_EVENT_SQL.format(row="rows", at="(rows.target).at")}
ORDER BY rows.key, rows.rank
ON CONFLICT (key) DO NOTHING
RETURNING id, channel
"""

# Rows that should have been delivered by now: never enqueued (the process died between commit
# and enqueue), lost (Redis flushed or failed over), or stuck in 'sending' by a worker that died.
# `next_attempt_at` says when each becomes overdue (see notifications.delivery).
GIVE_UP_SQL = f"""
UPDATE delivery SET status = 'failed',
    last_error = 'Gav upp efter ' || attempts || ' försök: arbetsprocessen avbröts under sändningen.'
WHERE status = 'sending' AND next_attempt_at <= now() AND attempts >= {MAX_ATTEMPTS}
"""
REQUEUE_SQL = """
UPDATE delivery SET next_attempt_at = now() + make_interval(secs => {})
WHERE id IN (
    SELECT id FROM delivery
    WHERE status IN ('pending', 'sending') AND next_attempt_at <= now() AND channel = 'webhook'
    ORDER BY id FOR UPDATE SKIP LOCKED)
RETURNING id
"""


@dataclass(slots=True)
class SweepResult:
    as_of: date
    deadline_deliveries: list[int] = field(default_factory=list)
    warning_deliveries: list[int] = field(default_factory=list)
    event_deliveries: list[int] = field(default_factory=list)
    webhooks: list[int] = field(default_factory=list)  # new webhook rows, each sent on its own
    requeued: list[int] = field(default_factory=list)
    digests: list[int] = field(default_factory=list)  # new digests
    requeued_digests: list[int] = field(default_factory=list)

    @property
    def delivery_ids(self) -> list[int]:
        """The webhook rows to enqueue once the sweep has committed (e-mail rows go in digests)."""
        return sorted({*self.webhooks, *self.requeued})

    @property
    def digest_ids(self) -> list[int]:
        """The digests to enqueue once the sweep has committed."""
        return sorted({*self.digests, *self.requeued_digests})

    def counts(self) -> dict[str, int | str]:
        return {
            "as_of": self.as_of.isoformat(),
            "deadline_deliveries": len(self.deadline_deliveries),
            "warning_deliveries": len(self.warning_deliveries),
            "event_deliveries": len(self.event_deliveries),
            "requeued": len(self.requeued),
            "digests": len(self.digests),
            "requeued_digests": len(self.requeued_digests),
        }


async def sweep(today: date, *, with_digests: bool = True) -> SweepResult:
    """Write the outbox rows due on `today` and put the e-mail ones in digests; return the ids to
    enqueue. Safe to run concurrently and repeatedly: a reminder's row is written once, only its
    writer gets its id back, and a row goes into one digest. `with_digests` False makes only the
    messages that go at once (notifications.digests)."""
    rows = await policies.load_rows()
    reenqueue = REENQUEUE_AFTER.total_seconds()
    result = SweepResult(as_of=today)
    async with Delivery._meta.db.transaction():
        # Compiling these plans (PostgreSQL's JIT) costs seconds and saves nothing: the statements
        # touch tens of thousands of rows, not millions (bench/sweep_bench.py, docs/reminders.md).
        await Delivery.raw("SET LOCAL jit = off")
        new = await Delivery.raw(
            DEADLINES_SQL,
            today,
            CATCH_UP_DAYS,
            rows.max_months(),
            rows.max_days(),
            reenqueue,
            rows.name,
            rows.key,
            rows.months,
            rows.days,
            rows.label,
            list(rows.by_agreement),
            list(rows.by_agreement.values()),
            list(rows.by_structure),
            list(rows.by_structure.values()),
        )
        result.deadline_deliveries = [r["id"] for r in new]
        result.webhooks = [r["id"] for r in new if r["channel"] == Channel.WEBHOOK]
        new = await Delivery.raw(WARNINGS_SQL, today, reenqueue)
        result.warning_deliveries = [r["id"] for r in new]
        result.webhooks += [r["id"] for r in new if r["channel"] == Channel.WEBHOOK]
        new = await Delivery.raw(EVENTS_SQL, today, events.EVENT_CATCH_UP_DAYS, reenqueue)
        result.event_deliveries = [r["id"] for r in new]
        result.webhooks += [r["id"] for r in new if r["channel"] == Channel.WEBHOOK]
        await Delivery.raw(GIVE_UP_SQL)
        requeued = await Delivery.raw(REQUEUE_SQL, reenqueue)
        result.requeued = [r["id"] for r in requeued]
        made = await Delivery.raw(digests.ASSEMBLE_SQL, today, with_digests, reenqueue)
        result.digests = [r["id"] for r in made]
        await Delivery.raw(digests.DIGEST_GIVE_UP_SQL, MAX_ATTEMPTS)
        requeued = await Delivery.raw(digests.DIGEST_REQUEUE_SQL, reenqueue)
        result.requeued_digests = [r["id"] for r in requeued]
    return result
