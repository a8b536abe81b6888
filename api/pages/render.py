"""Rendering the web pages: the template configuration, the context every page gets, and the
HTML answer to an error on a page (the JSON API answers with problem+json instead)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from api.pages.labels import FILTERS
from core.clock import today
from core.errors import DomainError

HERE = Path(__file__).resolve().parent.parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

NAV = (
    ("/", "Start"),
    ("/structures", "Strukturer"),
    ("/search", "Sök"),
    ("/samverkansbrister", "Rapportera samverkansbrist"),
)
ERROR_TITLES = {
    400: "Felaktig adress",
    401: "Logga in",
    403: "Inte tillåtet",
    404: "Sidan finns inte",
    409: "Det gick inte att spara",
    422: "Det gick inte att spara",
}


def _setup(engine: JinjaTemplateEngine) -> None:
    env = engine.engine
    env.filters.update(FILTERS)
    env.trim_blocks = True
    env.lstrip_blocks = True


TEMPLATE_CONFIG = TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_setup)


def is_htmx(request: Request) -> bool:
    """An HTMX request for a part of the page (not a boosted whole page)."""
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"


def page(request: Request, name: str, *, status: int = 200, **context: Any) -> Template:
    """A whole page (or, for HTMX, the fragment template the caller names)."""
    base = {
        "user": request.scope.get("user"),
        "path": request.url.path,
        "nav": NAV,
        "today": today(),
        "flash": request.query_params.get("sparat"),
    }
    return Template(name, context={**base, **context}, status_code=status)


def _error_page(request: Request, status: int, message: str) -> Response:
    title = ERROR_TITLES.get(status, "Något gick fel")
    return page(request, "error.html", status=status, title=title, message=message, status_code=status)


def domain_error_page(request: Request, exc: DomainError) -> Response:
    return _error_page(request, exc.status_hint, exc.message)


def validation_error_page(request: Request, exc: ValidationException) -> Response:
    return _error_page(request, 400, "Adressen innehåller ett värde som inte går att tolka.")


def http_error_page(request: Request, exc: HTTPException) -> Response:
    message = exc.detail if exc.status_code != 404 else f"Det finns ingenting på {request.url.path}."
    return _error_page(request, exc.status_code, message)


PAGE_ERRORS: dict = {
    DomainError: domain_error_page,
    ValidationException: validation_error_page,
    HTTPException: http_error_page,
}
