"""Errors as `application/problem+json` (RFC 9457), from one place.

Services raise `core.errors.DomainError`s; Litestar raises its own HTTP exceptions for routing and
validation. Both become a problem document whose `detail` a clerk can act on. Nothing reaches the
client as a bare 500 page: an unexpected error is logged and answered with a short problem.
"""

from __future__ import annotations

import logging
from typing import Any

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


def _validation_error(request: Request, exc: ValidationException) -> Response[Problem]:
    params = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            params.append(
                InvalidParam(
                    name=str(item.get("key") or item.get("source") or "body"),
                    reason=str(item.get("message", "")),
                )
            )
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
