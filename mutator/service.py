"""The mutator process: composition root, health server, workers, and a SIGTERM that loses nothing."""

import asyncio
import signal
from collections.abc import Awaitable
from typing import Any

import aiohttp
import asyncpg
from aiohttp import web
from arq import ArqRedis

from mutator import metrics
from mutator.apply import MutatorDeps
from mutator.paced_shopify import PacedShopify
from mutator.pacing import ShopPacer
from mutator.record_batcher import JobRecordBatcher
from mutator.worker import MutationWorkers
from shared.db import apply_migrations, create_pool
from shared.jobqueue import create_job_pool
from shared.logs import get_logger
from shared.metrics import metrics_handler
from shared.queues import ALL_QUEUES
from shared.settings import Settings
from shared.shopify_client import ShopifyGraphQLClient
from shared.tenants import TenantStore

log = get_logger(__name__)

WORKERS = web.AppKey("workers", MutationWorkers)
DB_POOL = web.AppKey("db_pool", asyncpg.Pool)
JOB_POOL = web.AppKey("job_pool", ArqRedis)
HEALTH_TIMEOUT_SECONDS = 1.5


async def _answers(awaitable: Awaitable[Any]) -> bool:
    try:
        await asyncio.wait_for(awaitable, HEALTH_TIMEOUT_SECONDS)
        return True
    except Exception:
        return False


async def health(request: web.Request) -> web.Response:
    """200 while this mutator can work: Redis and PostgreSQL answer and its workers run."""
    redis_ok, postgres_ok = await asyncio.gather(
        _answers(request.app[JOB_POOL].ping()), _answers(request.app[DB_POOL].fetchval("SELECT 1"))
    )
    workers = request.app[WORKERS]
    workers_ok = workers.running
    healthy = redis_ok and postgres_ok and workers_ok
    body = {
        "status": "ok" if healthy else "unavailable",
        "redis": redis_ok,
        "postgres": postgres_ok,
        "workers": workers_ok,
        "inFlight": workers.in_flight,
        "completed": workers.completed,
    }
    return web.json_response(body, status=200 if healthy else 503)


async def mutator_metrics(request: web.Request) -> web.Response:
    """`GET /metrics`: queue depths read from Redis now, then this process's counters."""
    redis = request.app[JOB_POOL]
    async with redis.pipeline(transaction=False) as pipe:
        for queue in ALL_QUEUES:
            pipe.zcard(queue.value)
        depths = await pipe.execute()
    for queue, depth in zip(ALL_QUEUES, depths, strict=True):
        metrics.QUEUE_DEPTH.labels(queue=queue.value).set(depth)
    return await metrics_handler(request)


async def run_mutator(settings: Settings) -> None:
    pool = await create_pool(settings.database_url, max_size=max(4, settings.mutator_max_jobs // 2))
    job_pool = await create_job_pool(settings.redis_url)
    http_timeout = min(settings.http_timeout_seconds, settings.mutator_job_timeout_seconds - 5)
    session = aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=http_timeout), connector=aiohttp.TCPConnector(limit=200)
    )
    workers: MutationWorkers | None = None
    runner: web.AppRunner | None = None
    records = JobRecordBatcher(pool)
    try:
        await apply_migrations(pool)
        records.start()
        deps = MutatorDeps(
            settings=settings,
            pool=pool,
            tenants=TenantStore(job_pool, cache_seconds=settings.tenant_cache_seconds),
            shopify=PacedShopify(
                ShopifyGraphQLClient(session, settings.shopify_graphql_url_template, settings.shopify_api_version),
                ShopPacer(job_pool, max_wait_seconds=settings.pacing_max_wait_seconds),
            ),
            records=records,
            job_pool=job_pool,
            http=session,
        )
        workers = MutationWorkers(settings, deps, job_pool)
        await workers.start()
        app = web.Application()
        app[WORKERS] = workers
        app[DB_POOL] = pool
        app[JOB_POOL] = job_pool
        app.router.add_get("/health", health)
        app.router.add_get("/metrics", mutator_metrics)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, settings.mutator_health_host, settings.mutator_health_port).start()
        log.info("mutator ready", health_port=settings.mutator_health_port)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        log.info("signal received; finishing mutations in flight, taking no new job")
    finally:
        if workers is not None:
            await workers.stop()
        await records.stop()
        if runner is not None:
            await runner.cleanup()
        await session.close()
        await job_pool.aclose()
        await pool.close()
