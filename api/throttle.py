"""Login rate limiting in Redis: per account and per client address.

Each failure counts for 15 minutes from the latest one; at the limit, sign-in is refused (the
right password too) until the count expires. A success clears the account's count, not the
address's. Counting by address as well stops one address from trying many accounts.
"""

from __future__ import annotations

import hashlib

from litestar import Request
from litestar.exceptions import TooManyRequestsException

from accounts.principal import SignedInUser
from accounts.signin import record_lockout, record_sign_out, sign_in
from accounts.users import lookup_email
from api.security import end_session, redis_namespace
from core.errors import Unauthenticated
from core.settings import get_settings

LOCK_SECONDS = 15 * 60  # the "15 minuter" of LOCKED
ACCOUNT_FAILURES = 5  # a person who mistyped tries a few times; a guesser needs thousands
ADDRESS_FAILURES = 20  # one office behind a shared address may hold several people who mistype
LOCKED = "För många misslyckade inloggningar. Försök igen om 15 minuter."


def client_address(request: Request) -> str:
    return request.client.host if request.client else "okänd"


class LoginThrottle:
    def __init__(self, redis: object, namespace: str) -> None:
        self.redis = redis
        self.namespace = namespace

    def keys(self, email: str, address: str) -> tuple[str, str]:
        account = hashlib.sha256(lookup_email(email).encode()).hexdigest()
        return (
            f"{self.namespace}:login-failures:account:{account}",
            f"{self.namespace}:login-failures:ip:{address}",
        )

    async def check(self, email: str, address: str) -> None:
        keys = self.keys(email, address)
        account, by_address = (int(v or 0) for v in await self.redis.mget(keys))
        if account >= ACCOUNT_FAILURES or by_address >= ADDRESS_FAILURES:
            raise TooManyRequestsException(detail=LOCKED, headers={"Retry-After": str(LOCK_SECONDS)})

    async def failed(self, email: str, address: str) -> str | None:
        """Count a failure; "account" or "ip" when this one starts a lock-out."""
        account_key, address_key = self.keys(email, address)
        pipe = self.redis.pipeline()
        pipe.incr(account_key).expire(account_key, LOCK_SECONDS).incr(address_key).expire(
            address_key, LOCK_SECONDS
        )
        account, _, by_address, _ = await pipe.execute()
        if account == ACCOUNT_FAILURES:
            return "account"
        if by_address == ADDRESS_FAILURES:
            return "ip"
        return None

    async def succeeded(self, email: str, address: str) -> None:
        await self.redis.delete(self.keys(email, address)[0])


def throttle_for(request: Request) -> LoginThrottle:
    return LoginThrottle(request.app.state.redis, redis_namespace(get_settings()))


async def throttled_sign_in(request: Request, email: str, password: str) -> SignedInUser:
    throttle = throttle_for(request)
    address = client_address(request)
    await throttle.check(email, address)
    try:
        user = await sign_in(email, password, ip=address)
    except Unauthenticated:
        if scope := await throttle.failed(email, address):
            await record_lockout(email, ip=address, scope=scope)
        raise
    await throttle.succeeded(email, address)
    return user


async def sign_out(request: Request) -> None:
    """End the request's session, and record it when a person signed out (not an API token)."""
    user = request.scope.get("user")
    if user is not None and user.via == "session":
        await record_sign_out(user, ip=client_address(request))
    end_session(request)
