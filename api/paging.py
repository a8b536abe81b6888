"""The query parameters every paged list takes, and the day a read answers for."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar.params import QueryParameter

Limit = Annotated[int, QueryParameter(ge=1, le=500, description="Antal per sida (1–500)")]
Offset = Annotated[int, QueryParameter(ge=0, description="Hoppa över så många")]
AsOf = Annotated[
    date | None, QueryParameter(description="Som det står den dagen (ÅÅÅÅ-MM-DD); i dag om inget anges")
]
