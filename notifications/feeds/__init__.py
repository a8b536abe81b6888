"""Calendar feeds: which deadlines a feed holds, the tokens that open it, and its subscribe links.

The iCalendar text itself is `notifications.ical` (pure); this package loads the rows, turns them
into events and guards the feeds with tokens. The HTTP layer is `api.feeds`.
"""
