"""From a webhook to a drift repair: what the delivery is about, whether it differs from the source, and the one
mutation (on the priority lane) that puts it right.

- `products/update` of a product we manage: compared with what the last source snapshot wants (`drift`); a
  difference is set back with one `productSet`.
- `products/delete` of a product we created: the mirror forgets it, and it is created again (with its images).
- `inventory_levels/update` of a level we set: set back to the source's quantity only when
  `WEBHOOK_REPAIR_STOCK` is on; by default stock is the shop's between syncs (it sells from it).
- Anything else is recorded and left to the next sync.

Never a loop: a delivery older than our last write of the entity (the echo of our own mutation, or an older
state) is not acted on, nor one whose entity has a change of ours still queued, and a product in step with
the source is not mutated.
"""

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from arq import ArqRedis

from producer.pipeline import state
from producer.pipeline.mirror import MirrorEntry
from producer.pipeline.plan import PlannedChange, mutation_job
from producer.resources.inventory.plan import Level, set_levels
from producer.resources.products.plan import UNLEASHED, ShopifyProduct, plan_product_changes
from producer.resources.promidata.media import plan_media_changes
from producer.resources.promidata.step import PROMIDATA
from producer.webhooks.deliveries import Delivery
from producer.webhooks.drift import payload_skus, product_drift, shopify_gid
from producer.webhooks.source_products import SourceProducts
from shared.job_records import record_planned_jobs
from shared.jobqueue import enqueue_mutations
from shared.models import UNFINISHED_OUTCOMES, EntityKind, SyncStep
from shared.queues import Queue
from shared.settings import Settings
from shared.tenants import TenantStore


@dataclass(frozen=True)
class Outcome:
    state: str  # processed | failed
    message: str
    repair_sync_id: str | None = None


@dataclass(frozen=True)
class RepairContext:
    settings: Settings
    pool: asyncpg.Pool
    job_pool: ArqRedis
    tenants: TenantStore
    source_products: SourceProducts


@dataclass(frozen=True)
class _Row:
    entry: MirrorEntry
    updated_at: datetime


def done(message: str, repair_sync_id: str | None = None) -> Outcome:
    return Outcome("processed", message, repair_sync_id)


async def process(ctx: RepairContext, delivery: Delivery) -> Outcome:
    handler = _HANDLERS.get(delivery.topic)
    if handler is None:
        return done(f"{delivery.topic}: recorded; the next sync brings this part back in step if it drifted")
    return await handler(ctx, delivery)


async def _product_updated(ctx: RepairContext, delivery: Delivery) -> Outcome:
    product_id = shopify_gid("Product", delivery.payload.get("id"))
    row = await _mirror_row(ctx.pool, delivery.domain, EntityKind.PRODUCT, product_id)
    if row is None:
        return done("not a product we manage; left alone")
    if skip := await _not_now(ctx.pool, delivery, row):
        return done(skip)
    entry = row.entry
    source = str(entry.details.get("source", UNLEASHED))
    tenant = await ctx.tenants.get(delivery.domain)
    wanted = await ctx.source_products.find(tenant, source, entry.entity_key, entry.skus)
    if wanted is None:
        return done("no longer in the source; the next sync archives it")
    drift = product_drift(wanted.product, delivery.payload)
    if not drift:
        return done("in step with the source")
    status = str(delivery.payload.get("status") or "").upper()
    shop = [ShopifyProduct(id=str(product_id), status=status, skus=payload_skus(delivery.payload))]
    drifted = entry.model_copy(update={"content_hash": "drifted", "status": status})
    changes = plan_product_changes([wanted.product], shop, [drifted], source=source).changes
    sync_id = await _queue_repair(ctx, delivery.domain, _step_of(source), changes)
    return done(f"{', '.join(drift)} differed from the source; set back", sync_id)


async def _product_deleted(ctx: RepairContext, delivery: Delivery) -> Outcome:
    product_id = shopify_gid("Product", delivery.payload.get("id"))
    row = await _mirror_row(ctx.pool, delivery.domain, EntityKind.PRODUCT, product_id)
    if row is None:
        return done("not a product we manage; left alone")
    entry = row.entry
    await ctx.pool.execute(
        "DELETE FROM shopify_mirror WHERE domain = $1 AND entity_kind = ANY($2::text[]) AND entity_key = $3",
        delivery.domain,
        [EntityKind.PRODUCT.value, EntityKind.PRODUCT_MEDIA.value],
        entry.entity_key,
    )
    if entry.status == "ARCHIVED":
        return done("a product we had archived was deleted; forgotten")
    source = str(entry.details.get("source", UNLEASHED))
    tenant = await ctx.tenants.get(delivery.domain)
    wanted = await ctx.source_products.find(tenant, source, entry.entity_key, entry.skus, images=True)
    if wanted is None:
        return done("deleted, and no longer in the source; forgotten")
    plan = plan_product_changes([wanted.product], [], [], source=source)
    changes = list(plan.changes)
    if wanted.images is not None:
        changes += plan_media_changes({wanted.product.key: wanted.images}, plan.placements, [])
    sync_id = await _queue_repair(ctx, delivery.domain, _step_of(source), changes)
    return done("a product we created was deleted; created again", sync_id)


