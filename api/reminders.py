"""Deadlines, validity warnings, the reminder outbox, subscriptions, and running a sweep now."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import anyio
import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from api.access import granted_structures
from api.actor import current_actor
from api.paging import AsOf, Limit, Offset
from api.problems import problems
from core import clock
from core.limits import text
from notifications import daily, policy, queries, subscriptions
from notifications.policy import AgreementPolicyView, PolicyView
from notifications.tables import Subscription
from notifications.views import (
    DeadlinePage,
    DeliveryPage,
    SubscriptionView,
    SweepReport,
    WarningPage,
)
from parties.tables import Party, Structure

StructureSlug = Annotated[str | None, QueryParameter(description="Struktur, t.ex. vastra-gotaland")]
AgreementId = Annotated[int | None, QueryParameter(ge=1, description="Överenskommelsens id")]


class SweepIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    as_of: date | None = None  # run as if today were this day (demos); default: today

    def __post_init__(self) -> None:
        # The sweep's own bounds, checked while decoding: before the app-wide date check of every
        # body (api.limits), whose wider bounds would otherwise be the ones the admin is told.
        if self.as_of is not None:
            daily.check_day(self.as_of)


class SubscriptionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    channel: text(Subscription.channel)  # "email" or "webhook"
    target: text(Subscription.target)  # the e-mail address or the webhook's URL
    structure: text(Structure.slug) | None = None
    party: text(Party.code) | None = None
    agreement: int | None = None
    kinds: list[text(Subscription.kinds)] = msgspec.field(default_factory=list)
    label: text(Subscription.label) = ""
    secret: text(Subscription.secret) | None = (
        None  # a webhook's signing key; generated (and shown once) when left out
    )


class PolicyIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    policy: dict[str, list[str]]


class ReminderController(Controller):
    path = "/api"
    tags = ["Påminnelser"]

    @get(
        "/deadlines",
        summary="Tidsfrister",
        description="En parts tidsfrister är dess egna och de som gäller alla parter i dess "
        "överenskommelser. Inställda tidsfrister visas bara med cancelled=true. Med `as_of`: som "
        "reglerna ger dem den dagen (högst 30 år från i dag), t.ex. en parts frister efter en "
        "uppsägning; `id` är då null för en frist som inte är sparad ännu.",
        opt={"access": "read"},
        responses=problems(400, 422),
    )
    async def list_deadlines(
        self,
        party: Annotated[str | None, QueryParameter(description="Partens kod, t.ex. 1401")] = None,
        structure: StructureSlug = None,
        agreement: AgreementId = None,
        kind: Annotated[str | None, QueryParameter(description="Slag, t.ex. notice")] = None,
        from_: Annotated[date | None, QueryParameter(name="from", description="Från och med")] = None,
        to: Annotated[date | None, QueryParameter(description="Till och med")] = None,
        cancelled: Annotated[bool, QueryParameter(description="Ta med inställda")] = False,
        as_of: AsOf = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> DeadlinePage:
        return await queries.list_deadlines(
            party=party,
            structure=structure,
            agreement=agreement,
            kind=kind,
            from_=from_,
            to=to,
            include_cancelled=cancelled,
            limit=limit,
            offset=offset,
            as_of=as_of,
        )

    @get(
        "/warnings",
        summary="Varningar om giltighet",
        description="Det som gör en överenskommelse ogiltig eller försenad (saknade beslut, passerade "
        "tidsfrister ...), filtrerat på läge, överenskommelse och struktur.",
        opt={"access": "read"},
        responses=problems(400, 422),
    )
    async def list_warnings(
        self,
        which: Annotated[
            str, QueryParameter(name="state", description="open (förval), closed eller all")
        ] = "open",
        agreement: AgreementId = None,
        structure: StructureSlug = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> WarningPage:
        return await queries.list_warnings(
            state=which, agreement=agreement, structure=structure, limit=limit, offset=offset
        )

    @get(
        "/deliveries",
        summary="Utskick av påminnelser",
        description="Nyaste först. Ett misslyckat utskick har status failed och orsaken i last_error. "
        "Mottagarna är personuppgifter: administratörer ser alla utskick, ett sekretariat sin "
        "strukturs.",
        opt={"access": "personal.read"},
        responses=problems(400, 401, 403, 422),
    )
    async def list_deliveries(
        self,
        request: Request,
        status: Annotated[
            str | None, QueryParameter(description="pending, sending, sent, failed eller cancelled")
        ] = None,
        agreement: AgreementId = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> DeliveryPage:
        return await queries.list_deliveries(
            status=status,
            agreement=agreement,
            structures=granted_structures(request, "personal.read"),
            limit=limit,
            offset=offset,
        )

    @post(
        "/admin/sweep",
        summary="Kör uppdatering och påminnelsesvep nu",
        description="Räknar om alla gällande överenskommelsers tidsfrister och varningar och skriver "
        "de påminnelser som är aktuella; arbetarna skickar dem. as_of låtsas att dagen är en annan "
        "(2000-01-01 till 2100-12-31). Allt sparas tillsammans eller inte alls, och körningen "
        "skrivs i granskningsloggen.",
        opt={"access": "admin"},
        status_code=200,
        responses=problems(400, 401, 403, 422),
    )
    async def run_sweep(self, request: Request, data: JSONBody[SweepIn | None] = None) -> SweepReport:
        as_of = (data.as_of if data else None) or clock.today()
        result = await daily.run_daily(as_of, actor=current_actor(request))
        # committed: now hand the new rows to the workers
        from workers.tasks import enqueue_deliveries

        enqueued = await anyio.to_thread.run_sync(
            enqueue_deliveries, result.sweep.delivery_ids, result.sweep.digest_ids
        )
        counts = result.sweep
        return SweepReport(
            as_of=as_of,
            refreshed=result.refreshed,
            deadline_deliveries=len(counts.deadline_deliveries),
            warning_deliveries=len(counts.warning_deliveries),
            requeued=len(counts.requeued),
            digests=len(counts.digests),
            requeued_digests=len(counts.requeued_digests),
            enqueued=enqueued,
        )

    @get(
        "/reminder-policies/{structure:str}",
        summary="En strukturs ledtider för påminnelser",
        description="Hur långt före varje slag av tidsfrist påminnelser går ut i strukturen, och vilka "
        "som är standard.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def get_policy(self, structure: FromPath[str]) -> PolicyView:
        return await policy.get_structure_policy(structure)

    @put(
        "/reminder-policies/{structure:str}",
        summary="Ändra en strukturs ledtider för påminnelser",
        description='Till exempel {"policy": {"notice": ["6m", "1m", "7d", "0d"], "planned_meeting": []}}; '
        "en tom lista stänger av slaget, {} återgår till standard.",
        opt={"access": "admin"},
        responses=problems(400, 403, 404, 422),
    )
    async def set_policy(
        self, request: Request, structure: FromPath[str], data: JSONBody[PolicyIn]
    ) -> PolicyView:
        return await policy.set_structure_policy(structure, data.policy, actor=current_actor(request))

    @get(
        "/agreements/{agreement_id:int}/reminder-policy",
        summary="En överenskommelses ledtider för påminnelser",
        description="overrides är överenskommelsens egna; effective är vad som gäller efter standard "
        "och strukturens ledtider.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def get_agreement_policy(self, agreement_id: FromPath[int]) -> AgreementPolicyView:
        return await policy.get_agreement_policy(agreement_id)

    @put(
        "/agreements/{agreement_id:int}/reminder-policy",
        summary="Ändra en överenskommelses ledtider för påminnelser",
        description='Till exempel {"policy": {"notice": ["12m", "6m"]}}; en tom lista stänger av slaget, '
        "{} återgår till strukturens ledtider.",
        opt={"access": "agreement.edit"},
        responses=problems(400, 403, 404, 422),
    )
    async def set_agreement_policy(
        self, request: Request, agreement_id: FromPath[int], data: JSONBody[PolicyIn]
    ) -> AgreementPolicyView:
        return await policy.set_agreement_policy(agreement_id, data.policy, actor=current_actor(request))


class SubscriptionController(Controller):
    path = "/api/subscriptions"
    tags = ["Påminnelser"]

    @post(
        "/",
        summary="Prenumerera på påminnelser (e-post eller webhook)",
        description="Till en struktur, part eller överenskommelse, eventuellt bara vissa slag. En "
        "webhooks signeringsnyckel visas bara i detta svar.",
        opt={"access": "admin"},
        responses=problems(400, 403, 409, 422),
    )
    async def create(self, request: Request, data: JSONBody[SubscriptionIn]) -> SubscriptionView:
        return await subscriptions.create_subscription(
            channel=data.channel,
            target=data.target,
            structure=data.structure,
            party=data.party,
            agreement=data.agreement,
            kinds=data.kinds,
            label=data.label,
            secret=data.secret,
            actor=current_actor(request),
        )

    @get(
        "/",
        summary="Prenumerationer",
        description="Alla prenumerationer på påminnelser, filtrerat på struktur, part eller "
        "överenskommelse; utan signeringsnycklar.",
        opt={"access": "admin"},
        responses=problems(403),
    )
    async def list_all(
        self,
        request: Request,
        structure: StructureSlug = None,
        party: Annotated[str | None, QueryParameter(description="Partens kod")] = None,
        agreement: AgreementId = None,
    ) -> list[SubscriptionView]:
        return await subscriptions.list_subscriptions(structure=structure, party=party, agreement=agreement)

    @delete(
        "/{subscription_id:int}",
        summary="Ta bort en prenumeration",
        description="Inga nya påminnelser går till prenumerationens adress.",
        opt={"access": "admin"},
        responses=problems(403, 404),
    )
    async def remove(self, request: Request, subscription_id: FromPath[int]) -> None:
        await subscriptions.delete_subscription(subscription_id, actor=current_actor(request))
