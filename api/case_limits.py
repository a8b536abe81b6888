"""Rate limiting of the public report form and API: per client address, in Redis.

Staff of 27–50 organisations report without an account, so the form is open; a limit per address
keeps a script from filling the register. An office behind one address reports a few a day at
most (BUS: 120–130 a year, seed 004), so 20 an hour leaves room and stops a flood.
"""

from __future__ import annotations

import hashlib

from litestar import Request
from litestar.exceptions import TooManyRequestsException

from api.security import redis_namespace
from api.throttle import client_address
from core.settings import get_settings

REPORTS_PER_HOUR = 20
WINDOW_SECONDS = 3600
TOO_MANY = "För många rapporter från samma adress den senaste timmen. Försök igen om en stund."


async def count_report(request: Request) -> None:
    """Count one report from the request's address; refuse (429) past the limit."""
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"{redis_namespace(get_settings())}:case-reports:{address}"
    redis = request.app.state.redis
    pipe = redis.pipeline()
    pipe.incr(key).expire(key, WINDOW_SECONDS, nx=True)
    count, _ = await pipe.execute()
    if count > REPORTS_PER_HOUR:
        raise TooManyRequestsException(detail=TOO_MANY, headers={"Retry-After": str(WINDOW_SECONDS)})
