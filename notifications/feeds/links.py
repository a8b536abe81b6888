"""Subscribe links for the agreement, party and structure pages and the API.

Each published scope has one published token, made the first time its link is asked for. That is
a choice for installations where reading is public (PUBLIC_READ, the default): agreements and
their deadlines are public records (offentlighetsprincipen), so the link is no secret either; the
token only makes a link that has spread revocable (rotate it, and every old subscription stops;
revoke it, and the next view of a page makes a new one: the same).
Where reading needs a sign-in, only signed-in users see the link (the route's "read" rule), and
private tokens for one recipient each come from POST /api/feeds.

The published token is not stored, only its hash and a nonce: it is derived again with SECRET_KEY
whenever a page shows it (`tokens.published_token`). After SECRET_KEY changes the derived token no
longer matches, so the next view replaces it: a new key is also a new set of feed links.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from audit.trail import Actor, record
from core.errors import NotFound
from notifications.feeds.scopes import Scope, agreement_scope_id, feed_url, parse_scope
from notifications.feeds.tables import FeedToken
from notifications.feeds.tokens import (
    SCOPE_MISSING,
    SCOPE_NAME,
    TOKEN_ENTITY,
    insert_token,
    published_token,
    revoke_row,
    token_hash,
)
from notifications.feeds.views import SubscribeLinks
from notifications.ical import webcal_url

PUBLISHED_LABEL = "Publicerad länk"
_SYSTEM = Actor.system("calendar subscribe link")


async def subscribe_links(scope_kind: str, key: str | int, *, kinds: Sequence[str] = ()) -> SubscribeLinks:
    """The https and webcal links of a published feed (of only these deadline kinds, if given),
    its published token made on first use. NotFound for a scope that does not exist."""
    scope = parse_scope(scope_kind, key)
    for _ in range(3):  # a concurrent first view may win the insert: then read its token
        found = await _published(scope)
        token = published_token(scope, found["nonce"]) if found["nonce"] else None
        if token is not None and token_hash(token) == found["token_hash"]:
            url = feed_url(scope, token) + "".join(f"&kind={kind}" for kind in kinds)
            return SubscribeLinks(
                scope=scope.kind.value, key=scope.key, name=found["name"], https=url, webcal=webcal_url(url)
            )
        await _replace(scope, stale_id=found["id"])
    raise RuntimeError(f"no published token for {scope.default_for} after three attempts")


async def _published(scope: Scope) -> dict:
    rows = await FeedToken.raw(
        f"SELECT n.name, t.id, t.nonce, t.token_hash FROM ({SCOPE_NAME[scope.kind]}) n "
        "LEFT JOIN feed_token t ON t.default_for = {}",
        scope.key,
        scope.default_for,
    )
    if not rows:
        raise NotFound(SCOPE_MISSING[scope.kind].format(scope.key))
    return rows[0]


async def _replace(scope: Scope, *, stale_id: int | None) -> None:
    """Make the scope's published token; first revoke one made with another SECRET_KEY."""
    async with FeedToken._meta.db.transaction():
        if stale_id is not None and await revoke_row(stale_id) is not None:
            await record(
                _SYSTEM,
                "revoke",
                TOKEN_ENTITY,
                stale_id,
                agreement_id=agreement_scope_id(scope),
                before={"scope": scope.kind.value, "key": scope.key, "reason": "SECRET_KEY changed"},
            )
        nonce = secrets.token_hex(16)
        row = await insert_token(scope, published_token(scope, nonce), label=PUBLISHED_LABEL, nonce=nonce)
        if row is not None:
            await record(
                _SYSTEM,
                "create",
                TOKEN_ENTITY,
                row["id"],
                agreement_id=agreement_scope_id(scope),
                after={"scope": scope.kind.value, "key": scope.key, "label": PUBLISHED_LABEL},
            )
