"""The signed-in person's own notifications: preferences, what they follow, what was sent to them,
and the unsubscribe link's one-click answer (RFC 8058), which needs no sign-in."""

from __future__ import annotations

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody

from api.actor import current_actor
from api.auth import signed_in
from api.problems import problems
from notifications import follows, preferences
from notifications.follows import Follow, SentMessage
from notifications.preferences import PreferenceView


class PreferenceIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    frequency: str = "daily"  # immediately, daily or weekly
    kinds: list[str] = msgspec.field(default_factory=list)  # deadline or warning kinds; empty: all
    events: bool = False  # what happened in what you follow


class FollowIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    structure: str | None = None
    party: str | None = None
    agreement: int | None = None


class MyNotifications(msgspec.Struct, kw_only=True):
    preferences: PreferenceView
    follows: list[Follow]
    sent: list[SentMessage]  # the last 30 days' e-mails to you


class MyNotificationsController(Controller):
    path = "/api/me"
    tags = ["Mina aviseringar"]

    @get(
        "/notifications",
        summary="Mina aviseringar",
        description="Hur ofta och om vad du får e-post, vad du följer och vad som skickades till dig "
        "de senaste 30 dagarna.",
        opt={"access": "signed_in"},
        responses=problems(401),
    )
    async def my_notifications(self, request: Request) -> MyNotifications:
        email = signed_in(request).email
        return MyNotifications(
            preferences=await preferences.get_preference(email),
            follows=await follows.my_follows(email),
            sent=await follows.sent_to(email),
        )

    @put(
        "/notifications",
        summary="Välj hur ofta och om vad du får e-post",
        description="frequency: immediately (genast), daily (en sammanställning om dagen, "
        "förval) eller weekly (en i veckan); kinds: vilka slag av tidsfrister och varningar (tom: "
        "alla); events: true för att också få veta vad som har hänt i det du följer (beslut, "
        "processteg, uppsägningar, rundor som öppnas och besvaras, ikraftträdanden), av förval "
        "av. Att spara startar e-posten igen efter en avregistrering.",
        opt={"access": "signed_in"},
        responses=problems(400, 401),
    )
    async def set_preferences(self, request: Request, data: JSONBody[PreferenceIn]) -> PreferenceView:
        return await preferences.set_preference(
            signed_in(request).email,
            frequency=data.frequency,
            kinds=data.kinds,
            events=data.events,
            actor=current_actor(request),
        )

    @post(
        "/follows",
        summary="Följ en överenskommelse, en part eller en struktur",
        description="Ange precis en av structure, party och agreement. Påminnelserna och varningarna "
        "kommer till din e-postadress. En nämndsekreterare följer sin part från början (409 om du "
        "redan gör det); har du slutat följa den börjar du följa den igen.",
        opt={"access": "signed_in"},
        status_code=201,
        responses=problems(400, 401, 409),
    )
    async def follow(self, request: Request, data: JSONBody[FollowIn]) -> Follow:
        user = signed_in(request)
        return await follows.follow(
            user.email,
            user.name,
            structure=data.structure,
            party=data.party,
            agreement=data.agreement,
            actor=current_actor(request),
        )

    @delete(
        "/follows/{follow_id:int}",
        summary="Sluta följa",
        description="Du får inte längre e-post om det du följde. Någon annans, eller en som inte finns, "
        "ger 404.",
        opt={"access": "signed_in"},
        status_code=204,
        responses=problems(401, 404),
    )
    async def unfollow(self, request: Request, follow_id: FromPath[int]) -> None:
        await follows.unfollow(signed_in(request).email, follow_id, actor=current_actor(request))

    @delete(
        "/follows/parties/{party_code:str}",
        summary="Sluta följa en part",
        description="Tar bort din prenumeration på parten och, om du är nämndsekreterare för den, "
        "det du följer av den från början: det förblir avslutat (också om rollen ges på nytt) tills "
        'du följer parten igen med POST /api/me/follows {"party": ...}. 404 när du inte följer den.',
        opt={"access": "signed_in"},
        status_code=204,
        responses=problems(401, 404, 422),
    )
    async def unfollow_party(self, request: Request, party_code: FromPath[str]) -> None:
        await follows.unfollow_party(signed_in(request).email, party_code, actor=current_actor(request))
