""" "Mina aviseringar": what you follow, how often and about what you get e-mail, and what was sent
to you in the last 30 days; the follow and unfollow buttons of the agreement, party and structure
pages; and the page behind every e-mail's unsubscribe link, which works without a sign-in.

The unsubscribe link's POST is RFC 8058's one-click: mail clients send it without a CSRF token, so
the path is exempt from the CSRF check (api.security); the signed token in the path is what
authorises it, and it can only stop e-mail to the address it was made for.
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from api.actor import current_actor
from api.auth import signed_in
from api.pages.render import page
from api.security import UNSUBSCRIBE_PREFIX
from audit.trail import Actor
from core.errors import DomainError, InvalidInput, NotFound
from lifecycle.rules.deadlines import DeadlineKind
from notifications import follows, preferences
from notifications.messages import KIND_SV
from notifications.preferences import FREQUENCY_SV
from notifications.unsubscribe import read_token

PATH = "/me/notifications"
WARNING_KINDS_SV = {
    "warning": "Varningar om giltighet (alla slag)",
}
KIND_CHOICES = [(k.value, KIND_SV[k]) for k in DeadlineKind] + list(WARNING_KINDS_SV.items())
SCOPES = ("agreement", "party", "structure")


async def follow_state(request: Request, scope: str, key: str | int) -> dict | None:
    """What a page's follow button needs: None when nobody is signed in."""
    user = request.scope.get("user")
    if user is None:
        return None
    found = await follows.following(user.email, **{scope: key})
    default = scope == "party" and await follows.follows_by_default(user.email, str(key))
    return {"scope": scope, "key": key, "id": found, "default": default, "next": request.url.path}


async def _page(
    request: Request, *, errors: dict | None = None, values: dict | None = None, status: int = 200
):
    user = signed_in(request)
    prefs = await preferences.get_preference(user.email)
    response = page(
        request,
        "my_notifications.html",
        status=status,
        prefs=prefs,
        values=values or {"frequency": prefs.frequency, "kinds": prefs.kinds, "events": prefs.events},
        errors=errors or {},
        follows=await follows.my_follows(user.email),
        sent=await follows.sent_to(user.email),
        frequencies=FREQUENCY_SV,
        kinds=KIND_CHOICES,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@get(PATH, opt={"access": "signed_in"}, include_in_schema=False)
async def my_notifications(request: Request) -> Template:
    return await _page(request)


@post(PATH, opt={"access": "signed_in"}, include_in_schema=False)
async def save_preferences(request: Request) -> Template | Redirect:
    form = await request.form()
    values = {
        "frequency": str(form.get("frequency") or ""),
        "kinds": [str(k) for k in form.getall("kinds", [])],
        "events": form.get("events") == "on",
    }
    try:
        await preferences.set_preference(
            signed_in(request).email,
            frequency=values["frequency"],
            kinds=values["kinds"],
            events=values["events"],
            actor=current_actor(request),
        )
    except DomainError as exc:
        return await _page(
            request, errors={exc.field or "frequency": exc.message}, values=values, status=exc.status_hint
        )
    return Redirect(path=f"{PATH}?sparat=aviseringar", status_code=303)


def _back(value: object) -> str:
    """Back to the page the button was on; only a path of ours (no open redirect)."""
    text = str(value or "")
    return text if text.startswith("/") and not text.startswith("//") else PATH


@post("/me/follows", opt={"access": "signed_in"}, include_in_schema=False)
async def follow_page(request: Request) -> Redirect:
    form = await request.form()
    scope, key = str(form.get("scope") or ""), str(form.get("key") or "").strip()
    if scope not in SCOPES or not key:
        raise InvalidInput(
            "Ange vad du vill följa: en överenskommelse, en part eller en struktur.", field="scope"
        )
    if scope == "agreement":
        if not key.isdigit():
            raise InvalidInput(f"'{key[:40]}' är inget id för en överenskommelse.", field="key")
        target: dict = {"agreement": int(key)}
    else:
        target = {scope: key}
    user = signed_in(request)
    await follows.follow(user.email, user.name, **target, actor=current_actor(request))
    return Redirect(path=f"{_back(form.get('next'))}?sparat=foljer", status_code=303)


@post("/me/follows/{follow_id:int}/delete", opt={"access": "signed_in"}, include_in_schema=False)
async def unfollow_page(request: Request, follow_id: FromPath[int]) -> Redirect:
    form = await request.form()
    await follows.unfollow(signed_in(request).email, follow_id, actor=current_actor(request))
    return Redirect(path=f"{_back(form.get('next'))}?sparat=foljer-inte", status_code=303)


@post("/me/follows/parties/{party_code:str}/delete", opt={"access": "signed_in"}, include_in_schema=False)
async def unfollow_party_page(request: Request, party_code: FromPath[str]) -> Redirect:
    """Stop following a party, also the follow a clerk has of its own party by default."""
    form = await request.form()
    await follows.unfollow_party(signed_in(request).email, party_code, actor=current_actor(request))
    return Redirect(path=f"{_back(form.get('next'))}?sparat=foljer-inte", status_code=303)


def _address(token: str) -> str:
    address = read_token(token)
    if address is None:
        raise NotFound(
            "Länken för att avsluta e-post är inte giltig. Kopiera hela länken från meddelandet, "
            "eller logga in och välj under Mina aviseringar."
        )
    return address


def _unsubscribe_page(
    request: Request, token: str, address: str, prefs, *, done: str | None = None
) -> Template:
    response = page(request, "unsubscribe.html", token=token, address=address, prefs=prefs, done=done)
    response.headers["Cache-Control"] = "no-store"
    return response


@get(f"{UNSUBSCRIBE_PREFIX}{{token:str}}", opt={"access": "public"}, include_in_schema=False)
async def unsubscribe_page(request: Request, token: FromPath[str]) -> Template:
    address = _address(token)
    return _unsubscribe_page(request, token, address, await preferences.get_preference(address))


# Mail clients send the RFC 8058 one-click POST without cookies, so no CSRF token can come with it;
# the signed token in the path is what proves the link came from our e-mail.
@post(
    f"{UNSUBSCRIBE_PREFIX}{{token:str}}",
    opt={"access": "public", "exclude_from_csrf": True},
    include_in_schema=False,
    status_code=200,
)
async def unsubscribe(request: Request, token: FromPath[str]) -> Template:
    """The one-click POST (body "List-Unsubscribe=One-Click") and the page's own buttons."""
    address = _address(token)
    form = await request.form()
    actor = Actor.system(f"avregistreringslänk för {address}")
    if form.get("action") == "resubscribe":
        prefs = await preferences.resubscribe(address, actor=actor)
        return _unsubscribe_page(request, token, address, prefs, done="resubscribed")
    prefs = await preferences.unsubscribe(address, actor=actor)
    return _unsubscribe_page(request, token, address, prefs, done="unsubscribed")
