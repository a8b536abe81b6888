"""What a reminder says, in Swedish, for e-mail and webhook (pure).

`Reminder` is one claimed outbox row with what it refers to (deadline or warning, agreement,
structure, party); the functions here turn it into the senders' inputs (`notifications.email`,
`notifications.webhook`). Links: the agreement's page and its calendar feed; the feed's link
carries a token, so the deliver step looks it up (`notifications.delivery.calendar_link`) and
brings it in the `Reminder`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lifecycle.rules.deadlines import DeadlineKind
from notifications.email import ReminderMessage
from notifications.policy import parse_lead
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
}
REASON_SV = {
    "registrator": "registrator för parten",
    "clerk": "nämndsekreterare för parten",
    "steward": "förvaltare av överenskommelsen",
    "secretariat": "samverkansstrukturens kansli",
    "subscription": "prenumerant",
}


@dataclass(frozen=True, slots=True)
class Reminder:
    delivery_key: str
    source: str  # "deadline" | "warning"
    kind: str
    lead: str | None
    send_on: date
    due: date | None
    recipient: str
    recipient_name: str
    reason: str
    agreement_id: int
    agreement_title: str
    agreement_reference: str
    structure_name: str
    party_code: str | None
    party_name: str | None
    title: str  # the deadline's title or the warning's message
    calendar_url: str | None = None  # the agreement's feed, token included


def agreement_url(base_url: str, agreement_id: int) -> str:
    """The agreement's page (public where reading is)."""
    return f"{base_url}/agreements/{agreement_id}"


def lead_sv(label: str | None) -> str:
    """ "6m" → "om 6 månader", "1m7d" → "om 1 månad och 7 dagar", "0d" → "i dag"."""
    if not label:
        return ""
    lead = parse_lead(label)
    parts = []
    if lead.months:
        parts.append(f"{lead.months} {'månad' if lead.months == 1 else 'månader'}")
    if lead.days:
        parts.append(f"{lead.days} {'dag' if lead.days == 1 else 'dagar'}")
    return "om " + " och ".join(parts) if parts else "i dag"


def _agreement_sv(r: Reminder) -> str:
    return f"{r.agreement_title} ({r.agreement_reference})" if r.agreement_reference else r.agreement_title


def _context_lines(r: Reminder) -> list[str]:
    lines = [f"Överenskommelse: {_agreement_sv(r)}", f"Samverkansstruktur: {r.structure_name}"]
    if r.party_code:
        lines.append(f"Part: {r.party_name or r.party_code} ({r.party_code})")
    lines.append(f"Du får meddelandet som {REASON_SV.get(r.reason, r.reason)}.")
    return lines


def email_message(r: Reminder, base_url: str) -> ReminderMessage:
    if r.source == "warning":
        subject = f"Varning om giltighet: {r.agreement_title}"
        heading = "En överenskommelse har fått en varning om sin giltighet"
        lines = [
            r.title,
            *_context_lines(r),
            "Varningen försvinner av sig själv när orsaken är åtgärdad; du får inget nytt meddelande "
            "om den så länge den består.",
        ]
    else:
        kind = KIND_SV.get(DeadlineKind(r.kind), r.kind)
        when = lead_sv(r.lead)
        subject = f"Påminnelse: {kind} {r.due} – {r.agreement_title}"
        heading = r.title
        lines = [f"Tidsfrist: {r.due} ({when}).", *_context_lines(r)]
    return ReminderMessage(
        recipient_email=r.recipient,
        recipient_name=r.recipient_name or None,
        subject_sv=subject,
        heading_sv=heading,
        lines_sv=lines,
        agreement_url=agreement_url(base_url, r.agreement_id),
        calendar_url=r.calendar_url,
        delivery_key=r.delivery_key,
    )


def webhook_reminder(r: Reminder, base_url: str) -> WebhookReminder:
    warning = r.source == "warning"
    return WebhookReminder(
        kind="validity_warning.opened" if warning else "deadline.reminder",
        delivery_key=r.delivery_key,
        agreement_id=r.agreement_id,
        agreement_title=r.agreement_title,
        deadline_kind=r.kind,
        # a warning has no deadline: the day it was notified stands in
        deadline_date=r.send_on if warning or r.due is None else r.due,
        party_code=r.party_code,
        agreement_url=agreement_url(base_url, r.agreement_id),
        calendar_url=r.calendar_url,
    )
