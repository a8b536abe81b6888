"""The demo's rounds, through the services as the rest of the demo: the open remiss of Stockholm's
revised agreement on care for the elderly gets its round with two questions and three parties'
answers (one submitted, decided by a nämnd; one abstaining; one draft), Västra Götaland's
health-care agreement a survey that Härryda's demo clerk finds on the start page, Örebro's
structure the yearly report its 13 parties give it (a round of the whole structure, no single
agreement: Region Örebro län has answered), and every follow-up due within four weeks its
follow-up round. Idempotent: an agreement (or the structure) with a round of the same title is
skipped."""

from __future__ import annotations

from datetime import timedelta

from audit.trail import Actor
from core.clock import today
from lifecycle.demo import demo_references
from rounds.services import answering, follow_up_rounds, opening
from rounds.tables import Round
from rounds.views import AnswerIn, QuestionIn, RoundIn, StructureRoundIn

ACTOR = Actor.system("demo")
REMISS = "Remiss: Vård och omsorg för äldre, reviderad för den nya socialtjänstlagen"
SURVEY = "Enkät: hur fungerar samverkan vid utskrivning 2026?"
YEARLY = "Årlig redovisning 2026: samverkan i Örebro län"


async def _opened(agreement_id: int, title: str) -> bool:
    return await Round.exists().where((Round.agreement == agreement_id) & (Round.title == title))


async def _opened_for_structure(slug: str, title: str) -> bool:
    return await Round.exists().where(
        Round.agreement.is_null() & (Round.structure.slug == slug) & (Round.title == title)
    )


async def yearly_report(day) -> bool:
    """Örebro's yearly report to the structure: every party reports on the year's joint work (seed
    002, "beslut fattas hos de 13 parterna var för sig"); the region has answered."""
    if await _opened_for_structure("orebro", YEARLY):
        return False
    view = await opening.open_structure_round(
        "orebro",
        StructureRoundIn(
            kind="arlig_redovisning",
            title=YEARLY,
            reply_by=day + timedelta(days=28),
            instructions="Varje part redovisar årets arbete enligt länets överenskommelser till "
            "samverkansstrukturen, som sammanställer redovisningarna till den gemensamma dialogen.",
            questions=[
                QuestionIn(kind="number", text="Antal samordnade individuella planer (SIP) under 2026"),
                QuestionIn(kind="scale", text="Hur väl har samverkan fungerat under året (1–5)?"),
                QuestionIn(kind="text", text="Vad vill ni lyfta till nästa års arbete?"),
            ],
        ),
        actor=ACTOR,
    )
    if any(p.party_code == "18" for p in view.parties):
        await answering.save_answer(
            view.id,
            "18",
            AnswerIn(
                state="submitted",
                answers={"q1": "412", "q2": "4", "q3": "Gemensam uppföljning av utskrivningsklara."},
            ),
            actor=ACTOR,
        )
    return True


async def load_demo_rounds() -> str:
    day = today()
    refs = await demo_references(["STHLM-ALDRE-V2", "VG-HOS-2023"])
    opened = 0
    aldre = refs.get("STHLM-ALDRE-V2")
    if aldre and not await _opened(aldre, REMISS):
        view = await opening.open_round(
            RoundIn(
                agreement_id=aldre,
                kind="remiss",
                title=REMISS,
                reply_by=day + timedelta(days=30),
                instructions="Varje kommun svarar för sig. Svara gärna med ett beslut i ansvarig nämnd.",
                questions=[
                    QuestionIn(
                        kind="yes_no", text="Ställer ni er bakom förslaget till reviderad överenskommelse?"
                    ),
                    QuestionIn(kind="scale", text="Hur tydlig är ansvarsfördelningen i förslaget?"),
                ],
            ),
            actor=ACTOR,
        )
        answers = {
            "0180": AnswerIn(
                state="submitted",
                answers={"q1": "ja", "q2": "4"},
                comment="Staden tillstyrker förslaget med en synpunkt på bilaga 2.",
                decided_body="Äldrenämnden",
                decided_paragraph="§ 14",
                decided_case_number="ÄLN 2026/88",
                decided_on=day - timedelta(days=1),
            ),
            "0114": AnswerIn(state="declined", comment="Kommunen avstår från att yttra sig."),
            "0115": AnswerIn(state="draft", answers={"q1": "ja"}),
        }
        for code, answer in answers.items():
            if any(p.party_code == code for p in view.parties):
                await answering.save_answer(view.id, code, answer, actor=ACTOR)
        opened += 1
    health = refs.get("VG-HOS-2023")
    if health and not await _opened(health, SURVEY):
        await opening.open_round(
            RoundIn(
                agreement_id=health,
                kind="enkat",
                title=SURVEY,
                reply_by=day + timedelta(days=21),
                questions=[
                    QuestionIn(
                        kind="choice",
                        text="Hur fungerar samordnad individuell plan (SIP) i er kommun?",
                        options=["Bra", "Delvis", "Dåligt"],
                    ),
                    QuestionIn(kind="number", text="Antal utskrivningar med SIP under 2026"),
                    QuestionIn(kind="text", text="Vad behöver förbättras?"),
                ],
            ),
            actor=ACTOR,
        )
        opened += 1
    opened += await yearly_report(day)
    follow_ups = await follow_up_rounds.open_due(day)
    return f"Demo rounds: {opened} opened, {len(follow_ups)} follow-up rounds."
