"""Rate limits in Redis: sign-in failures per account and per client address, and reports from
the public samverkansbrist form per address. Both are counts that expire (`Counter`).

Each sign-in failure counts for 15 minutes from the latest one; at the limit, sign-in is refused
(the right password too) until the count expires. A success clears the account's count, not the
address's. Counting by address as well stops one address from trying many accounts.

Staff of 27–50 organisations report samverkansbrister without an account, so that form is open;
a limit per address keeps a script from filling the register. An office behind one address
reports a few a day at most (BUS: 120–130 a year, seed 004), so 20 an hour leaves room and stops
a flood. The hour runs from the first report, so a steady trickle is never locked out.
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
REPORTS_PER_HOUR = 20
REPORT_WINDOW_SECONDS = 3600
TOO_MANY_REPORTS = "För många rapporter från samma adress den senaste timmen. Försök igen om en stund."


def client_address(request: Request) -> str:
    return request.client.host if request.client else "okänd"


class Counter:
    """Counts in Redis that expire, under the installation's namespace."""

    def __init__(self, redis: object, namespace: str) -> None:
        self.redis = redis
        self.namespace = namespace

    async def add(self, keys: tuple[str, ...], seconds: int, *, from_first: bool = False) -> list[int]:
        """Count one more in each key, in one round trip; the counts after it. Each key expires
        `seconds` after its latest count, or after its first with `from_first` (a fixed window)."""
        pipe = self.redis.pipeline()
        for key in keys:
            pipe.incr(key).expire(key, seconds, nx=from_first)
        return (await pipe.execute())[::2]


class LoginThrottle(Counter):
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
        account, by_address = await self.add(self.keys(email, address), LOCK_SECONDS)
        if account == ACCOUNT_FAILURES:
            return "account"
        if by_address == ADDRESS_FAILURES:
            return "ip"
        return None

    async def succeeded(self, email: str, address: str) -> None:
        await self.redis.delete(self.keys(email, address)[0])


def throttle_for(request: Request) -> LoginThrottle:
    return LoginThrottle(request.app.state.redis, redis_namespace(get_settings()))


def report_key(namespace: str, address: str) -> str:
    """The count of reports from one address, hashed: the reporters are anonymous."""
    return f"{namespace}:case-reports:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


async def count_report(request: Request) -> None:
    """Count one report from the request's address; refuse (429) past the limit."""
    counter = Counter(request.app.state.redis, redis_namespace(get_settings()))
    key = report_key(counter.namespace, client_address(request))
    (count,) = await counter.add((key,), REPORT_WINDOW_SECONDS, from_first=True)
    if count > REPORTS_PER_HOUR:
        raise TooManyRequestsException(
            detail=TOO_MANY_REPORTS, headers={"Retry-After": str(REPORT_WINDOW_SECONDS)}
        )


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