async def _stock_updated(ctx: RepairContext, delivery: Delivery) -> Outcome:
    if not ctx.settings.webhook_repair_stock:
        return done("stock is the shop's between syncs (WEBHOOK_REPAIR_STOCK is off); the next sync sets it")
    payload = delivery.payload
    item_id = shopify_gid("InventoryItem", payload.get("inventory_item_id"))
    location_id = shopify_gid("Location", payload.get("location_id"))
    record = await ctx.pool.fetchrow(
        "SELECT entity_key, shopify_id, content_hash, details, updated_at FROM shopify_mirror"
        " WHERE domain = $1 AND entity_kind = $2 AND shopify_id = $3 AND details ->> 'locationId' = $4",
        delivery.domain,
        EntityKind.INVENTORY_LEVEL.value,
        item_id,
        location_id,
    )
    if record is None or item_id is None or location_id is None:
        return done("not a stock level we set; left alone")
    entry = MirrorEntry(
        entity_key=record["entity_key"],
        shopify_id=record["shopify_id"],
        content_hash=record["content_hash"],
        details=record["details"],
    )
    # Stock batches share one entity: any batch still queued will set this level too.
    if await _has_unfinished(ctx.pool, delivery.domain, EntityKind.INVENTORY_LEVELS, "levels"):
        return done("a change of ours is still queued for this shop's stock; it sets this level")
    if skip := await _not_now(ctx.pool, delivery, _Row(entry, record["updated_at"]), check_queued=False):
        return done(skip)
    quantity = int(entry.details.get("quantity", 0))
    if payload.get("available") == quantity:
        return done("in step with the source")
    level = Level(entry.entity_key, item_id, location_id, int(entry.details.get("epoch", 0)), quantity)
    sync_id = await _queue_repair(ctx, delivery.domain, SyncStep.INVENTORY, [set_levels([level], wave=0)])
    return done(f"available {payload.get('available')} where the source has {quantity}; set back", sync_id)


async def _uninstalled(_ctx: RepairContext, delivery: Delivery) -> Outcome:
    return done("the app was uninstalled from the shop: its jobs end as access_denied until it is installed again")


_HANDLERS = {
    "products/update": _product_updated,
    "products/delete": _product_deleted,
    "inventory_levels/update": _stock_updated,
    "app/uninstalled": _uninstalled,
}


def _step_of(source: str) -> SyncStep:
    return SyncStep.PROMIDATA if source == PROMIDATA else SyncStep.PRODUCTS


async def _mirror_row(pool: asyncpg.Pool, domain: str, kind: EntityKind, shopify_id: str | None) -> _Row | None:
    if shopify_id is None:
        return None
    row = await pool.fetchrow(
        "SELECT entity_key, shopify_id, content_hash, status, skus, details, updated_at FROM shopify_mirror"
        " WHERE domain = $1 AND entity_kind = $2 AND shopify_id = $3",
        domain,
        kind.value,
        shopify_id,
    )
    if row is None:
        return None
    entry = MirrorEntry(
        entity_key=row["entity_key"],
        shopify_id=row["shopify_id"],
        content_hash=row["content_hash"],
        status=row["status"],
        skus=tuple(row["skus"]),
        details=row["details"],
    )
    return _Row(entry, row["updated_at"])


async def _has_unfinished(pool: asyncpg.Pool, domain: str, kind: EntityKind, key: str) -> bool:
    found = await pool.fetchval(
        "SELECT true FROM mutation_jobs WHERE domain = $1 AND entity_kind = $2 AND entity_key = $3"
        " AND outcome = ANY($4::text[]) LIMIT 1",
        domain,
        kind.value,
        key,
        list(UNFINISHED_OUTCOMES),
    )
    return bool(found)


async def _not_now(pool: asyncpg.Pool, delivery: Delivery, row: _Row, *, check_queued: bool = True) -> str | None:
    """Why this delivery must not cause a mutation (None: it may): an echo or older state, or our change queued."""
    if delivery.triggered_at is not None and delivery.triggered_at < row.updated_at:
        return "older than our last write of it (the echo of our own change); nothing to do"
    if check_queued and await _has_unfinished(pool, delivery.domain, EntityKind.PRODUCT, row.entry.entity_key):
        return "a change of ours is still queued for it; that change sets it"
    return None


async def _queue_repair(ctx: RepairContext, domain: str, step: SyncStep, changes: list[PlannedChange]) -> str:
    """Record the changes as a `repair` sync and queue them ahead of any sync's jobs (the priority lane)."""
    sync_id = uuid.uuid4().hex
    queue = Queue.INVENTORY if step is SyncStep.INVENTORY else Queue.PRODUCTS
    jobs = [mutation_job(sync_id, domain, step, queue, change) for change in changes]
    async with ctx.pool.acquire() as conn, conn.transaction():
        await state.create_repair_sync(conn, sync_id, domain, step)
        recorded = await record_planned_jobs(conn, jobs, [change.wave for change in changes])
        counted = Counter(change.action.counted_as for change in changes)
        planned = {key: counted.get(key, 0) for key in ("creates", "updates", "archives")}
        await state.set_step_planned(conn, sync_id, step, planned, 0, {"webhook_repairs": 1}, state.StepState.QUEUED)
    by_id = {job.job_id: job for job in jobs}
    await enqueue_mutations(ctx.job_pool, [by_id[r.job_id] for r in recorded if r.outcome == "queued"], priority=True)
    return sync_id


def describe(payload: dict[str, Any]) -> str:
    """A short reference to what a payload is about, for logs (never the payload itself)."""
    return str(payload.get("admin_graphql_api_id") or payload.get("id") or "?")[:120]
