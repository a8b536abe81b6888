"""Who receives a reminder, as one SQL relation for a whole sweep (never a query per agreement).

The sweep first selects its targets, a relation `targets` with at least (ref, source, agreement,
structure, party_code, party_id, kind, not_for): a deadline or a warning (`source`), the agreement
and structure it belongs to, the party it concerns (NULL: the whole agreement), and the parties an
agreement-wide deadline no longer concerns, having given notice (their contacts and party
subscriptions are left out). `RECIPIENTS_SQL`
expands every target to (target, channel, recipient, recipient_name, reason, subscription, rank),
carrying the whole target row along so no join back is needed:

- party contacts (registrator, clerk) of the party a deadline or a warning concerns (the party
  that has not decided is the one that must act), or of every party of the agreement when a
  deadline concerns the whole agreement (a warning about the whole agreement, such as one past its
  end, is for the secretariat and the stewards, who keep the agreement current);
- the users with the role `clerk` for that party (a clerk follows its party by default, at its
  account's address, with or without a contact record, until it stops following it), the same way;
- the agreement's stewards (förvaltare) and the structure's secretariat contacts, except for a
  round's reply reminders (`round_reply`, `round_late`), which only the parties get;
- subscriptions to the structure, the agreement, or the party (a party's subscription also gets
  what concerns a whole agreement the party is in), filtered by their `kinds`.

Every branch is an equi-join the planner can hash (no OR across scopes), so the cost follows the
number of targets, not the number of subscriptions. E-mail addresses are compared in lower case,
so one person listed as steward and as contact gets one e-mail; `rank` decides which reason is
shown (the most specific).
"""

from __future__ import annotations

from lifecycle.rules.deadlines import DeadlineKind
from lifecycle.rules.validity import WarningKind
from notifications.events import EventKind

# A subscription's `kinds` may name deadline kinds, warning kinds, or "warning" for every warning.
ALL_WARNINGS = "warning"
REMINDER_KINDS = frozenset({k.value for k in DeadlineKind} | {k.value for k in WarningKind} | {ALL_WARNINGS})
# A subscription may also name the events it wants (notifications.events); a person's preference
# switches them on or off as a whole instead.
SUBSCRIBABLE_KINDS = REMINDER_KINDS | {k.value for k in EventKind}

_KINDS = (
    "(cardinality(sub.kinds) = 0 OR t.kind = ANY(sub.kinds) "
    "OR (t.source = 'warning' AND 'warning' = ANY(sub.kinds)))"
)
# A round's reply reminders are for the party that has not answered: the secretariat and the
# stewards see who is late on the round's page instead of one e-mail per party.
_PARTIES_ONLY = f"ARRAY['{DeadlineKind.ROUND_REPLY.value}', '{DeadlineKind.ROUND_LATE.value}']"
_SUBSCRIBER = (
    "t AS target, sub.channel, "
    "CASE WHEN sub.channel = 'email' THEN lower(sub.target) ELSE sub.target END, "
    "sub.label, 'subscription', sub.id, 4"
)

# The users with the role `clerk` for the party (or, for what concerns the whole agreement, for
# any of its parties), at their account's address: a clerk follows its party by default, until it
# stops following it (`party_unfollow`, notifications.follows).
_NOT_UNFOLLOWED = (
    "NOT EXISTS (SELECT 1 FROM party_unfollow uf WHERE uf.email = lower(u.email) AND uf.party = g.party)"
)
_CLERKS = f"""
    SELECT t AS target, 'email' AS channel, lower(u.email) AS recipient, u.name AS recipient_name,
           'clerk' AS reason, NULL::int AS subscription, 1 AS rank
    FROM targets t
    JOIN role_grant g ON g.party = t.party_id AND g.role = 'clerk'
    JOIN app_user u ON u.id = g."user"
    WHERE {_NOT_UNFOLLOWED}
  UNION ALL
    SELECT t, 'email', lower(u.email), u.name, 'clerk', NULL, 1
    FROM targets t
    JOIN agreement_party ap ON ap.agreement = t.agreement
    JOIN party ppa ON ppa.id = ap.party AND NOT ppa.code = ANY(t.not_for)
    JOIN role_grant g ON g.party = ap.party AND g.role = 'clerk'
    JOIN app_user u ON u.id = g."user"
    WHERE t.source <> 'warning' AND t.party_code IS NULL AND {_NOT_UNFOLLOWED}
"""
_SUBSCRIBERS = f"""
    SELECT {_SUBSCRIBER} FROM targets t JOIN subscription sub ON sub.structure = t.structure
    WHERE {_KINDS}
  UNION ALL
    SELECT {_SUBSCRIBER} FROM targets t JOIN subscription sub ON sub.agreement = t.agreement
    WHERE {_KINDS}
  UNION ALL
    SELECT {_SUBSCRIBER} FROM targets t JOIN subscription sub ON sub.party = t.party_id
    WHERE {_KINDS}
  UNION ALL
    SELECT {_SUBSCRIBER} FROM targets t
    JOIN agreement_party ap ON ap.agreement = t.agreement
    JOIN party ppa ON ppa.id = ap.party AND NOT ppa.code = ANY(t.not_for)
    JOIN subscription sub ON sub.party = ap.party
    WHERE t.party_code IS NULL AND {_KINDS}
"""

