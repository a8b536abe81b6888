"""Input limits declared once, as msgspec field types: decoding refuses what breaks them, and the
OpenAPI schema states them (`maxLength`, `minimum`, `maximum`)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

# A free text without a column limit (a summary, a note): some pages of text, far more than any
# seed's longest paragraph, far less than would burden a page or a feed.
LONG_TEXT = 20_000


def text(column: Any) -> Any:
    """A text no longer than the column (a Piccolo `Varchar`, or an `Array` of them) holds."""
    length = getattr(column, "length", None) or column.base_column.length
    return Annotated[str, msgspec.Meta(max_length=length)]


LongText = Annotated[str, msgspec.Meta(max_length=LONG_TEXT)]
