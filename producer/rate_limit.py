"""Requests per API caller (JWT `sub`) and minute, counted in Redis so that every producer replica shares them."""

import time

from redis.asyncio import Redis

# A fixed window per minute: INCR, and an expiry set with the first request of the window.
_COUNT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], 61) end
return n
"""


async def over_the_limit(redis: Redis, subject: str, per_minute: int) -> int | None:
    """None while `subject` is within `per_minute` requests this minute; else the seconds until the next."""
    now = time.time()
    window = int(now // 60)
    count = int(await redis.eval(_COUNT, 1, f"ratelimit:{subject}:{window}"))  # type: ignore[misc]
    if count <= per_minute:
        return None
    return max(1, int((window + 1) * 60 - now) + 1)
