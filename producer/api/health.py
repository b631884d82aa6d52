"""`GET /health`: 200 while Redis and PostgreSQL answer, promptly 503 otherwise."""

import asyncio
from collections.abc import Awaitable
from typing import Any

from aiohttp import web

from producer.api.endpoint import endpoint
from producer.api.schemas import Health
from producer.keys import DB_POOL, JOB_POOL

HEALTH_TIMEOUT_SECONDS = 1.5


async def answers(awaitable: Awaitable[Any]) -> bool:
    try:
        await asyncio.wait_for(awaitable, HEALTH_TIMEOUT_SECONDS)
        return True
    except Exception:
        return False


@endpoint("GET", "/health", summary="Whether Redis and PostgreSQL answer", responses={200: Health, 503: Health},
          auth=False, tags=("health",))  # fmt: skip
async def health(request: web.Request) -> web.Response:
    redis_ok, postgres_ok = await asyncio.gather(
        answers(request.app[JOB_POOL].ping()), answers(request.app[DB_POOL].fetchval("SELECT 1"))
    )
    healthy = redis_ok and postgres_ok
    body = Health(status="ok" if healthy else "unavailable", redis=redis_ok, postgres=postgres_ok)
    return web.json_response(body.model_dump(), status=200 if healthy else 503)
