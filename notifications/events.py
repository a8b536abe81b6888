"""What happened: the changes a follower may want to hear of, derived from the audit trail.

The lifecycle and the rounds know nothing of notifications (`.importlinter`), but every change
they make is an audit event in the transaction of the change (audit.trail). The sweep reads the
trail's recent events (`EVENTS_SQL`), picks those a follower would want to know of, and writes one
outbox row per event, follower and channel with the key `event:<audit event id>:<recipient>:
<channel>` (`ON CONFLICT DO NOTHING`), so each is sent once however often the sweep runs; the
e-mail rows go in the follower's digest like any reminder, the webhook rows out on their own as
CloudEvents events (`se.samverkan.event.<kind>`).

Who hears of it: those who follow the agreement, its structure or the party (subscriptions, the
follows of "Mina aviseringar"), and the clerks who follow their party by default; by e-mail only
those who switched "Vad som har hänt" on (`notification_preference.events_from`, off by default),
and only of what happened after they did.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from datetime import date

from lifecycle.rules.swedish import OUTCOMES, sv_date
from lifecycle.store import IN_FORCE_ENTITY

# How far back the sweep reads the trail. The hourly sweep needs an hour; a week lets a sweep that
# did not run for days still tell of everything, while every older event has been told or was
# never going to be (the window also bounds what each sweep reads).
EVENT_CATCH_UP_DAYS = 7


class EventKind(enum.StrEnum):
    DECISION_LOGGED = "decision_logged"
    STEP_RECORDED = "step_recorded"
    NOTICE_REGISTERED = "notice_registered"
    ROUND_OPENED = "round_opened"
    ROUND_ANSWERED = "round_answered"
    ENTERED_INTO_FORCE = "entered_into_force"


# Which audit events are which kind. A planned meeting is logged as a decision with the outcome
# "planned": it has not happened yet. A round's answer counts when it is first submitted or
# declined, not at each correction.
_KIND_SQL = f"""CASE
    WHEN e.entity = 'party_decision' AND e.action = 'create' AND e.after->>'outcome' <> 'planned'
        THEN '{EventKind.DECISION_LOGGED}'
    WHEN e.entity = 'process_step' AND e.action = 'create' THEN '{EventKind.STEP_RECORDED}'
    WHEN e.entity = 'notice' AND e.action = 'create' THEN '{EventKind.NOTICE_REGISTERED}'
    WHEN e.entity = 'round' AND e.action = 'create' THEN '{EventKind.ROUND_OPENED}'
    WHEN e.entity = 'round_answer' AND e.after->>'state' IN ('submitted', 'declined')
         AND coalesce(e.after->>'previous_state', '') NOT IN ('submitted', 'declined')
        THEN '{EventKind.ROUND_ANSWERED}'
    WHEN e.entity = '{IN_FORCE_ENTITY}' THEN '{EventKind.ENTERED_INTO_FORCE}'
END"""

# The round an event is of, for a round's events (its opening, an answer): a round of a whole
# structure has no agreement, and the round names its structure. `{e}` is the audit event.
EVENT_ROUND_SQL = (
    "CASE {e}.entity WHEN 'round' THEN {e}.entity_id::int "
    "WHEN 'round_answer' THEN ({e}.after->>'round')::int END"
)

# The targets of the sweep's events statement (notifications.recipients): each recent event of an
# agreement, or of a round of a whole structure (agreement NULL, the round's structure), the party
# it concerns (a decision's, a notice's, an answer's), `at` when it happened and `day` its date in
# Stockholm.
TARGETS_SQL = f"""
    SELECT ev.id AS ref, 'event'::text AS source, ev.agreement,
           coalesce(a.structure, r.structure) AS structure, ev.party_code, p.id AS party_id, ev.kind,
           ARRAY[]::varchar[] AS not_for, ev.at,
           (ev.at AT TIME ZONE 'Europe/Stockholm')::date AS day
    FROM (SELECT e.id, e.agreement_id AS agreement, e.after->>'party_code' AS party_code, e.at,
                 {_KIND_SQL} AS kind,
                 CASE WHEN e.agreement_id IS NULL THEN {EVENT_ROUND_SQL.format(e="e")} END AS round
          FROM audit_event e CROSS JOIN params
          WHERE e.at > now() - make_interval(days => params.catch_up)
            AND (e.agreement_id IS NOT NULL OR e.entity IN ('round', 'round_answer'))
         ) ev
    LEFT JOIN agreement a ON a.id = ev.agreement
    LEFT JOIN round r ON r.id = ev.round
    LEFT JOIN party p ON p.code = ev.party_code
    WHERE ev.kind IS NOT NULL AND coalesce(a.structure, r.structure) IS NOT NULL
      AND (a.id IS NULL OR a.status NOT IN ('ended', 'withdrawn'))
"""

ANSWER_STATES_SV = {"submitted": "svar lämnat", "declined": "avstår från att svara"}


def _day(value: object) -> str:
    return sv_date(date.fromisoformat(value)) if isinstance(value, str) and value else ""


def event_title(kind: str, after: Mapping) -> str:
    """What happened, in a sentence of a digest: "Beslut registrerat: Antagen, Kommunfullmäktige
    23 maj 2022, § 77". The party it concerns is named beside it (notifications.messages)."""
    if kind == EventKind.DECISION_LOGGED:
        parts = [
            OUTCOMES.get(after.get("outcome") or "", after.get("outcome") or ""),
            f"{after.get('body') or ''} {_day(after.get('meeting_date'))}".strip(),
            after.get("paragraph") or "",
        ]
        return "Beslut registrerat: " + ", ".join(p for p in parts if p)
    if kind == EventKind.STEP_RECORDED:
        parts = [after.get("label") or after.get("step") or "", _day(after.get("taken_on"))]
        return "Processteg registrerat: " + ", ".join(p for p in parts if p)
    if kind == EventKind.NOTICE_REGISTERED:
        given = _day(after.get("given_on"))
        return f"Uppsägning registrerad, given {given}" if given else "Uppsägning registrerad"
    if kind == EventKind.ROUND_OPENED:
        reply_by = _day(after.get("reply_by"))
        title = f"Runda öppnad: {after.get('title') or ''}".rstrip(": ")
        return f"{title}, svar senast {reply_by}" if reply_by else title
    if kind == EventKind.ROUND_ANSWERED:
        return f"Svar på runda: {ANSWER_STATES_SV.get(after.get('state') or '', 'svarade')}"
    if kind == EventKind.ENTERED_INTO_FORCE:
        since = _day(after.get("in_force_from"))
        return f"Överenskommelsen trädde i kraft {since}" if since else "Överenskommelsen trädde i kraft"
    return kind


def row_title(row: Mapping) -> str:
    """The title of an outbox row as the deliver steps load it: a deadline's title or a warning's
    message, or for an event what happened, from its audit event's `after` (JSON text)."""
    if row["source"] != "event":
        return row["title"]
    after = row["event_after"]
    return event_title(row["kind"], json.loads(after) if isinstance(after, str) else (after or {}))
