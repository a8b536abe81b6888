"""Reminders as one e-mail: plain text with an HTML alternative, in Swedish (pure).

A message holds one section per agreement (a digest, notifications.digests) and the links to
change what one gets and to stop it, also as `List-Unsubscribe` headers. The Message-ID comes from
the delivery key, so a retried send is recognisably the same message
(mail clients and archives fold duplicates by Message-ID). Sending is `notifications.smtp`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, parseaddr
from html import escape

from notifications.addresses import checked_address
from notifications.signature import DELIVERY_HEADER

FOOTER_SV = (
    "Det här är ett automatiskt meddelande från samverkan, registret över överenskommelser mellan "
    "region och kommuner. Svar på det läses inte."
)
CALENDAR_HINT_SV = (
    "Lägg till kalenderflödet som prenumererad kalender i Outlook, Google Kalender eller Apple "
    "Kalender, så syns tidsfristerna där."
)


# Headers a machine reads byte for byte: written as they are, on one line, never RFC 2047-encoded.
# The delivery key is what a receiver matches with the database and the webhook calls; a mail
# client reads the unsubscribe URL (RFC 8058) without decoding encoded words, so an encoded or
# folded one stops working. All are ASCII (keys: notifications.recipients; URLs: BASE_URL and a
# base64 token) and far shorter than a header line's 998 characters (RFC 5322 2.1.1).
VERBATIM_HEADERS = frozenset(
    name.lower() for name in (DELIVERY_HEADER, "List-Unsubscribe", "List-Unsubscribe-Post")
)


class _VerbatimPolicy(EmailPolicy):
    """The default policy, except for VERBATIM_HEADERS."""

    def fold(self, name: str, value: str) -> str:
        if name.lower() in VERBATIM_HEADERS:
            return f"{name}: {_verbatim(name, value)}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() in VERBATIM_HEADERS:
            return f"{name}: {_verbatim(name, value)}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


def _verbatim(name: str, value: str) -> str:
    text = str(value)
    if not (text.isascii() and text.isprintable() and " " not in text):
        raise ValueError(f"the {name} header must be printable ASCII without spaces: {text!r}")
    return text


VERBATIM_POLICY = _VerbatimPolicy()


@dataclass(frozen=True, slots=True)
class Section:
    """One agreement's part of a message: its name, the lines about it, its links."""

    heading: str
    lines: Sequence[str]
    agreement_url: str
    calendar_url: str | None
    # a structure's deadlines (a round of the whole structure): the link is the structure's page
    of_structure: bool = False


@dataclass(frozen=True, slots=True)
class ReminderMessage:
    recipient_email: str
    recipient_name: str | None
    subject_sv: str
    heading_sv: str
    sections: Sequence[Section]
    closing_sv: Sequence[str]
    unsubscribe_url: str  # one click, no sign-in (RFC 8058)
    preferences_url: str  # "Mina aviseringar"
    delivery_key: str  # unique per message; the digest's key


