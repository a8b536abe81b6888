"""What no input may hold, checked once for every route (two app-wide guards, `create_app`).

Litestar parses a path's or query's integer into a Python int of any size and msgspec decodes a
JSON string with a NUL in it; PostgreSQL refuses both (an int4 column, a text without NUL) and the
request would end in a 500 after the handler had started. So before any handler runs:

- `bounded_path_and_query` (before the access guard, which looks the path's ids up): an integer
  in the path beyond PostgreSQL's `integer` is an id that cannot exist (404); in the query, an
  integer parameter beyond it, or a NUL anywhere in the path or the query, is a 400 naming it.
- `clean_body` (after the access guard: whoever may not write hears that first): the JSON body,
  decoded as the handler's type, holds no NUL in any text (400), no integer beyond `integer`
  and no date outside EARLIEST_DAY..LATEST_DAY (422), each naming the field; a form's fields
  hold no NUL (400), and a form part without a filename is text (400).

Limits of one field (a text's column size, a term's months) are declared on the field itself
(`msgspec.Meta`), so they appear in the OpenAPI schema; these are the limits of every field.
"""

from __future__ import annotations

import types
from datetime import date
from typing import Any, Union, get_args, get_origin

import msgspec
from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType
from litestar.handlers import BaseRouteHandler
from litestar.typing import FieldDefinition

from core.errors import DomainError, InvalidInput, NotFound

# PostgreSQL's `integer`, the type of every id and count column.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# Dates a register of agreements between public bodies can mean: its oldest agreements are from
# the 1990s and a term is a few years. Far outside, the date arithmetic of terms, appeal periods
# and reminders (year 1 minus a month, year 9999 plus a renewal) only overflows.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)
CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


NOT_TEXT = (
    "Ett fält i formuläret är inte text (UTF-8). En fil skickas som fil, med sitt filnamn "
    '(Content-Disposition: form-data; name="file"; filename="avtal.pdf").'
)


class BadRequest(DomainError):
    """Input no field can hold (a NUL, an integer of the wrong size): 400."""


def _nul(where: str) -> BadRequest:
    return BadRequest(
        f"{where} innehåller ett NUL-tecken (\\u0000), som inte kan sparas. Ta bort det och försök igen.",
        field=where.rsplit(" ", 1)[-1],
    )


def _int_types(field: FieldDefinition) -> bool:
    """Whether the parameter takes an int (optional or not); bool is no int here."""
    annotation = field.annotation
    options = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    return int in options


def _int_parameters(handler: BaseRouteHandler) -> set[str]:
    """The names (as in the URL) of the handler's integer parameters, path or query."""
    return {
        getattr(field.kwarg_definition, "query", None) or name
        for name, field in handler.parsed_fn_signature.parameters.items()
        if name != "data" and _int_types(field)
    }


async def bounded_path_and_query(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    for name, value in connection.path_params.items():
        if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
            raise NotFound(f"Det finns ingenting på {connection.url.path}.")
        if isinstance(value, str) and "\x00" in value:
            raise _nul(f"Sökvägens del {name}")
    ints = _int_parameters(handler)
    for name, value in connection.query_params.items():
        if "\x00" in name or "\x00" in value:
            raise _nul(f"Parametern {name.replace(chr(0), '')}")
        if name in ints:
            try:
                number = int(value)
            except ValueError:
                continue  # not a number at all: Litestar's own check says so
            if not INT_MIN <= number <= INT_MAX:
                raise BadRequest(
                    f"Parametern {name} får vara högst {INT_MAX} (och minst {INT_MIN}).", field=name
                )


def check_value(value: Any, where: str) -> None:
    """Raise for the first NUL, out-of-range integer or date in a decoded body (depth first)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise _nul(f"Fältet {where}")
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            raise InvalidInput(f"Fältet {where} får vara högst {INT_MAX} (och minst {INT_MIN}).", field=where)
    elif isinstance(value, date):
        if not EARLIEST_DAY <= value <= LATEST_DAY:
            raise InvalidInput(
                f"Datumet i fältet {where} ska ligga mellan {EARLIEST_DAY.isoformat()} och "
                f"{LATEST_DAY.isoformat()}.",
                field=where,
            )
    elif isinstance(value, msgspec.Struct):
        encoded = value.__struct_encode_fields__
        for attr, name in zip(value.__struct_fields__, encoded, strict=True):
            check_value(getattr(value, attr), f"{where}.{name}" if where else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_value(key, where or "body")
            check_value(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            check_value(item, f"{where}[{index}]")


async def clean_body(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    if connection.scope.get("method") not in CHANGES:
        return
    request = connection
    content_type = request.content_type[0] if hasattr(request, "content_type") else ""
    if content_type in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART):
        try:
            form = await request.form()  # type: ignore[attr-defined]
        except UnicodeDecodeError:  # Litestar decodes every part without a filename as UTF-8 text
            raise BadRequest(NOT_TEXT) from None
        for name, value in form.multi_items():
            if "\x00" in name or (isinstance(value, str) and "\x00" in value):
                raise _nul(f"Fältet {name.replace(chr(0), '')}")
        return
    field = handler.parsed_fn_signature.parameters.get("data")
    if field is None:
        return
    body = await request.body()  # type: ignore[attr-defined]
    if not body:
        return
    try:
        value = msgspec.json.decode(body, type=field.annotation)
    except (msgspec.DecodeError, msgspec.ValidationError, TypeError):
        return  # Litestar's own decoding answers this with the reason
    check_value(value, "")
