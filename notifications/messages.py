"""What reminders say, in Swedish, for e-mail and webhook (pure).

`Reminder` is one outbox row with what it refers to (deadline or warning, agreement, structure,
party); the functions here turn a digest's rows into one e-mail (`notifications.email`) and one
row into a webhook call (`notifications.webhook`). Parties are named by name with the code after
("Essunga (1445)"), dates as Swedes write them ("30 juni 2028"), both from lifecycle.rules.swedish,
as in the rules' messages and on the pages.

Links: the agreement's page and its calendar feed; the feed's link
carries a token, so the deliver step looks it up (`notifications.delivery.calendar_link`) and
brings it in the `Reminder`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from lifecycle.rules.deadlines import DeadlineKind
from lifecycle.rules.months import add_months
from lifecycle.rules.swedish import party_label, sv_date
from notifications.email import ReminderMessage, Section
from notifications.webhook import WebhookReminder

KIND_SV = {
    DeadlineKind.NOTICE: "Sista dag för uppsägning",
    DeadlineKind.TERM_END: "Avtalsperioden löper ut",
    DeadlineKind.FOLLOW_UP_IMPLEMENTATION: "Uppföljning efter ett år",
    DeadlineKind.FOLLOW_UP_ANNUAL: "Årlig uppföljning",
    DeadlineKind.CONSULTATION_REPLY: "Sista dag för remissvar",
    DeadlineKind.DECISION_DUE: "Sista dag för beslut",
    DeadlineKind.LEGALLY_FINAL: "Beslutet vinner laga kraft",
    DeadlineKind.PLANNED_MEETING: "Planerat sammanträde",
    DeadlineKind.ROUND_REPLY: "Sista dag att svara",
    DeadlineKind.ROUND_LATE: "Svaret är försenat",
    DeadlineKind.ROUND_ANSWERED: "Svar lämnat",
    DeadlineKind.DISPUTE_REPLY: "Besked i tvist senast",
}
PARTY_ROLES = {"registrator": "registrator", "clerk": "nämndsekreterare"}
REASON_SV = {
    "steward": "förvaltare av överenskommelsen",
    "secretariat": "samverkansstrukturens kansli",
    "subscription": "prenumerant",
}


@dataclass(frozen=True, slots=True)
class Reminder:
    delivery_key: str
    source: str  # "deadline" | "warning" | "event"
    kind: str
    lead: str | None
    send_on: date
    due: date | None
    recipient: str
    recipient_name: str
    reason: str
    agreement_id: int | None  # None: a structure's deadline (a round of the whole structure)
    agreement_title: str | None
    agreement_reference: str | None
    structure_name: str
    party_code: str | None
    party_name: str | None
    title: str  # the deadline's title, the warning's message, or what happened
    calendar_url: str | None = None  # the agreement's feed, token included
    written_at: datetime | None = None  # when the sweep wrote the row (a webhook event's time)
    structure_slug: str = ""

    @property
    def home(self) -> int | str:
        """What the reminder is about: its agreement's id, or a structure's slug for a structure's
        deadline (the digest's section, the page linked, the calendar)."""
        return self.structure_slug if self.agreement_id is None else self.agreement_id

    @property
    def about(self) -> str:
        """The agreement's title, or the structure's name for a structure's deadline."""
        return self.agreement_title if self.agreement_id is not None else self.structure_name


def agreement_url(base_url: str, agreement_id: int) -> str:
    """The agreement's page (public where reading is)."""
    return f"{base_url}/agreements/{agreement_id}"


def home_url(base_url: str, home: int | str) -> str:
    """The page of what a reminder is about: the agreement's, or the structure's (whose rounds it
    lists) for a structure's deadline."""
    return agreement_url(base_url, home) if isinstance(home, int) else f"{base_url}/structures/{home}"


def time_left_sv(sent_on: date, due: date | None) -> str:
    """The time from the day a reminder goes out to its date, as a reader counts it forward:
    2024-12-31 to 2025-06-30 "om 6 månader", 2025-05-24 to 2025-06-30 "om 1 månad och 6 dagar",
    2026-12-04 to 2026-12-09 "om 5 dagar" (a reminder sent late says what is left, not its lead),
    the day itself "i dag"."""
    if due is None:
        return ""
    months = 0
    while add_months(sent_on, months + 1) <= due:
        months += 1
    days = (due - add_months(sent_on, months)).days
    parts = []
    if months:
        parts.append(f"{months} {'månad' if months == 1 else 'månader'}")
    if days > 0:
        parts.append(f"{days} {'dag' if days == 1 else 'dagar'}")
    return "om " + " och ".join(parts) if parts else "i dag"


def _agreement_sv(r: Reminder) -> str:
    if r.agreement_id is None:
        return f"{r.structure_name}: hela strukturen"
    return f"{r.agreement_title} ({r.agreement_reference})" if r.agreement_reference else r.agreement_title


def party_sv(name: str | None, code: str) -> str:
    """ "Essunga (1445)": the name people know, the code after it to be exact."""
    return party_label(code, {code: name} if name else {})


def urgency(r: Reminder) -> tuple:
    """Sort key, most urgent first: a validity warning (something is wrong now) before any
    deadline, deadlines by their date, a notice deadline before others on the same day (missing
    it renews the agreement for a whole period); what happened last, in the order it happened."""
    if r.source == "warning":
        return (0, r.send_on, 0, r.title)
    if r.source == "event":
        return (2, r.due or r.send_on, 0, r.delivery_key)
    return (1, r.due or r.send_on, 0 if r.kind == DeadlineKind.NOTICE else 1, r.title)


def item_sv(r: Reminder) -> str:
    """One line of a digest: what is due or wrong, when, and for which party."""
    party = f" Gäller {party_sv(r.party_name, r.party_code)}." if r.party_code else ""
    title = r.title if r.title.endswith((".", "!", "?")) else f"{r.title}."
    if r.source == "warning":
        return f"Varning om giltighet: {title}{party}"
    if r.source == "event":
        return f"Har hänt {sv_date(r.due or r.send_on)}: {title}{party}"
    kind = KIND_SV.get(DeadlineKind(r.kind), r.kind)
    return f"{kind} {sv_date(r.due)} ({time_left_sv(r.send_on, r.due)}): {title}{party}"


def _headline(r: Reminder) -> str:
    if r.source == "warning":
        return f"Varning om giltighet: {r.about}"
    if r.source == "event":
        return f"{r.title} – {r.about}"
    return f"{KIND_SV.get(DeadlineKind(r.kind), r.kind)} {sv_date(r.due)} – {r.about}"


def subject_sv(items: Sequence[Reminder]) -> str:
    """How many, and the most urgent: "Påminnelse: Sista dag för uppsägning 30 juni 2028 – Avtal"
    for one; "3 påminnelser och varningar. Först: ..." for more."""
    first = min(items, key=urgency)
    if len(items) == 1:
        return f"Påminnelse: {_headline(first)}" if first.source == "deadline" else _headline(first)
    warnings = sum(r.source == "warning" for r in items)
    happened = sum(r.source == "event" for r in items)
    reminders = len(items) - warnings - happened
    counted = []
    if reminders:
        counted.append(f"{reminders} {'påminnelse' if reminders == 1 else 'påminnelser'}")
    if warnings:
        counted.append(f"{warnings} {'varning' if warnings == 1 else 'varningar'}")
    if happened:
        counted.append(f"{happened} {'händelse' if happened == 1 else 'händelser'}")
    listed = ", ".join(counted[:-1]) + f" och {counted[-1]}" if len(counted) > 1 else counted[0]
    return f"{listed}. Först: {_headline(first)}"


def _reasons_sv(items: Sequence[Reminder]) -> str:
    """Why you get it. A party contact's reason names the party where the row concerns one; a
    deadline of the whole agreement only says you are a contact of one of its parties, which goes
    without saying once a party is named for the same role."""
    named = {r.reason for r in items if r.reason in PARTY_ROLES and r.party_code}
    reasons = []
    for r in sorted(items, key=urgency):
        if r.reason in PARTY_ROLES and r.party_code:
            reason = f"{PARTY_ROLES[r.reason]} för {party_sv(r.party_name, r.party_code)}"
        elif r.reason in PARTY_ROLES:
            if r.reason in named:
                continue
            reason = f"{PARTY_ROLES[r.reason]} för en part i överenskommelsen"
        else:
            reason = REASON_SV.get(r.reason, r.reason)
        if reason not in reasons:
            reasons.append(reason)
    return f"Du får meddelandet som {' och '.join(reasons)}."


def digest_message(
    items: Sequence[Reminder],
    *,
    base_url: str,
    recipient: str,
    recipient_name: str,
    delivery_key: str,
    frequency: str,
    calendar_urls: Mapping[int | str, str | None],
    unsubscribe_url: str,
    preferences_url: str,
) -> ReminderMessage:
    """One e-mail for a recipient's reminders and warnings: grouped by agreement (a structure's
    deadlines by structure), the agreement with the most urgent item first, and within each the
    most urgent first. `calendar_urls`: by `Reminder.home`."""
    by_home: dict[int | str, list[Reminder]] = {}
    for r in sorted(items, key=urgency):
        by_home.setdefault(r.home, []).append(r)
    sections = [
        Section(
            heading=_agreement_sv(group[0]),
            lines=[f"Samverkansstruktur: {group[0].structure_name}", *(item_sv(r) for r in group)],
            agreement_url=home_url(base_url, home),
            calendar_url=calendar_urls.get(home),
            of_structure=group[0].agreement_id is None,
        )
        for home, group in by_home.items()
    ]
    what = {"weekly": "veckans", "daily": "dagens"}.get(frequency)
    if all(r.source == "event" for r in items):
        intro = f"Här är {what} händelser från samverkan." if what else "Det här har hänt."
    elif what and len(items) > 1:
        intro = f"Här är {what} påminnelser och varningar från samverkan."
    else:
        intro = "Det här behöver din uppmärksamhet."
    warned = any(r.source == "warning" for r in items)
    closing = [_reasons_sv(items)]
    if warned:
        closing.append(
            "En varning försvinner av sig själv när orsaken är åtgärdad; du får inget nytt meddelande "
            "om den så länge den består."
        )
    return ReminderMessage(
        recipient_email=recipient,
        recipient_name=recipient_name or None,
        subject_sv=subject_sv(items),
        heading_sv=intro,
        sections=sections,
        closing_sv=closing,
        unsubscribe_url=unsubscribe_url,
        preferences_url=preferences_url,
        delivery_key=delivery_key,
    )


def webhook_reminder(r: Reminder, base_url: str) -> WebhookReminder:
    warning = r.source == "warning"
    # what has no agreement (a round of the whole structure) names its structure
    structure = None if r.agreement_id is not None else {"slug": r.structure_slug, "name": r.structure_name}
    if r.source == "event":  # what happened, on the day it happened
        return WebhookReminder(
            kind=f"event.{r.kind}",
            delivery_key=r.delivery_key,
            agreement_id=r.agreement_id,
            agreement_title=r.agreement_title,
            deadline_kind=r.kind,
            deadline_date=r.due or r.send_on,
            party_code=r.party_code,
            agreement_url=home_url(base_url, r.home),
            calendar_url=r.calendar_url,
            occurred_at=r.written_at,
            summary=r.title,
            structure=structure,
        )
    return WebhookReminder(
        kind="validity_warning.opened" if warning else "deadline.reminder",
        delivery_key=r.delivery_key,
        agreement_id=r.agreement_id,
        agreement_title=r.agreement_title,
        deadline_kind=r.kind,
        # a warning has no deadline: the day it was notified stands in
        deadline_date=r.send_on if warning or r.due is None else r.due,
        party_code=r.party_code,
        agreement_url=home_url(base_url, r.home),
        calendar_url=r.calendar_url,
        occurred_at=r.written_at,
        structure=structure,
    )
