"""Sending a composed e-mail over SMTP, with every failure sorted into transient or permanent.

The sorting follows the reply codes (RFC 5321 4.2.1): 4xx means "try again later", 5xx means
"this will not work". Anything that happens before a server answered (refused connection,
timeout, dropped line) is transient. A permanent error carries the server's own words, since the
secretariat must see why a reminder never arrived ("550 5.1.1 mailbox unavailable").
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from core.settings import Settings
from notifications.addresses import checked_address
from notifications.errors import DeliveryError, PermanentDeliveryError, TransientDeliveryError

# smtplib waits forever by default, which would hold a worker on a hung server. RFC 5321 4.5.3.2
# lets a client wait minutes per reply, but ours is the organisation's relay, which answers within
# a second when it is up: after 30 s it counts as down, and the task retries later.
SMTP_TIMEOUT_SECONDS = 30.0


def send_email(message: EmailMessage, settings: Settings, *, timeout: float = SMTP_TIMEOUT_SECONDS) -> None:
    """Hand `message` to the configured SMTP server (STARTTLS and login when configured).

    Returns once the server has accepted it for every recipient; raises `TransientDeliveryError`
    or `PermanentDeliveryError` otherwise. Addresses are checked before connecting.
    """
    sender = checked_address(parseaddr(str(message["From"] or ""))[1])
    recipients = [checked_address(addr) for _, addr in getaddresses(message.get_all("To", []))]
    if not recipients:
        raise PermanentDeliveryError("Meddelandet saknar mottagare.")
    try:
        refused = _transmit(message, sender, recipients, settings, timeout)
    except smtplib.SMTPRecipientsRefused as exc:
        raise _refused(exc.recipients) from exc
    except smtplib.SMTPResponseException as exc:  # greeting, HELO, STARTTLS, AUTH, MAIL, DATA
        raise by_reply_code(exc.smtp_code, exc.smtp_error) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise PermanentDeliveryError(f"SMTP-servern stöder inte det som krävs: {exc}") from exc
    except ssl.SSLCertVerificationError as exc:  # a configuration fault; retrying will not fix it
        raise PermanentDeliveryError(f"SMTP-serverns certifikat godtogs inte: {exc}") from exc
    except (smtplib.SMTPException, OSError) as exc:  # refused, timed out, dropped, TLS broke
        where = f"{settings.smtp_host}:{settings.smtp_port}"
        raise TransientDeliveryError(
            f"Förbindelsen med SMTP-servern {where} misslyckades: {type(exc).__name__}: {exc}"
        ) from exc
    if refused:  # some recipients accepted, some not: report the refused ones
        raise _refused(refused)


def _transmit(
    message: EmailMessage, sender: str, recipients: list[str], settings: Settings, timeout: float
) -> Mapping[str, tuple[int, bytes]]:
    # connecting in the constructor, not with connect(): only then does smtplib keep the host name
    # that STARTTLS checks the certificate against (found by the integration test)
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    try:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        return smtp.send_message(message, from_addr=sender, to_addrs=recipients)
    finally:
        # Once DATA got its 250 the message is on its way; a failing QUIT must not turn that into an
        # error (and a retry, and a duplicate). Not `with SMTP()`: its exit raises on a bad QUIT.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()
        smtp.close()


def by_reply_code(code: int, text: bytes | str) -> DeliveryError:
    """The error for an SMTP reply: 4xx transient, anything else (5xx) permanent."""
    reply = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    reason = f"SMTP-servern svarade {code} {reply}".strip()
    if 400 <= code < 500:
        return TransientDeliveryError(reason, code=code)
    return PermanentDeliveryError(reason, code=code)


def _refused(refused: Mapping[str, tuple[int, bytes]]) -> DeliveryError:
    """One error for the refused recipients: transient only if every refusal was a 4xx."""
    parts = [f"{addr}: {code} {text.decode('utf-8', 'replace')}" for addr, (code, text) in refused.items()]
    reason = "Mottagaren avvisades av SMTP-servern – " + "; ".join(parts)
    codes = [code for code, _ in refused.values()]
    if all(400 <= code < 500 for code in codes):
        return TransientDeliveryError(reason, code=codes[0])
    return PermanentDeliveryError(reason, code=next(c for c in codes if not 400 <= c < 500))
