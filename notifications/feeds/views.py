"""What the feeds services return: plain structs the API serialises as they are."""

from __future__ import annotations

from datetime import datetime

import msgspec


class FeedTokenView(msgspec.Struct, kw_only=True):
    """A token as a list shows it: never the token itself."""

    id: int
    scope: str  # party | agreement | structure | user
    key: str
    label: str
    published: bool  # the scope's published token, the one its pages link to
    prefix: str  # the token's first characters, to recognise it
    feed_path: str  # the feed's path without its token
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewFeedToken(FeedTokenView, kw_only=True):
    """A token just created or rotated: the only time the token and its URLs are shown."""

    token: str
    https: str  # the feed's URL (on BASE_URL's scheme), token included
    webcal: str  # the same as webcal://, which offers to subscribe when clicked


class SubscribeLinks(msgspec.Struct, kw_only=True):
    """A published feed's subscribe links, as the agreement, party and structure pages show them."""

    scope: str
    key: str
    name: str  # the calendar's name in the subscriber's program
    https: str
    webcal: str
