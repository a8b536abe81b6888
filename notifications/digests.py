"""Digests: each recipient's e-mail rows of the outbox, claimed into one message per day.

The outbox row (`delivery`) stays the record of "this reminder, to this person"; a digest is the
e-mail that carries some of them. `ASSEMBLE_SQL` runs in the sweep's transaction: it locks the
e-mail rows that no digest holds yet, makes at most one digest per recipient and period
(`digest:<recipient>:<period>`, unique), and hands each row to it by setting `delivery.digest`,
once (`WHERE digest IS NULL` on a row locked FOR UPDATE). A digest of that period that already
exists (sent this morning) takes nothing more: the rows wait for the next period's digest. So a
sweep run twice, or two sweeps racing, put each row in exactly one digest, and each recipient gets
at most one digest per period.

The period follows the recipient's preference (notifications.preferences): the day (daily, the
default), the ISO week (weekly), or the row itself (immediately: one message per row). One rule
overrides it: a notice reminder whose notice deadline is at most `FINAL_WEEK_DAYS` days away goes
out at once in a message of its own, whatever the preference, and even when the day's digest has
gone: a missed notice deadline renews the agreement for a whole period (seed 003: three years), so
it must not wait for tomorrow's digest or next week's.

Daily and weekly digests are made only when the caller says the day's refresh has run
(`with_digests`): the morning run (05:15) and the hourly sweeps after `DIGEST_HOUR`. So the
digest holds what the morning refresh found, not what an hourly sweep at 00:07 happened to see.
"""

from __future__ import annotations

from notifications.tables import Frequency

# The final week before a notice deadline: the reminders of the default policy's "7d" and "0d"
# leads (lifecycle.rules.reminders), and any caught-up reminder that late.
FINAL_WEEK_DAYS = 7
# Hourly sweeps make the daily digests from this hour on (Europe/Stockholm), after the daily run
# at 05:15 (workers.schedule) has refreshed every agreement; earlier sweeps only send what must go
# at once.
DIGEST_HOUR = 6
AT_ONCE = "at_once"  # a final-week notice reminder, on its own whatever the preference

ASSEMBLE_SQL = f"""
WITH params AS (
    SELECT {{}}::date AS today, {{}}::bool AS with_digests, make_interval(secs => {{}}) AS reenqueue
), items AS (
    SELECT d.id, d.recipient, d.recipient_name,
           CASE WHEN d.source = 'deadline' AND d.kind = 'notice'
                     AND d.due <= params.today + {FINAL_WEEK_DAYS} THEN '{AT_ONCE}'
                ELSE coalesce(np.frequency, '{Frequency.DAILY}') END AS frequency
    FROM delivery d
    CROSS JOIN params
    LEFT JOIN notification_preference np ON np.email = d.recipient
    WHERE d.channel = 'email' AND d.status = 'pending' AND d.digest IS NULL
    FOR UPDATE OF d SKIP LOCKED
), keyed AS (
    SELECT i.*, CASE i.frequency
               WHEN '{Frequency.DAILY}' THEN to_char(params.today, 'YYYY-MM-DD')
               WHEN '{Frequency.WEEKLY}' THEN to_char(params.today, 'IYYY-"W"IW')
               ELSE 'item:' || i.id END AS period
    FROM items i CROSS JOIN params
    WHERE params.with_digests OR i.frequency IN ('{Frequency.IMMEDIATELY}', '{AT_ONCE}')
), new AS (
    INSERT INTO digest (key, recipient, recipient_name, frequency, period, subject, status, attempts,
                        created_at, next_attempt_at)
    SELECT DISTINCT ON (k.recipient, k.period) 'digest:' || delivery_key_text(k.recipient) || ':' || k.period,
           k.recipient, k.recipient_name, k.frequency, k.period, '', 'pending', 0, now(),
           now() + params.reenqueue
    FROM keyed k CROSS JOIN params
    ORDER BY k.recipient, k.period, k.recipient_name DESC
    ON CONFLICT (key) DO NOTHING
    RETURNING id, recipient, period
), held AS (
    UPDATE delivery d SET digest = new.id
    FROM keyed k JOIN new ON new.recipient = k.recipient AND new.period = k.period
    WHERE d.id = k.id
    RETURNING d.digest
)
SELECT DISTINCT digest AS id FROM held ORDER BY 1
"""

# As for single rows (notifications.sweep): a digest a dying worker left in 'sending' after its
# last attempt is failed with the rows it holds; one that should have been sent by now is
# enqueued again.
DIGEST_GIVE_UP_SQL = """
WITH failed AS (
    UPDATE digest SET status = 'failed',
        last_error = 'Gav upp efter ' || attempts || ' försök: arbetsprocessen avbröts under sändningen.'
    WHERE status = 'sending' AND next_attempt_at <= now() AND attempts >= {}
    RETURNING id, last_error
)
UPDATE delivery d SET status = 'failed', last_error = failed.last_error
FROM failed WHERE d.digest = failed.id AND d.status = 'pending'
"""
DIGEST_REQUEUE_SQL = """
UPDATE digest SET next_attempt_at = now() + make_interval(secs => {})
WHERE id IN (
    SELECT id FROM digest
    WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
    ORDER BY id FOR UPDATE SKIP LOCKED)
RETURNING id
"""
