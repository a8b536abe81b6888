"""Signing in and out on the web pages, with the accounts services' session sign-in."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import TooManyRequestsException
from litestar.params import Body, QueryParameter
from litestar.response import Redirect, Template

from api.pages.forms import Form
from api.pages.render import page
from api.security import start_session
from api.throttle import sign_out, throttled_sign_in
from core.errors import DomainError

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
Next = Annotated[str, QueryParameter(max_length=500, description="Sidan att gå till efter inloggningen")]


def safe_next(target: str) -> str:
    """Only a path on this site (never //host or a scheme): no open redirect."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@get("/login", opt={"access": "public"}, include_in_schema=False)
async def login_page(request: Request, next: Next = "/") -> Template:
    return page(request, "login.html", form=Form("login", {"email": "", "next": safe_next(next)}))


@post("/login", opt={"access": "public"}, include_in_schema=False)
async def login(request: Request, data: FormData) -> Response:
    form = Form.typed("login", data, ("email", "next"))  # the password is never sent back
    password = data.get("password", "")
    if not form.values["email"]:
        form.errors["email"] = "Ange din e-postadress."
    if not password:
        form.errors["password"] = "Ange ditt lösenord."
    if form.errors:
        return page(request, "login.html", status=422, form=form)
    try:
        user = await throttled_sign_in(request, form.values["email"], password)
    except DomainError as exc:
        form.errors = {"": exc.message}
        return page(request, "login.html", status=exc.status_hint, form=form)
    except TooManyRequestsException as exc:
        form.errors = {"": str(exc.detail)}
        return page(request, "login.html", status=429, form=form)
    start_session(request, user.id)
    return Redirect(path=safe_next(form.values["next"]), status_code=303)


@post("/logout", opt={"access": "public"}, include_in_schema=False)
async def logout(request: Request) -> Redirect:
    await sign_out(request)
    return Redirect(path="/", status_code=303)
