from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T09:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit events cannot be updated, deleted or truncated"


class AuditEvent(Table, tablename="audit_event"):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)

    async def append_only():
        # The trail is evidence: no role, not even the application's, may rewrite it.
        await AuditEvent.raw(
            """
            CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_event is append-only';
            END $$
            """
        )
        await AuditEvent.raw(
            """
            CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
                FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
            """
        )

    async def allow_changes():
        await AuditEvent.raw("DROP TRIGGER audit_event_no_change ON audit_event")
        await AuditEvent.raw("DROP FUNCTION audit_event_append_only()")

    manager.add_raw(append_only)
    manager.add_raw_backwards(allow_changes)
    return manager
