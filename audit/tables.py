from piccolo.columns import JSONB, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AuditEvent(Table, tablename="audit_event"):
    at = Timestamptz(default=TimestamptzNow(), index=True)
    actor_user_id = Integer(null=True, index=True)
    actor = Varchar(length=200)  # who, as shown: "Anna Berg (clerk 1401)", "system: demo"
    action = Varchar(length=10)  # create | update | delete
    entity = Varchar(length=60)  # table name
    entity_id = Varchar(length=60)
    agreement_id = Integer(null=True, index=True)  # for an agreement's history (Historik)
    before = JSONB(null=True)
    after = JSONB(null=True)
