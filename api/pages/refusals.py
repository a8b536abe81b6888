"""A form refused for its CSRF token, answered in the asker's terms: a person who sent a page's
form (a tab left open over night, cookies cleared) gets a page in Swedish with the way back; a
program calling the JSON API keeps its problem document.

Registered on the whole app, not only the pages' router: the CSRF check runs before any handler,
and an /api/ request a browser makes for a page (Accept prefers HTML) is a person too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar import MediaType, Request, Response

from api.pages.login import safe_next
from api.pages.render import page
from api.problems import PROBLEM_JSON, problem_response
from api.security import CSRFRefused

TITLE = "Formuläret kunde inte skickas"
MESSAGE = "Formuläret hade gått ut. Ladda om sidan och försök igen. Inget har sparats."


def wants_page(request: Request) -> bool:
    """Anything outside /api/ is a page; an /api/ request is one only when it prefers HTML."""
    if not request.url.path.startswith("/api/"):
        return True
    offered = [PROBLEM_JSON, MediaType.JSON, MediaType.HTML]
    return request.accept.best_match(offered) == MediaType.HTML


def back_to_form(request: Request) -> str:
    """The page the form was on: the Referer, when it is this site (browsers send it on
    same-origin requests), else the start page. Never another site: no open redirect."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.url.netloc:
        return "/"
    return safe_next(f"{referer.path}?{referer.query}" if referer.query else referer.path)


def csrf_refused(request: Request, exc: CSRFRefused) -> Response:
    if not wants_page(request):
        return problem_response(request, exc.status_code, exc.detail)
    back = back_to_form(request)
    # `path`: the header's sign-in link and menu act for the form's page, not for the POST's URL
    return page(
        request, "error.html", status=exc.status_code, title=TITLE, message=MESSAGE, back=back, path=back
    )
