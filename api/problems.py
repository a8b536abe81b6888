"""Errors as `application/problem+json` (RFC 9457), from one place.

Services raise `core.errors.DomainError`s; Litestar raises its own HTTP exceptions for routing and
validation. Both become a problem document whose `detail` a clerk can act on. Nothing reaches the
client as a bare 500 page: an unexpected error is logged and answered with a short problem.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import asyncpg
import msgspec
from litestar import MediaType, Request, Response
from litestar.enums import HttpMethod
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.response.base import ASGIResponse
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from core.errors import DomainError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)

TITLES = {
    400: "Felaktig begäran",
    401: "Inloggning krävs",
    403: "Åtgärden är inte tillåten för dig",
    404: "Hittades inte",
    405: "Metoden stöds inte",
    409: "Konflikt med lagrade uppgifter",
    413: "För stor begäran",
    415: "Formatet stöds inte",
    422: "Uppgifterna kan inte sparas",
    429: "För många försök",
    500: "Internt fel",
    503: "Tjänsten är inte tillgänglig",
}


class InvalidParam(msgspec.Struct, kw_only=True):
    name: str
    reason: str


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    invalid_params: list[InvalidParam] = msgspec.field(default_factory=list, name="invalid-params")


class HeadAwareResponse(Response):
    """Answers HEAD as it would GET, without the body: the same status and headers, Content-Length
    included (RFC 9110 9.3.2). Litestar sends whatever body a handler returns, HEAD or not, and its
    own @head handlers may not return a body at all, so they could not say how long it is."""

    def to_asgi_response(self, app: Any, request: Request, **kwargs: Any) -> ASGIResponse:
        response = super().to_asgi_response(app, request, **kwargs)
        response.is_head_response = request.method == HttpMethod.HEAD
        return response


def problem_response(
    request: Request,
    status: int,
    detail: str,
    params: list[InvalidParam] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Problem]:
    body = Problem(
        title=TITLES.get(status, "Fel"),
        status=status,
        detail=detail,
        instance=request.url.path,
        invalid_params=params or [],
    )
    return HeadAwareResponse(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _domain_error(request: Request, exc: DomainError) -> Response[Problem]:
    params = [InvalidParam(name=exc.field, reason=exc.message)] if exc.field else []
    return problem_response(request, exc.status_hint, exc.message, params)


# msgspec's words for a value past a limit declared on its field (core.limits), in a clerk's:
# "Expected `str` of length <= 300" → "får ha högst 300 tecken". Such a value in a body is
# well-formed but too long or too large: 422, like every other rule the input breaks.
_LIMIT = re.compile(r"Expected `(str|int|float|array|object)`(?: of length)? (<=|>=|<|>) (-?\d+)")
_UNITS = {"str": " tecken", "array": " värden", "object": " värden"}
_BOUND = {"<=": "högst", ">=": "minst", "<": "mindre än", ">": "mer än"}


def _limit_reason(message: str) -> str | None:
    match = _LIMIT.match(message)
    if match is None:
        return None
    kind, op, number = match.groups()
    verb = "får ha" if kind in _UNITS else "får vara"
    return f"{verb} {_BOUND[op]} {number}{_UNITS.get(kind, '')}"


def _validation_error(request: Request, exc: ValidationException) -> Response[Problem]:
    params = []
    limits = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            name = str(item.get("key") or item.get("source") or "body")
            message = str(item.get("message", ""))
            # a query's or path's parameter out of range stays a 400: the request is malformed
            limit = _limit_reason(message) if item.get("source") in (None, "body") else None
            if limit is not None:
                limits.append(f"{name} {limit}")
            params.append(InvalidParam(name=name, reason=f"Fältet {name} {limit}." if limit else message))
    if params and len(limits) == len(params):
        return problem_response(request, 422, f"Fältet {' och '.join(limits)}.", params)
    names = ", ".join(p.name for p in params)
    detail = f"Kontrollera fälten: {names}." if names else (exc.detail or "Begäran kunde inte tolkas.")
    if not names and "JSON" in (exc.detail or ""):
        detail = "Begärans innehåll är inte giltig JSON."
    return problem_response(request, 400, detail, params)


def _http_error(request: Request, exc: HTTPException) -> Response[Problem]:
    detail = exc.detail
    if exc.status_code == 404:
        detail = f"Det finns ingenting på {request.url.path}."
    elif exc.status_code == 405:
        detail = f"{request.method} går inte att använda på {request.url.path}."
    return problem_response(request, exc.status_code, detail, headers=exc.headers)


def _data_error(request: Request, exc: asyncpg.exceptions.DataError) -> Response[Problem]:
    """A value PostgreSQL cannot store (too long for its column, a number too large). The input
    limits (api.limits, core.limits) stop these before any handler; this answers one that a
    form or a future route lets through, and the transaction it happened in is rolled back."""
    log.warning("value refused by the database on %s %s: %s", request.method, request.url.path, exc)
    return problem_response(
        request,
        422,
        "Ett av värdena är för långt eller för stort för att sparas. Inget sparades; korta det och "
        "försök igen.",
    )


def _unexpected(request: Request, exc: Exception) -> Response[Problem]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        "Ett oväntat fel inträffade. Inget sparades; försök igen eller kontakta förvaltningen.",
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: _domain_error,
    ValidationException: _validation_error,
    HTTPException: _http_error,
    asyncpg.exceptions.DataError: _data_error,
    Exception: _unexpected,
}


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI documentation of the problem answers a route can give."""
    return {
        s: ResponseSpec(data_container=Problem, description=TITLES[s], media_type=PROBLEM_JSON)
        for s in statuses
    }


__all__ = [
    "EXCEPTION_HANDLERS",
    "PROBLEM_JSON",
    "HeadAwareResponse",
    "InvalidParam",
    "MediaType",
    "Problem",
    "problems",
]
