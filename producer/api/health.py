"""`GET /health`: 200 while Redis and PostgreSQL answer, promptly 503 otherwise."""

import asyncio
from collections.abc import Awaitable
from typing import Any

from aiohttp import web

from producer.api.endpoint import endpoint
from producer.api.schemas import Health
from producer.keys import DB_POOL, JOB_POOL
from producer.metrics import refresh_job_counts
from shared.metrics import metrics_handler

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


@endpoint("GET", "/metrics", summary="Prometheus metrics: syncs, steps, phases, jobs per queue and state",
          responses={200: None}, auth=False, tags=("health",))  # fmt: skip
async def metrics(request: web.Request) -> web.Response:
    """The job gauges read fresh from PostgreSQL, then everything in Prometheus' text format."""
    await refresh_job_counts(request.app[DB_POOL])
    return await metrics_handler(request)
