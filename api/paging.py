"""The query parameters every paged list takes."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

Limit = Annotated[int, QueryParameter(ge=1, le=500, description="Antal per sida (1–500)")]
Offset = Annotated[int, QueryParameter(ge=0, description="Hoppa över så många")]