RECIPIENTS_SQL = f"""
    SELECT t AS target, 'email' AS channel, lower(c.email) AS recipient, c.name AS recipient_name,
           c.role AS reason, NULL::int AS subscription, 1 AS rank
    FROM targets t
    JOIN contact c ON c.party = t.party_id AND c.role IN ('registrator', 'clerk')
  UNION ALL
    SELECT t, 'email', lower(c.email), c.name, c.role, NULL, 1
    FROM targets t
    JOIN agreement_party ap ON ap.agreement = t.agreement
    JOIN party ppa ON ppa.id = ap.party AND NOT ppa.code = ANY(t.not_for)
    JOIN contact c ON c.party = ap.party AND c.role IN ('registrator', 'clerk')
    WHERE t.source = 'deadline' AND t.party_code IS NULL
  UNION ALL{_CLERKS}  UNION ALL
    SELECT t, 'email', lower(s.email), s.name, 'steward', NULL, 2
    FROM targets t JOIN steward s ON s.agreement = t.agreement
    WHERE t.kind <> ALL({_PARTIES_ONLY})
  UNION ALL
    SELECT t, 'email', lower(c.email), c.name, 'secretariat', NULL, 3
    FROM targets t JOIN contact c ON c.structure = t.structure AND c.role = 'secretariat'
    WHERE t.kind <> ALL({_PARTIES_ONLY})
  UNION ALL{_SUBSCRIBERS}"""

# Who hears what happened (notifications.events): those who follow the agreement, its structure or
# the party, by subscription or as its clerk; not every contact, steward and secretariat.
FOLLOWERS_SQL = f"""{_CLERKS}
  UNION ALL{_SUBSCRIBERS}"""

# Whether an e-mail recipient wants this row (notifications.preferences): not unsubscribed, and
# the kind among the ones chosen (none chosen: every kind). `{row}` names the row's relation, with
# columns channel, recipient and kind; `{source}` is the row's source as SQL.
WANTED_SQL = """NOT EXISTS (
    SELECT 1 FROM notification_preference np
    WHERE {row}.channel = 'email' AND np.email = {row}.recipient AND (
        np.unsubscribed_at IS NOT NULL
        OR (cardinality(np.kinds) > 0 AND NOT ({kind} = ANY(np.kinds)
            OR ({source} = 'warning' AND 'warning' = ANY(np.kinds))))))"""

# Whether a follower wants to hear of an event (notifications.events): a webhook always (its
# subscription's kinds filter it); an address only once it switched "what happened" on, for events
# since then, and while it is not unsubscribed. `{at}` is when the event happened.
WANTED_EVENT_SQL = """({row}.channel = 'webhook' OR EXISTS (
    SELECT 1 FROM notification_preference np
    WHERE np.email = {row}.recipient AND np.unsubscribed_at IS NULL AND np.events_from <= {at}))"""

# Delivery keys, built in SQL by the sweep and checked again by the deliver step. A deadline's
# reminder is keyed by its date as well: a deadline that moves is a new thing to remind of. A
# warning's is not keyed by when it opened: a warning that closes and opens again (same agreement,
# kind and party: the same row) is not news to those already told. Keys are plain ASCII, because
# e-mails and webhook calls carry them as they are (X-Samverkan-Delivery): an address or URL with
# å, ä or ö is percent-encoded by `delivery_key_text()` (a SQL function of the notifications
# migrations), the rest of a key is ASCII by construction.
DEADLINE_KEY_SQL = (
    "'deadline:' || {ref} || ':' || to_char({due}::timestamp, 'YYYY-MM-DD') || ':' || {lead} || ':' "
    "|| delivery_key_text({recipient}) || ':' || {channel}"
)
WARNING_KEY_SQL = "'warning:' || {ref} || ':' || delivery_key_text({recipient}) || ':' || {channel}"
# An event is told once to each follower (its audit event's id names it).
EVENT_KEY_SQL = "'event:' || {ref} || ':' || delivery_key_text({recipient}) || ':' || {channel}"
