"""Demo samverkansbrister under Västra Götaland's health-care agreement (VG-HOS-2023): reports
over 2026's quarters in the categories the seeds name, taken, sent to the parties, answered and
closed by the secretariat, so the handling pages and the analysis have something to show; and two
disputes on the structure's ladder, one settled with a proposed clarification.

Made through the same services as a person would (each step on its own day, by pinning the
clock), so every row has its audit event. Idempotent: nothing is added when the agreement
already has reports.
"""

from __future__ import annotations

from datetime import date

from accounts.tables import User
from audit.trail import Actor
from cases.rules.disputes import DisputeIn
from cases.rules.report import ReportIn
from cases.services import disputes, handling, reports
from cases.tables import Dispute, FailureReport
from core.clock import freeze
from lifecycle.tables import Agreement

REFERENCE = "VG-HOS-2023"
SECRETARIAT = "sekretariat@vastkom.example"  # the demo users (accounts.demo): the reports' owner
# (received, occurred, category, parties, what, meaning, e-mail, steps): steps are
# (day, "take" | "send:<codes>" | "answer:<code>:<text>" | "close:<measure>:<conclusion>")
REPORTS = [
    (
        date(2026, 2, 3),
        date(2026, 1, 29),
        "Utskrivning från sluten vård",
        ("1401", "14"),
        "Utskrivningsmeddelandet kom först dagen efter hemgång.",
        "Hemsjukvården kom inte samma dag; personen blev utan läkemedel över natten.",
        None,
        [
            (date(2026, 2, 4), "take"),
            (date(2026, 2, 5), "send:1401,14"),
            (date(2026, 2, 16), "answer:1401:Meddelandet nådde oss inte före hemgången."),
            (date(2026, 2, 18), "answer:14:Avdelningen skickade meddelandet efter utskrivningen."),
            (date(2026, 3, 2), "close:clarification:Tidpunkten för utskrivningsmeddelandet förtydligas."),
        ],
    ),
    (
        date(2026, 3, 10),
        date(2026, 3, 6),
        "Samordnad individuell plan (SIP)",
        ("1402", "14"),
        "Kallelsen till SIP-mötet nådde inte skolan.",
        "Planen blev försenad tre veckor.",
        None,
        [
            (date(2026, 3, 11), "take"),
            (date(2026, 3, 12), "send:1402"),
            (date(2026, 3, 30), "answer:1402:Kallelsen gick till en funktionsbrevlåda som inte bevakades."),
            (date(2026, 4, 8), "close:routine:Kallelser skickas till den namngivna kontakten."),
        ],
    ),
    (
        date(2026, 5, 20),
        date(2026, 5, 18),
        "Hjälpmedel och förbrukningsartiklar",
        ("1401",),
        "Oklart vem som skulle förskriva hjälpmedlet efter hemgång.",
        "Personen fick vänta en vecka.",
        None,
        [(date(2026, 5, 21), "take"), (date(2026, 6, 15), "close:follow_up:Tas upp i årets uppföljning.")],
    ),
    (
        date(2026, 9, 2),
        date(2026, 8, 28),
        "Informationsöverföring",
        ("1401", "14"),
        "Läkemedelslistan följde inte med vid överflyttningen.",
        "Dubbeldosering upptäcktes i tid.",
        None,
        [(date(2026, 9, 3), "take"), (date(2026, 9, 4), "send:1401,14")],
    ),
    (
        date(2026, 11, 9),
        date(2026, 11, 5),
        "Ansvarsfördelning mellan huvudmännen",
        ("1402", "14"),
        "Oenighet om vem som ansvarar för en insats i hemmet.",
        "Insatsen dröjde i två veckor.",
        "rapportor@vard.example",
        [],
    ),
]


