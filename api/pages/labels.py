"""The users' words for the codes the services return (DOMAIN.md glossary), and Swedish dates.

Every status has a text and a short abbreviation, so a table never says anything by colour alone.
"""

from __future__ import annotations

from datetime import date, datetime

from core.clock import STOCKHOLM
from lifecycle.rules.swedish import OUTCOMES
from lifecycle.rules.swedish import sv_date as sv_day

# A party's standing on an agreement: (text, abbreviation for the matrix).
ADOPTION = {
    "pending": ("Ej beslutat", "–"),
    "adopted": ("Antagen", "A"),
    "adopted_with_reservation": ("Antagen med reservation", "AR"),
    "rejected": ("Avslagen", "X"),
    "referred_back": ("Återremitterad", "ÅR"),
    "postponed": ("Bordlagd", "B"),
}
AGREEMENT_STATUS = {
    "draft": "Under arbete",
    "active": "Gällande",
    "ended": "Upphörd",
    "withdrawn": "Avbruten",
}
KINDS = {
    "overenskommelse": "Överenskommelse",
    "riktlinje": "Riktlinje",
    "overgangsbestammelser": "Tillfälliga övergångsbestämmelser",
    "tillaggsoverenskommelse": "Tilläggsöverenskommelse",
    "bilaga": "Bilaga",
}
LEGAL_STATE = {
    "planned": "Planerat",
    "awaiting_notice": "Väntar på anslag",
    "appealable": "Kan överklagas",
    "final": "Laga kraft",
    "appealed": "Överklagat",
    "annulled": "Upphävt av domstol",
    "not_appealable": "Kan inte överklagas",
}
DEADLINES = {
    "notice": "Sista dag för uppsägning",
    "term_end": "Avtalstiden slutar",
    "follow_up_implementation": "Uppföljning efter ett år",
    "follow_up_annual": "Årlig uppföljning",
    "consultation_reply": "Sista dag för remissvar",
    "decision_due": "Beslut senast",
    "legally_final": "Beslutet vinner laga kraft",
    "planned_meeting": "Planerat sammanträde",
    "round_reply": "Sista dag att svara",
    "round_late": "Svaret är försenat",
    "round_answered": "Svar lämnat",
    "dispute_reply": "Besked i tvist senast",
}
ENTRY_RULES = {
    "fixed_date_once_all_adopted": "Från ett fast datum när alla parter har antagit",
    "when_all_final": "När den sista partens beslut har vunnit laga kraft",
    "per_party": "För varje part från dess eget beslut",
    "after_n_adoptions": "När ett antal parter har antagit, och för senare parter efter deras eget beslut",
}
TERM_KINDS = {
    "none": "Ingen angiven",
    "fixed": "Tidsbestämd med förlängning",
    "until_further_notice": "Tills vidare",
}
VERSION_STATES = {
    "draft": "Utkast",
    "upcoming": "Kommande",
    "current": "Gällande",
    "superseded": "Ersatt",
}
# What a change in the history did, and to what (api.pages.history).
HISTORY_ACTIONS = {
    "create": "Registrerade",
    "update": "Ändrade",
    "delete": "Tog bort",
    "revoke": "Stängde av",
    "rotate": "Bytte",
    "close": "Stängde",
    "extract": "Läste ut texten i",
    # a samverkansbrist's handling (cases.services)
    "report": "Tog emot",
    "take": "Tog ansvar för",
    "send": "Begärde parternas svar på",
    "answer": "Svarade på",
    "clear": "Gallrade",
}
ENTITIES = {
    "agreement": "överenskommelsen",
    "process_step": "processteg",
    "group_recommendation": "rekommendation till medlemmarna",
    "party_decision": "beslut",
    "preparatory_decision": "förslag (beredning)",
    "notice": "uppsägning",
    "reminder_policy": "påminnelsernas framförhållning",
    "feed_token": "kalenderlänk",
    "round": "runda",
    "round_answer": "svar på runda",
    "document": "dokument",
    "failure_report": "rapport om samverkansbrist",
    "agreement_in_force": "ikraftträdande",
}
ROUND_KINDS = {
    "remiss": "Remiss",
    "uppfoljning": "Uppföljning",
    "arlig_redovisning": "Årlig redovisning",
    "handlingsplan": "Handlingsplan",
    "enkat": "Enkät",
}
ANSWER_STATES = {
    "not_started": "Inte påbörjat",
    "draft": "Utkast",
    "submitted": "Inlämnat",
    "declined": "Avstår",
}
QUESTION_KINDS = {
    "text": "Fritext",
    "yes_no": "Ja eller nej",
    "choice": "Ett val bland alternativ",
    "number": "Ett tal",
    "scale": "Skala 1–5",
}
DOCUMENT_STATES = {
    "waiting": "Texten läses ut",
    "done": "Texten är utläst",
    "failed": "Texten gick inte att läsa",
}
DOCUMENT_PARTS = {"text": "Avtalstext", "annex": "Bilaga"}
CHANGES = {
    "same": "Oförändrat",
    "added": "Nytt stycke",
    "removed": "Borttaget stycke",
    "changed": "Ändrat stycke",
}
WARNINGS = {
    "in_force_not_adopted": "I kraft, men inte antagen av alla parter: osäker giltighet",
    "undecided_long": "Parter som inte har beslutat långt efter rekommendationen",
    "past_end": "Avtalstiden har gått ut",
    "cites_replaced_law": "Hänvisar till en lag som har ersatts",
    "follow_up_overdue": "En uppföljning är inte gjord i tid",
}
PARTY_KINDS = {"kommun": "Kommun", "region": "Region"}