def compose_email(reminder: ReminderMessage, *, mail_from: str, now: datetime) -> EmailMessage:
    """The reminder as a multipart/alternative message. A broken recipient address raises
    `PermanentDeliveryError`; a link that is not http(s) is our bug and raises ValueError."""
    urls = [reminder.unsubscribe_url, reminder.preferences_url]
    for section in reminder.sections:
        urls += [section.agreement_url, section.calendar_url]
    for url in urls:
        if url is not None and not url.startswith(("https://", "http://")):
            raise ValueError(f"links in e-mail must be http(s): {url!r}")
    # email.policy.default (headers RFC 2047-encoded, no CR/LF injection) but for VERBATIM_HEADERS,
    # checked here, as they are set
    message = EmailMessage(policy=VERBATIM_POLICY)
    message["From"] = mail_from
    message["To"] = Address(
        display_name=" ".join((reminder.recipient_name or "").split()),
        addr_spec=checked_address(reminder.recipient_email),
    )
    message["Subject"] = " ".join(reminder.subject_sv.split())  # one line, whatever came in
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(reminder.delivery_key, mail_from)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, no loops
    message["X-Auto-Response-Suppress"] = "All"  # the same, in Exchange's words (out-of-office)
    message[DELIVERY_HEADER] = _verbatim(DELIVERY_HEADER, reminder.delivery_key)  # for receivers' own dedupe
    # RFC 2369 and RFC 8058: mail clients offer "unsubscribe", and a one-click POST stops it
    message["List-Unsubscribe"] = _verbatim("List-Unsubscribe", f"<{reminder.unsubscribe_url}>")
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # quoted-printable rather than 8bit: it passes servers that do not offer 8BITMIME
    message.set_content(_text(reminder), subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(_html(reminder), subtype="html", charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = "sv"  # after the content: set_content drops Content-* headers
    return message


def message_id(delivery_key: str, mail_from: str) -> str:
    """`<hash-of-key.reminder@sender-domain>`: the same key always gives the same Message-ID."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "samverkan.local"
    return f"<{hashlib.sha256(delivery_key.encode()).hexdigest()[:32]}.reminder@{domain}>"


def _greeting(reminder: ReminderMessage) -> str:
    name = " ".join((reminder.recipient_name or "").split())
    return f"Hej {name}!" if name else "Hej!"


def _text(reminder: ReminderMessage) -> str:
    parts = [_greeting(reminder), "", reminder.heading_sv, ""]
    for section in reminder.sections:
        parts += [section.heading, *(f"- {line}" for line in section.lines)]
        what = "Samverkansstrukturen" if section.of_structure else "Överenskommelsen"
        parts.append(f"{what}: {section.agreement_url}")
        if section.calendar_url:
            parts.append(f"Kalenderflöde: {section.calendar_url}")
        parts.append("")
    if any(section.calendar_url for section in reminder.sections):
        parts += [CALENDAR_HINT_SV, ""]
    parts += [*reminder.closing_sv, ""]
    parts += [
        f"Välj hur ofta och om vad du får e-post: {reminder.preferences_url}",
        f"Sluta få e-post från samverkan: {reminder.unsubscribe_url}",
    ]
    parts += ["", "-- ", FOOTER_SV, ""]
    return "\n".join(parts)


# Inline styles only: many mail clients drop <style> blocks and external sheets.
_BODY = (
    "margin:0;padding:24px;color:#1b1b1b;font-family:Arial,Helvetica,sans-serif;"
    "font-size:16px;line-height:1.5"
)
_H1 = "margin:0 0 16px;font-size:22px;line-height:1.3"
_H2 = "margin:24px 0 8px;font-size:18px;line-height:1.3"
_P = "margin:0 0 12px"
_UL = "margin:0 0 12px;padding-left:20px"
_LINK = "color:#0b57a4;text-decoration:underline"
_SMALL = "margin:24px 0 0;color:#595959;font-size:13px"


_OPEN = {False: "Öppna överenskommelsen", True: "Öppna strukturens sida"}


def _html(reminder: ReminderMessage) -> str:
    e = escape  # quote=True: safe in text and in attribute values alike
    sections = []
    for section in reminder.sections:
        lines = "\n".join(f"<li>{e(line)}</li>" for line in section.lines)
        calendar = (
            f' · <a href="{e(section.calendar_url)}" style="{_LINK}">Kalenderflöde</a>'
            if section.calendar_url
            else ""
        )
        sections.append(
            f'<h2 style="{_H2}">{e(section.heading)}</h2>\n<ul style="{_UL}">\n{lines}\n</ul>\n'
            f'<p style="{_P}"><a href="{e(section.agreement_url)}" style="{_LINK}">'
            f"{_OPEN[section.of_structure]}</a>{calendar}</p>"
        )
    hint = (
        f'<p style="{_P}">{e(CALENDAR_HINT_SV)}</p>\n'
        if any(section.calendar_url for section in reminder.sections)
        else ""
    )
    closing = "\n".join(f'<p style="{_P}">{e(line)}</p>' for line in reminder.closing_sv)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="sv">\n'
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{e(reminder.subject_sv)}</title></head>\n"
        f'<body style="{_BODY}">\n'
        f'<p style="{_P}">{e(_greeting(reminder))}</p>\n'
        f'<h1 style="{_H1}">{e(reminder.heading_sv)}</h1>\n' + "\n".join(sections) + f"\n{hint}{closing}\n"
        f'<p style="{_SMALL}"><a href="{e(reminder.preferences_url)}" style="{_LINK}">'
        "Välj hur ofta och om vad du får e-post</a> · "
        f'<a href="{e(reminder.unsubscribe_url)}" style="{_LINK}">Sluta få e-post från samverkan</a></p>\n'
        f'<p style="{_SMALL}">{e(FOOTER_SV)}</p>\n'
        "</body>\n"
        "</html>\n"
    )
