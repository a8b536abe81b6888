from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T09:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "reminder_send_on() for the sweep, and an index of the outbox's unsent rows"


class Delivery(Table, tablename="delivery"):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)

    async def create():
        # lifecycle.rules.reminders.Lead.send_on in SQL, so the sweep can find what is due in
        # one statement: calendar months back, clamped to the month's end, with the end-of-month
        # convention (a month's last day moves to the target month's last day), then days back.
        # tests/integration/reminders/test_policies.py holds the two to the same answers. Not
        # STRICT: PostgreSQL inlines a SQL function into the query only when it is not (with a
        # CASE body), and the call per row would otherwise dominate the sweep.
        await Delivery.raw(
            """
            CREATE FUNCTION reminder_send_on(date, integer, integer) RETURNS date
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT (CASE
                    WHEN $1 = (date_trunc('month', $1::timestamp) + interval '1 month - 1 day')::date
                    THEN (date_trunc('month', $1::timestamp - make_interval(months => $2))
                          + interval '1 month - 1 day')::date
                    ELSE ($1::timestamp - make_interval(months => $2))::date
                END) - $3
            $$
            """
        )
        # The sweep re-enqueues unsent rows; sent ones are the vast majority and never looked at.
        await Delivery.raw(
            "CREATE INDEX delivery_unsent ON delivery (next_attempt_at) "
            "WHERE status IN ('pending', 'sending')"
        )

    async def drop():
        await Delivery.raw("DROP INDEX delivery_unsent")
        await Delivery.raw("DROP FUNCTION reminder_send_on(date, integer, integer)")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
