"""Deadlines to reminders: e-mail and webhook senders, iCalendar rendering."""
