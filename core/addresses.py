"""The product's one e-mail address check (pure, standard library only).

Every address the product stores or sends to passes here: users, contacts, stewards, e-mail
subscriptions, the reporter of a samverkansbrist, and each envelope before it is sent. The check is
syntactic (RFC 5321/5322 dot-atom local part, an internet domain name): whether the mailbox exists
only the receiving server can tell.

Local parts are ASCII: sending to "åsa@..." needs SMTPUTF8, which our submission path does not
offer. Domains may be written with å, ä, ö (IDNA); they are kept in their ASCII "xn--" form.
"""

from __future__ import annotations

import re
from email.utils import parseaddr

from core.errors import InvalidInput

# RFC 5322 3.2.3 atext; dots only between atoms (dot-atom). Quoted local parts are legal but not
# worth supporting for municipal mailboxes.
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
# RFC 1035 / 5890 label: letters, digits, inner hyphens; at most 63 octets.
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
# RFC 5321 4.5.3.1: local part 64 octets, domain 255, a path 256 including "<" and ">".
_MAX_LOCAL, _MAX_DOMAIN, _MAX_ADDRESS = 64, 253, 254


def inspect_address(address: str) -> tuple[str | None, str]:
    """What is wrong with the address (None if nothing) and its normalised form (the domain
    lower-cased, in ASCII)."""
    address = address.strip()
    if not address:
        return "adressen är tom", ""
    if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in address):
        return "den innehåller mellanslag eller styrtecken", ""
    if parseaddr(address) != ("", address):
        return "den är inte en ensam adress av formen namn@domän", ""
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return "den saknar @ eller delen före eller efter @", ""
    if not local.isascii():
        return "tecken som å, ä och ö före @ kan inte skickas (SMTPUTF8 stöds inte)", ""
    if not _LOCAL_PART.fullmatch(local) or len(local) > _MAX_LOCAL:
        return "delen före @ är inte giltig", ""
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return "domänen efter @ är inte ett giltigt domännamn", ""
    labels = ascii_domain.split(".")
    # at least a name and a top-level domain, which is never a number nor one letter (an IP
    # address literal is legal but no contact of ours has one)
    top = labels[-1]
    if (
        len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or top.isdigit()
        or len(top) < 2
    ):
        return "domänen efter @ är inte ett giltigt domännamn", ""
    normalised = f"{local}@{ascii_domain}"
    if len(ascii_domain) > _MAX_DOMAIN or len(normalised) > _MAX_ADDRESS:
        return "adressen är för lång", ""
    return None, normalised


def problem_message(address: str, problem: str) -> str:
    return f"Ogiltig e-postadress {address!r}: {problem}."


def email_address(value: str, field: str = "email") -> str:
    """The address as stored (trimmed, the domain in lower-case ASCII), or a 422 naming the field
    and what is wrong with it."""
    problem, normalised = inspect_address(value)
    if problem:
        raise InvalidInput(problem_message(value.strip(), problem), field=field)
    return normalised
