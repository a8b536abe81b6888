"""Agreements: the register, the process timeline, the parties' decisions, term and notices."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, patch, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from api.access import authorize
from api.actor import current_actor
from api.paging import AsOf, Limit, Offset
from api.personal_data import agreement_shown, history_shown
from api.problems import problems
from audit.trail import history
from lifecycle.services import (
    agreements,
    decisions,
    group_recommendations,
    notices,
    overview,
    proposals,
    replacements,
    steps,
)
from lifecycle.views import (
    AdoptionOverview,
    AgreementCreate,
    AgreementDetail,
    AgreementPage,
    AgreementPatch,
    DecisionIn,
    DecisionPatch,
    DecisionView,
    GroupRecommendationIn,
    GroupRecommendationView,
    NoticeIn,
    NoticeView,
    PartyAgreements,
    ProposalIn,
    ProposalPatch,
    ProposalView,
    ReplacesIn,
    StepIn,
    TermView,
    TimelineEntry,
)
from rounds.services import opening

Query = Annotated[str | None, QueryParameter(description="Filter")]
WRITE_ERRORS = problems(400, 401, 403, 404, 409, 422)


class AgreementController(Controller):
    path = "/api/agreements"
    tags = ["Överenskommelser"]

    @get(
        "/",
        summary="Registret av överenskommelser",
        description="Sidvis, senast ändrade först. Filtrera på struktur, slag, status och part, eller sök"
        " i titel och beteckning.",
        opt={"access": "read"},
        responses=problems(400, 404, 422),
    )
    async def list_agreements(
        self,
        structure: Query = None,
        kind: Query = None,
        status: Query = None,
        party: Annotated[
            str | None, QueryParameter(description="Partens kod: överenskommelser den är part i")
        ] = None,
        q: Annotated[str | None, QueryParameter(description="Sök i titel och beteckning")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> AgreementPage:
        return await agreements.list_agreements(
            structure=structure, kind=kind, status=status, party=party, q=q, limit=limit, offset=offset
        )

    @post(
        "/",
        summary="Skapa en överenskommelse",
        description="Med parter (utan `party_codes`: strukturens alla), giltighetstid, regel för "
        "ikraftträdande och förvaltare. Den börjar som utkast i strukturens process.",
        opt={"access": "agreement.create"},
        responses=WRITE_ERRORS,
    )
    async def create_agreement(self, request: Request, data: JSONBody[AgreementCreate]) -> AgreementDetail:
        await authorize(request, "agreement.create", structure=data.structure)
        return await agreements.create_agreement(data, actor=current_actor(request))

    @get(
        "/{agreement_id:int}",
        summary="En överenskommelse",
        description="Uppgifterna i registret med processens läge, giltighetsvarningar, versioner och "
        "bilagor. Förvaltarnas e-postadresser är personuppgifter: de visas bara för den som hanterar "
        "överenskommelsen (administratörer, strukturens sekretariat, dess förvaltare); andra ser "
        "förvaltarnas namn och organisation, med email null.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def get_agreement(self, request: Request, agreement_id: FromPath[int]) -> AgreementDetail:
        return await agreement_shown(request, await agreements.get_agreement(agreement_id))

    @patch(
        "/{agreement_id:int}",
        summary="Ändra en överenskommelse",
        description="Bara de fält som skickas ändras; ändringen skrivs i historiken och tidsfristerna "
        "räknas om.",
        opt={"access": "agreement.edit"},
        responses=WRITE_ERRORS,
    )
    async def update_agreement(
        self, request: Request, agreement_id: FromPath[int], data: JSONBody[AgreementPatch]
    ) -> AgreementDetail:
        return await agreements.update_agreement(agreement_id, data, actor=current_actor(request))

    @post(
        "/{agreement_id:int}/versions",
        summary="Påbörja en reviderad version",
        description="En ny version med samma uppgifter, parter och förvaltare, som utkast. Den ersätter "
        "den gamla när den träder i kraft; en version som redan har en efterföljare ger 422.",
        opt={"access": "agreement.edit"},
        responses=WRITE_ERRORS,
    )
    async def new_version(self, request: Request, agreement_id: FromPath[int]) -> AgreementDetail:
        return await agreements.new_version(agreement_id, actor=current_actor(request))

    @put(
        "/{agreement_id:int}/replaces",
        summary="Ange vilka överenskommelser den ersätter",
        description="Flera överenskommelser kan ersättas av en ny (seed 004: 17 blir omkring sju). Listan "
        "är hela listan: en som utelämnas ersätts inte längre. Varje ersatt överenskommelse upphör dagen "
        "före den nya träder i kraft (status, giltighetstid och senare datum följer) och båda visar "
        "kopplingen (`replaces`, `replaced_by`). En överenskommelse kan inte ersätta sig själv, en i en "
        "annan samverkansstruktur eller en som redan ersätter den (422); en som redan ersätts av en "
        "annan ger 409.",
        opt={"access": "agreement.edit"},
        responses=WRITE_ERRORS,
    )
    async def set_replaces(
        self, request: Request, agreement_id: FromPath[int], data: JSONBody[ReplacesIn]
    ) -> AgreementDetail:
        return await replacements.set_replaces(agreement_id, data.replaces, actor=current_actor(request))

    @get(
        "/{agreement_id:int}/timeline",
        summary="Processens tidslinje",
        description="Processtegen i den ordning de togs, med datum, organ, paragraf och diarienummer.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def timeline(self, agreement_id: FromPath[int]) -> list[TimelineEntry]:
        return await steps.timeline(agreement_id)

    @post(
        "/{agreement_id:int}/steps",
        summary="Registrera ett processteg",
        description="Steget måste vara ett som processen tillåter härnäst (`process.allowed_next` i "
        "överenskommelsen).",
        opt={"access": "process.record"},
        responses=WRITE_ERRORS,
    )
    async def record_step(
        self, request: Request, agreement_id: FromPath[int], data: JSONBody[StepIn]
    ) -> TimelineEntry:
        return await opening.record_step(agreement_id, data, actor=current_actor(request))

    @post(
        "/{agreement_id:int}/group-recommendations",
        summary="Registrera en grupps rekommendation till sina medlemmar",
        description="Ett kommunalförbunds rekommendation till sina medlemskommuner, t.ex. "
        "Göteborgsregionens förbundsstyrelse 2022-03-18 § 356 (`group` är gruppens namn i "
        "`GET /api/groups`). Den tas efter samverkansstrukturens rekommendation och en gång per grupp "
        "(409 annars); medlemmarnas sista dag för beslut räknas sedan från den.",
        opt={"access": "process.record"},
        responses=WRITE_ERRORS,
    )
    async def record_group_recommendation(
        self, request: Request, agreement_id: FromPath[int], data: JSONBody[GroupRecommendationIn]
    ) -> GroupRecommendationView:
        return await group_recommendations.record_recommendation(
            agreement_id, data, actor=current_actor(request)
        )

    @get(
        "/{agreement_id:int}/decisions",
        summary="Parternas beslut",
        description="Alla parters beslut, eller med `party` en parts, med justering, anslag och laga kraft.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def list_decisions(
        self,
        agreement_id: FromPath[int],
        party: Annotated[str | None, QueryParameter(description="Bara denna parts beslut")] = None,
    ) -> list[DecisionView]:
        return await decisions.list_decisions(agreement_id, party=party)

    @post(
        "/{agreement_id:int}/parties/{party_code:str}/decisions",
        summary="Logga en parts beslut",
        description="Organ, sammanträdesdag, utfall, paragraf, diarienummer och datum för justering och "
        "anslag; sista dag för överklagande och laga kraft räknas ut. Finns redan ett beslut "
        "av samma organ samma dag ger det 409: rätta det beslutet i stället. "
        "Ett beslut i en paragraf som också antar bilagor och tillhörande dokument loggas en "
        "gång, på huvudöverenskommelsen, med `covers`: id för de dokument det gäller (bilagor till den, "
        "eller överenskommelser i samma samverkansstruktur som parterna beslutar om; parten ska vara "
        "part i vart och ett, annars 422). Det räknas då som partens beslut om vart och ett, med samma "
        "datum för laga kraft, och rättas en gång för alla.",
        opt={"access": "decision.log"},
        responses=WRITE_ERRORS,
    )
    async def log_decision(
        self,
        request: Request,
        agreement_id: FromPath[int],
        party_code: FromPath[str],
        data: JSONBody[DecisionIn],
    ) -> DecisionView:
        return await decisions.log_decision(agreement_id, party_code, data, actor=current_actor(request))

    @get(
        "/{agreement_id:int}/proposals",
        summary="Förslag inom parterna (beredning)",
        description="Nämnders och kommunstyrelsers förslag på vägen till partens beslut (nämnd → "
        "kommunstyrelse → fullmäktige). De räknas aldrig som partens beslut: inget ikraftträdande, "
        "ingen laga kraft.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def list_proposals(
        self,
        agreement_id: FromPath[int],
        party: Annotated[str | None, QueryParameter(description="Bara denna parts förslag")] = None,
    ) -> list[ProposalView]:
        return await proposals.list_proposals(agreement_id, party=party)

    @post(
        "/{agreement_id:int}/parties/{party_code:str}/proposals",
        summary="Registrera ett förslag (beredning)",
        description="Ett organs förslag till partens beslut, med organ, sammanträdesdatum, paragraf och "
        "diarienummer, t.ex. kommunstyrelsens förslag till kommunfullmäktige. Visas i partens rad i "
        "antagandeöversikten och i prognosen, men är inte partens beslut. Samma behörighet som att "
        "logga beslut.",
        opt={"access": "decision.log"},
        responses=WRITE_ERRORS,
    )
    async def record_proposal(
        self,
        request: Request,
        agreement_id: FromPath[int],
        party_code: FromPath[str],
        data: JSONBody[ProposalIn],
    ) -> ProposalView:
        return await proposals.record_proposal(agreement_id, party_code, data, actor=current_actor(request))

    @patch(
        "/{agreement_id:int}/parties/{party_code:str}/proposals/{proposal_id:int}",
        summary="Rätta ett förslag (beredning)",
        description="Rättar ett registrerat förslag från parten: bara de fält som anges ändras, och "
        "förslaget prövas som ett nytt (inte från fullmäktige, inte senare än i dag; ett annat förslag "
        "från samma organ samma dag ger 409). Ändringen skrivs i historiken. Samma behörighet som att "
        "rätta beslut.",
        opt={"access": "decision.correct"},
        responses=WRITE_ERRORS,
    )
    async def correct_proposal(
        self,
        request: Request,
        agreement_id: FromPath[int],
        party_code: FromPath[str],
        proposal_id: FromPath[int],
        data: JSONBody[ProposalPatch],
    ) -> ProposalView:
        return await proposals.correct_proposal(
            agreement_id, party_code, proposal_id, data, actor=current_actor(request)
        )

    @get(
        "/{agreement_id:int}/adoption",
        summary="Antagandeöversikt",
        description="Varje parts läge (inte beslutat, antagit, avslagit, återremitterat ...) med "
        "beslutsdag och laga kraft, antal per läge, när överenskommelsen träder i kraft och "
        "en prognos.",
        opt={"access": "read"},
        responses=problems(404, 422),
    )
    async def adoption(self, agreement_id: FromPath[int], as_of: AsOf = None) -> AdoptionOverview:
        return await overview.adoption_overview(agreement_id, as_of=as_of)

    @get(
        "/{agreement_id:int}/term",
        summary="Giltighetstid och uppsägning",
        description="Med `party`: för den parten (dess slutdag efter uppsägning, dess nästa sista dag "
        "för uppsägning). Med `as_of`: som det stod den dagen.",
        opt={"access": "read"},
        responses=problems(404, 422),
    )
    async def term(
        self,
        agreement_id: FromPath[int],
        party: Annotated[str | None, QueryParameter(description="Partens kod, t.ex. 1401")] = None,
        as_of: AsOf = None,
    ) -> TermView:
        return await overview.term_view(agreement_id, party=party, as_of=as_of)

    @post(
        "/{agreement_id:int}/parties/{party_code:str}/notice",
        summary="Registrera en uppsägning",
        description="Partens uppsägning med dag; partens slutdag räknas ut ur uppsägningstiden (eller "
        "`agreed_end` när avtalet saknar uppsägningstid).",
        opt={"access": "notice.register"},
        responses=WRITE_ERRORS,
    )
    async def register_notice(
        self,
        request: Request,
        agreement_id: FromPath[int],
        party_code: FromPath[str],
        data: JSONBody[NoticeIn],
    ) -> NoticeView:
        return await notices.register_notice(agreement_id, party_code, data, actor=current_actor(request))

    @get(
        "/{agreement_id:int}/history",
        summary="Historik: varje ändring",
        description="Granskningsloggens händelser för överenskommelsen, nyaste först: vem som ändrade vad"
        " och när. Förvaltarnas e-postadresser i överenskommelsens ögonblicksbilder visas bara för den "
        "som hanterar den (som i GET /api/agreements/{agreement_id}).",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def history(self, request: Request, agreement_id: FromPath[int]) -> list[dict]:
        await agreements.get_agreement_row(agreement_id)
        return await history_shown(request, agreement_id, await history(agreement_id=agreement_id))


class DecisionController(Controller):
    path = "/api/decisions"
    tags = ["Överenskommelser"]

    @get(
        "/{decision_id:int}",
        summary="Ett beslut",
        description="Beslutet med justering, anslag, sista dag för överklagande, laga kraft och "
        "eventuellt överklagande.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def get_decision(self, decision_id: FromPath[int]) -> DecisionView:
        return await decisions.get_decision(decision_id)

    @patch(
        "/{decision_id:int}",
        summary="Rätta ett beslut eller registrera ett överklagande",
        description="Bara de fält som skickas ändras. Ett överklagande (`appeal_state`) håller beslutet "
        "från laga kraft tills det är avgjort. "
        "En rättelse gäller alla dokument beslutet omfattar; `covers` ändrar vilka.",
        opt={"access": "decision.correct"},
        responses=WRITE_ERRORS,
    )
    async def correct_decision(
        self, request: Request, decision_id: FromPath[int], data: JSONBody[DecisionPatch]
    ) -> DecisionView:
        return await decisions.correct_decision(decision_id, data, actor=current_actor(request))


@get(
    "/api/parties/{party_code:str}/agreements",
    summary="Partens överenskommelser: vad ska vi besluta, och när?",
    description="Partens överenskommelser med partens läge, senaste dag att besluta, nästa "
    "sammanträde och vad parten ska göra härnäst.",
    tags=["Parter"],
    opt={"access": "read"},
    responses=problems(404),
)
async def party_agreements(party_code: FromPath[str]) -> PartyAgreements:
    return await overview.party_agreements(party_code)
