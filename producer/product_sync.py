"""The products step of a sync: pull both sides, plan, record the jobs, queue one job per mutation."""

import asyncio
import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

import aiohttp
import asyncpg
from arq import ArqRedis

from producer import sync_records
from producer.planning.desired_products import build_desired_products
from producer.planning.product_plan import PlannedChange, plan_product_changes
from producer.shopify_reader import read_shopify_products
from producer.unleashed_client import UnleashedClient
from shared.job_records import record_planned_jobs
from shared.jobqueue import enqueue_mutations
from shared.logs import get_logger
from shared.models import EntityKind, MutationAction, MutationJob, SyncStep
from shared.queues import Queue
from shared.settings import Settings
from shared.shopify_client import ShopifyGraphQLClient, shop_of
from shared.tenants import MissingCredentials, Tenant

log = get_logger(__name__)


@dataclass(frozen=True)
class SyncContext:
    """What one running sync needs; built by the composition root, read-only here."""

    settings: Settings
    pool: asyncpg.Pool
    job_pool: ArqRedis
    http: aiohttp.ClientSession
    shopify: ShopifyGraphQLClient


def mutation_job_id(domain: str, change: PlannedChange) -> str:
    """Deterministic for the same change, so a repeated plan does not queue the same work twice."""
    basis = "|".join((domain, EntityKind.PRODUCT.value, change.entity_key, change.action.value, change.content_hash))
    return "product:" + hashlib.sha256(basis.encode()).hexdigest()[:40]


def product_mutation_job(sync_id: str, domain: str, change: PlannedChange) -> MutationJob:
    variables: dict[str, Any]
    if change.action is MutationAction.ARCHIVE:
        document = "ProductArchive"
        variables = {"product": {"id": change.shopify_id, "status": "ARCHIVED"}}
    else:
        assert change.desired is not None
        document = "ProductSet"
        product_input = change.desired.product_set_input()
        if change.shopify_id:
            variables = {"identifier": {"id": change.shopify_id}, "input": product_input}
        else:
            handle = change.desired.handle
            variables = {"identifier": {"handle": handle}, "input": {**product_input, "handle": handle}}
    return MutationJob(
        job_id=mutation_job_id(domain, change),
        sync_id=sync_id,
        domain=domain,
        step=SyncStep.PRODUCTS,
        queue=Queue.PRODUCTS,
        action=change.action,
        entity_kind=EntityKind.PRODUCT,
        entity_key=change.entity_key,
        content_hash=change.content_hash,
        document=document,
        variables=variables,
        shopify_id=change.shopify_id,
        skus=list(change.skus),
    )


def unleashed_client_for(ctx: SyncContext, tenant: Tenant) -> UnleashedClient:
    if not tenant.unleashed_api_id or tenant.unleashed_api_key is None:
        raise MissingCredentials(tenant.domain, "Unleashed (unleashed_api_id / unleashed_api_key)")
    return UnleashedClient(
        ctx.http,
        ctx.settings.unleashed_api_url,
        tenant.unleashed_api_id,
        tenant.unleashed_api_key.get_secret_value(),
        page_size=ctx.settings.unleashed_page_size,
        client_type=ctx.settings.unleashed_client_type,
        max_attempts=ctx.settings.upstream_max_attempts,
    )


async def sync_products(ctx: SyncContext, sync_id: str, tenant: Tenant, *, dry_run: bool) -> int:
    """Run the products step; returns how many jobs it queued. Raises on a failed pull."""
    step = SyncStep.PRODUCTS
    shop_of(tenant)  # no Shopify credentials: fail before pulling anything
    unleashed = unleashed_client_for(ctx, tenant)
    raw_products, shopify_products = await asyncio.gather(
        unleashed.fetch_all("Products", {"includeAttributes": "true", "includeObsolete": "true"}),
        read_shopify_products(ctx.shopify, tenant, page_size=ctx.settings.shopify_read_page_size),
    )
    log.info("pulled", unleashed_products=len(raw_products), shopify_products=len(shopify_products))

    await sync_records.set_sync_state(ctx.pool, sync_id, "planning")
    await sync_records.set_step_state(ctx.pool, sync_id, step, "planning")
    desired, skipped = build_desired_products(raw_products)
    mirror = await sync_records.load_mirror(ctx.pool, tenant.domain, EntityKind.PRODUCT)
    plan = plan_product_changes(desired, shopify_products, mirror)
    await sync_records.add_sync_errors(
        ctx.pool,
        sync_id,
        [{"kind": "skipped_record", "step": step.value, "reference": s.reference, "reason": s.reason} for s in skipped],
    )
    jobs = [product_mutation_job(sync_id, tenant.domain, change) for change in plan.changes]
    log.info(
        "planned",
        desired=len(desired),
        creates=plan.count(MutationAction.CREATE),
        updates=plan.count(MutationAction.UPDATE),
        archives=plan.count(MutationAction.ARCHIVE),
        adopted=len(plan.adopted),
        skipped=len(skipped),
    )
    if dry_run:
        await sync_records.set_step_planned(ctx.pool, sync_id, step, Counter(job.action for job in jobs), len(skipped))
        await sync_records.set_step_state(ctx.pool, sync_id, step, "completed")
        return 0

    async with ctx.pool.acquire() as conn, conn.transaction():
        to_queue = set(await record_planned_jobs(conn, jobs))
    queued_jobs = [job for job in jobs if job.job_id in to_queue]
    planned = Counter(job.action for job in queued_jobs)
    await sync_records.set_step_planned(ctx.pool, sync_id, step, planned, len(skipped))
    await sync_records.set_step_state(ctx.pool, sync_id, step, "queued" if queued_jobs else "completed")
    await enqueue_mutations(ctx.job_pool, queued_jobs)
    return len(queued_jobs)
