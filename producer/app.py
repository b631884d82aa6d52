"""The producer's aiohttp application: one cleanup context per pool or client, typed app keys."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from producer.api import add_api
from producer.keys import DB_POOL, HTTP_SESSION, JOB_POOL, PIPELINE, SETTINGS, SHOPIFY, TENANTS, WEBHOOKS
from producer.middleware import error_middleware
from producer.pipeline.requeue import requeue_stranded_jobs
from producer.pipeline.runner import Pipeline
from producer.pipeline.step import StepContext
from producer.resources import STEPS
from producer.schedule import Scheduler
from producer.webhooks.processor import WebhookProcessor
from producer.webhooks.repair import RepairContext
from producer.webhooks.source_products import SourceProducts
from shared.db import apply_migrations, create_pool
from shared.jobqueue import create_job_pool
from shared.logs import get_logger
from shared.settings import Settings
from shared.shopify_client import ShopifyGraphQLClient
from shared.tenants import TenantStore

log = get_logger(__name__)


async def database(app: web.Application) -> AsyncIterator[None]:
    pool = await create_pool(app[SETTINGS].database_url)
    await apply_migrations(pool)
    app[DB_POOL] = pool
    yield
    await pool.close()


async def redis_queues(app: web.Application) -> AsyncIterator[None]:
    job_pool = await create_job_pool(app[SETTINGS].redis_url)
    app[JOB_POOL] = job_pool
    app[TENANTS] = TenantStore(job_pool, cache_seconds=app[SETTINGS].tenant_cache_seconds)
    yield
    await job_pool.aclose()


async def http_session(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    timeout = aiohttp.ClientTimeout(total=settings.http_timeout_seconds)
    session = aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=100))
    app[HTTP_SESSION] = session
    app[SHOPIFY] = ShopifyGraphQLClient(session, settings.shopify_graphql_url_template, settings.shopify_api_version)
    yield
    await session.close()


async def pipeline(app: web.Application) -> AsyncIterator[None]:
    """The loop that carries every open sync forward (see producer.pipeline.runner)."""
    settings = app[SETTINGS]
    context = StepContext(
        settings=settings,
        pool=app[DB_POOL],
        job_pool=app[JOB_POOL],
        http=app[HTTP_SESSION],
        shopify=app[SHOPIFY],
    )
    running = Pipeline(context, app[TENANTS], STEPS)
    app[PIPELINE] = running
    running.start()
    yield
    await running.close()


async def webhooks(app: web.Application) -> AsyncIterator[None]:
    """The loop that turns recorded webhook deliveries into drift repairs (see producer.webhooks)."""
    context = RepairContext(
        settings=app[SETTINGS],
        pool=app[DB_POOL],
        job_pool=app[JOB_POOL],
        tenants=app[TENANTS],
        source_products=SourceProducts(app[DB_POOL], app[SETTINGS]),
    )
    processor = WebhookProcessor(context)
    app[WEBHOOKS] = processor
    processor.start()
    yield
    await processor.close()


async def scheduler(app: web.Application) -> AsyncIterator[None]:
    """Starts each tenant's scheduled comprehensive sync on time, once across producers (see producer.schedule)."""
    running = Scheduler(app[DB_POOL], app[TENANTS], app[PIPELINE], app[SETTINGS])
    running.start()
    yield
    await running.close()


async def stranded_job_sweeper(app: web.Application) -> AsyncIterator[None]:
    """Every so often, queue again the unfinished jobs Redis may have lost (see requeue_stranded_jobs)."""
    settings = app[SETTINGS]

    async def sweep_forever() -> None:
        while True:
            await asyncio.sleep(settings.requeue_interval_seconds)
            try:
                requeued = await requeue_stranded_jobs(
                    app[DB_POOL], app[JOB_POOL], settings.requeue_stranded_after_seconds
                )
                if requeued:
                    log.warning("requeued stranded jobs", count=requeued)
            except Exception as exc:  # Redis or PostgreSQL away: try again next round
                log.warning("stranded-job sweep failed", error=type(exc).__name__)

    task = asyncio.create_task(sweep_forever(), name="stranded-job-sweeper")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[error_middleware], client_max_size=settings.api_max_body_bytes)
    app[SETTINGS] = settings
    app.cleanup_ctx.extend([database, redis_queues, http_session, pipeline, webhooks, scheduler, stranded_job_sweeper])
    add_api(app)
    return app
