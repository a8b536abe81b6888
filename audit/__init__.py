"""The append-only audit trail: who changed which record when, with before and after.

Every service that creates, updates or deletes calls `record()` inside its own transaction, so a
change and its event are stored together or not at all. The table refuses UPDATE and DELETE at
the database level (a trigger in its migration).
"""