def sv_date(value: date | datetime | None, empty: str = "–") -> str:
    """ "23 november 2026"; an instant as its date in Stockholm."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = value.astimezone(STOCKHOLM).date()
    return sv_day(value)


def sv_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    local = value.astimezone(STOCKHOLM)
    return f"{sv_date(local.date())} kl. {local:%H.%M}"


def file_size(size: int) -> str:
    """1536 -> "2 kB", 5 MB and more with a decimal comma: "5,2 MB"."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def sv_decimal(value: float | None, places: int = 1) -> str:
    """27.5 -> "27,5": the Swedish decimal comma; "–" for no value."""
    return "–" if value is None else f"{value:.{places}f}".replace(".", ",")


def sv_count(n: int, one: str, many: str) -> str:
    """1 -> "1 part", 3 -> "3 parter": the number with the noun in the form it takes."""
    return f"{n} {one if n == 1 else many}"


def label(table: dict, code: str | None) -> str:
    if code is None:
        return "–"
    found = table.get(code, code)
    return found[0] if isinstance(found, tuple) else found


def abbreviation(code: str) -> str:
    return ADOPTION.get(code, (code, code))[1]


FILTERS = {
    "sv_date": sv_date,
    "sv_datetime": sv_datetime,
    "sv_decimal": sv_decimal,
    "sv_count": sv_count,
    "adoption": lambda c: label(ADOPTION, c),
    "abbr": abbreviation,
    "outcome": lambda c: label(OUTCOMES, c),
    "agreement_status": lambda c: label(AGREEMENT_STATUS, c),
    "kind": lambda c: label(KINDS, c),
    "legal_state": lambda c: label(LEGAL_STATE, c),
    "deadline_kind": lambda c: label(DEADLINES, c),
    "entry_rule": lambda c: label(ENTRY_RULES, c),
    "term_kind": lambda c: label(TERM_KINDS, c),
    "version_state": lambda c: label(VERSION_STATES, c),
    "party_kind": lambda c: label(PARTY_KINDS, c),
    "warning_kind": lambda c: label(WARNINGS, c),
    "round_kind": lambda c: label(ROUND_KINDS, c),
    "answer_state": lambda c: label(ANSWER_STATES, c),
    "document_state": lambda c: label(DOCUMENT_STATES, c),
    "document_part": lambda c: label(DOCUMENT_PARTS, c),
    "change": lambda c: label(CHANGES, c),
    "file_size": lambda n: (
        f"{n / 1024:.0f} kB".replace(".", ",")
        if n < 1024 * 1024
        else f"{n / 1048576:.1f} MB".replace(".", ",")
    ),
}