async def load_demo_cases() -> str:
    rows = await Agreement.select(Agreement.id).where(Agreement.reference == REFERENCE).first()
    if rows is None:
        return "Demo samverkansbrister: the agreement VG-HOS-2023 is missing; none added."
    agreement_id = rows["id"]
    secretariat = await User.select(User.id, User.name).where(User.email == SECRETARIAT).first()
    owner = secretariat["id"] if secretariat else None
    actor = Actor(owner, f"{secretariat['name']} (demo)") if secretariat else Actor.system("demo")
    if await FailureReport.count().where(FailureReport.agreement == agreement_id):
        added = await _demo_disputes(agreement_id, actor)  # an installation from before disputes
        return (
            f"Demo samverkansbrister: {added} disputes added."
            if added
            else "Demo samverkansbrister: already there."
        )
    for received, occurred, category, parties, what, meaning, email, steps in REPORTS:
        with freeze(received):
            made = await reports.submit(
                ReportIn(agreement_id, parties, occurred, what, meaning, category, email), actor=actor
            )
        for day, step in steps:
            kind, _, rest = step.partition(":")
            with freeze(day):
                if kind == "take":
                    await handling.take(agreement_id, made.report_id, user_id=owner, actor=actor)
                elif kind == "send":
                    await handling.send(agreement_id, made.report_id, rest.split(","), actor=actor)
                elif kind == "answer":
                    code, _, text = rest.partition(":")
                    await handling.answer(agreement_id, made.report_id, code, text, actor=actor)
                else:
                    measure, _, conclusion = rest.partition(":")
                    await handling.close(agreement_id, made.report_id, conclusion, measure, actor=actor)
    made_disputes = await _demo_disputes(agreement_id, actor)
    return (
        f"Demo samverkansbrister: {len(REPORTS)} reports and {made_disputes} disputes added to {REFERENCE}."
    )


# Two disputes under Västra Götaland's ladder (seed 003: locally, delregionally, regionally): one
# lifted to the delregional level and settled there with a proposed clarification, one grown from
# the last demo report and open at the local level.
DISPUTES = [
    (
        date(2026, 3, 16),
        DisputeIn(
            0,
            "1401",
            "Vem förskriver hjälpmedel när personen skrivs ut från sjukhus till korttidsplats?",
            (
                ("1401", "Sjukhuset förskriver det som behövs vid hemgång, också till korttidsplats."),
                ("14", "Kommunen förskriver när personen vistas i kommunens verksamhet."),
            ),
            "Avtalet nämner hemgång men inte korttidsplats.",
        ),
        [
            (date(2026, 3, 27), "escalate", "De lokala cheferna kom inte överens."),
            (
                date(2026, 4, 20),
                "settle",
                "Sjukhuset förskriver vid utskrivning, oavsett boendeform.|Förtydliga avsnittet om "
                "hjälpmedel så att det gäller utskrivning till korttidsplats.",
            ),
        ],
    ),
    (
        date(2026, 11, 16),
        DisputeIn(
            0,
            "1402",
            "Ansvaret för en insats i hemmet under de första dagarna efter utskrivning.",
            (
                ("1402", "Regionen ansvarar tills vårdplanen är klar."),
                ("14", "Kommunen ansvarar från hemgången."),
            ),
            "Parterna läser avsnittet om övergång av ansvar olika.",
            -1,  # the last demo report
        ),
        [],
    ),
]


async def _demo_disputes(agreement_id: int, actor: Actor) -> int:
    from dataclasses import replace

    if await Dispute.count().where(Dispute.agreement == agreement_id):
        return 0
    last_report = (
        await FailureReport.select(FailureReport.id)
        .where(FailureReport.agreement == agreement_id)
        .order_by(FailureReport.id, ascending=False)
        .first()
    )
    for raised_on, data, steps in DISPUTES:
        report = last_report["id"] if data.report_id == -1 and last_report else None
        with freeze(raised_on):
            made = await disputes.raise_dispute(
                replace(data, agreement_id=agreement_id, report_id=report), actor=actor
            )
        for day, kind, text in steps:
            with freeze(day):
                if kind == "escalate":
                    await disputes.escalate(agreement_id, made.id, text, day, actor=actor)
                else:
                    outcome, _, clarification = text.partition("|")
                    await disputes.settle(agreement_id, made.id, outcome, day, clarification, actor=actor)
    return len(DISPUTES)
