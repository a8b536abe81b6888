"""What the e-mails about a report say, in Swedish (pure): the acknowledgement with the status
link, each change of state, the closing, and the request to a party's contacts for its account.

No free text of the report goes by e-mail: a message names the agreement, the category, the
state and (closing) the measure; the reporter reads the rest on the status page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from cases.rules.states import MEASURE_SV, STATE_MEANS_SV, STATE_SV, CaseState, Measure
from notifications.email import FOOTER_SV, VERBATIM_POLICY, message_id

SUBJECTS = {
    "acknowledgement": "Tack för din rapport om en samverkansbrist",
    "state": "Din rapport om en samverkansbrist: {state}",
    "closed": "Din rapport om en samverkansbrist är avslutad",
    "party_request": "Er beskrivning behövs: samverkansbrist i {agreement}",
}


@dataclass(frozen=True, slots=True)
class CaseMail:
    key: str
    kind: str
    state: CaseState
    recipient: str
    agreement_title: str
    category: str
    measure: str | None
    link: str  # the status link (reporter) or the report's page (a party's contact)
    party_name: str | None = None


def lines(mail: CaseMail) -> list[str]:
    about = f"Överenskommelse: {mail.agreement_title}. Kategori: {mail.category}."
    if mail.kind == "party_request":
        return [
            f"En samverkansbrist har rapporterats där {mail.party_name} var inblandad.",
            about,
            "Logga in i samverkan och lämna er beskrivning av det som hände:",
            mail.link,
        ]
    body = []
    if mail.kind == "acknowledgement":
        body.append("Tack! Din rapport har kommit in. Den används för att lära och förbättra samverkan.")
    body += [about, f"Läge: {STATE_SV[mail.state]}. {STATE_MEANS_SV[mail.state]}"]
    if mail.kind == "closed" and mail.measure:
        body.append(f"Åtgärd: {MEASURE_SV[Measure(mail.measure)]}. Slutsatsen står på statussidan.")
    body += [
        "Följ rapporten på statussidan (länken är personlig, dela den inte):",
        mail.link,
        "Rapporten ersätter inte din organisations egen avvikelserapportering.",
    ]
    return body


def compose(mail: CaseMail, *, mail_from: str, now: datetime) -> EmailMessage:
    # the reminders policy: headers RFC 2047-encoded where they must be, the delivery key as it is
    message = EmailMessage(policy=VERBATIM_POLICY)
    message["From"] = mail_from
    message["To"] = mail.recipient
    message["Subject"] = SUBJECTS[mail.kind].format(
        state=STATE_SV[mail.state], agreement=mail.agreement_title
    )
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(mail.key, mail_from)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    text = "\n".join(["Hej!", "", *lines(mail), "", "-- ", FOOTER_SV, ""])
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = "sv"
    return message
