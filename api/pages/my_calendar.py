"""The signed-in person's own calendar: a feed of the deadlines their roles make them responsible
for (`notifications.feeds.queries`: a clerk's party, a secretariat's structure, a steward's
agreement), made, replaced and switched off with the same services as /api/feeds/me.

Only the token's hash is stored, so its link can be shown once: in the answer to the form that
made it, not after a redirect (which would have to keep the token somewhere until then), and
never cached (`no-store`).
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from accounts.principal import SignedInUser
from accounts.tables import Role
from api.actor import current_actor
from api.auth import signed_in
from api.pages.render import page
from core.errors import NotFound
from notifications.feeds import manage
from notifications.feeds.views import NewFeedToken

PATH = "/me/calendar"


@dataclass(frozen=True, slots=True)
class Responsibility:
    """One line of "what the calendar holds": "Som registrator för Härryda (1401): ..."."""

    role: str
    name: str
    href: str
    what: str


def responsibilities(user: SignedInUser) -> list[Responsibility]:
    """The roles that put deadlines in the feed; admins and viewers have no scope of their own."""
    found = []
    for g in user.roles:
        if g.role is Role.SECRETARIAT:
            what = "tidsfristerna i alla strukturens överenskommelser"
            found.append(
                Responsibility("sekretariat för", g.structure_name or "", f"/structures/{g.structure}", what)
            )
        elif g.role is Role.CLERK:
            what = "partens egna tidsfrister och de gemensamma i dess överenskommelser"
            found.append(
                Responsibility("registrator för", f"{g.party_name} ({g.party})", f"/parties/{g.party}", what)
            )
        elif g.role is Role.STEWARD:
            name, href = f"överenskommelse {g.agreement_id}", f"/agreements/{g.agreement_id}"
            found.append(Responsibility("förvaltare av", name, href, "alla dess tidsfrister"))
    return found


async def _page(
    request: Request, made: NewFeedToken | None = None, error: str | None = None, status: int = 200
) -> Template:
    user = signed_in(request)
    active = await manage.personal_tokens(user.id)
    response = page(
        request,
        "my_calendar.html",
        status=status,
        active=active[-1] if active else None,
        made=made,
        error=error,
        responsibilities=responsibilities(user),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@get(PATH, opt={"access": "signed_in"}, include_in_schema=False)
async def my_calendar(request: Request) -> Template:
    return await _page(request)


@post(PATH, opt={"access": "signed_in"}, include_in_schema=False)
async def make_my_calendar(request: Request) -> Template:
    """A new link; the one before stops working at once (a person has one at a time)."""
    made = await manage.create_personal_token(signed_in(request).id, actor=current_actor(request))
    return await _page(request, made)


@post(f"{PATH}/revoke", opt={"access": "signed_in"}, include_in_schema=False)
async def revoke_my_calendar(request: Request) -> Response:
    try:
        await manage.revoke_personal_token(signed_in(request).id, actor=current_actor(request))
    except NotFound as exc:  # already off (another tab, a double click): the page says so
        return await _page(request, error=exc.message, status=exc.status_hint)
    return Redirect(path=f"{PATH}?sparat=kalender-av", status_code=303)
