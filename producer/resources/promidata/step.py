"""Promidata: a supplier feed's families become products with variants and images, fetched only when changed.

The feed stage reads `Import.txt` and fetches (concurrently, bounded) only the families whose hash is not the
one the snapshot holds; a family that cannot be fetched keeps its last good record (and so its product) and is
reported. The products stage plans them on the products path (the same SKU identity as Unleashed; products
another source manages are left alone); the images stage plans each product's media behind them.
"""

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from producer.pipeline.mirror import MirrorEntry, load_projected_mirror
from producer.pipeline.plan import SkippedRecord, StepPlan
from producer.pipeline.snapshot import SourcePull, load_snapshot
from producer.pipeline.step import Gathered, StepContext
from producer.resources.products.plan import ShopifyProduct, plan_product_changes, split_by_source
from producer.resources.products.shopify import read_shopify_products
from producer.resources.promidata.desired import (
    Preferences,
    build_desired_families,
    family_key,
    image_hosts,
    preferences,
)
from producer.resources.promidata.family import family_record, feed_hash_of
from producer.resources.promidata.media import plan_media_changes
from producer.sources.promidata import FamilyFetchFailed, FeedLine, PromidataClient
from producer.sources.urls import UnsafeUrl, check_url
from shared.logs import get_logger
from shared.models import EntityKind, SyncStep
from shared.queues import Queue
from shared.shopify_client import shop_of
from shared.tenants import MissingCredentials, Tenant

log = get_logger(__name__)

SOURCE = "promidata:families"
PROMIDATA = "promidata"  # the `source` of the products this step manages


@dataclass(frozen=True)
class PromidataInputs:
    records: list[Any]
    listed: frozenset[str]  # product keys of every family Import.txt lists, usable or not
    problems: list[SkippedRecord]
    feed_counts: dict[str, int]
    prefs: Preferences
    refused_hosts: frozenset[str]
    shopify: list[ShopifyProduct]
    products: list[MirrorEntry]
    media: list[MirrorEntry] = field(default_factory=list)


class PromidataStep:
    name = SyncStep.PROMIDATA
    queue = Queue.PRODUCTS
    # After Unleashed products when a sync covers both: a SKU the other source holds is then reported, not raced.
    depends_on: tuple[SyncStep, ...] = (SyncStep.PRODUCTS,)

    async def gather(self, ctx: StepContext, tenant: Tenant) -> Gathered[PromidataInputs]:
        shop_of(tenant)  # no Shopify credentials: fail before pulling anything
        if not tenant.promidata_import_url:
            raise MissingCredentials(tenant.domain, "Promidata (promidata_import_url)")
        settings = ctx.settings
        client = PromidataClient(
            ctx.http,
            allowed_private_hosts=settings.promidata_private_hosts(),
            max_bytes=settings.promidata_max_file_bytes,
            timeout_seconds=settings.promidata_timeout_seconds,
            max_attempts=settings.promidata_max_attempts,
        )
        started = time.monotonic()
        index, shop, snapshot = await asyncio.gather(
            client.fetch_index(tenant.promidata_import_url),
            read_shopify_products(ctx, tenant),
            load_snapshot(ctx.pool, tenant.domain, SOURCE),
        )
        problems = [SkippedRecord(reference=p.reference, reason=p.reason) for p in index.problems]
        changed = [line for line in index.lines if feed_hash_of(snapshot.get(line.sku)) != line.hash]
        fetched = await _fetch_families(client, changed, settings.promidata_fetch_concurrency)
        records: list[tuple[str, Any]] = []
        failed = 0
        for line in index.lines:
            outcome = fetched.get(line.sku)
            if isinstance(outcome, FamilyFetchFailed):
                failed += 1
                kept = " (its last good version stays)" if line.sku in snapshot else ""
                problems.append(SkippedRecord(reference=f"family {line.sku!r}", reason=f"{outcome}{kept}"))
                outcome = snapshot.get(line.sku)
            elif outcome is None:
                outcome = snapshot[line.sku]
            if outcome is not None:
                records.append((line.sku, outcome))
        counts = {
            "families_listed": len(index.lines),
            "families_unchanged": len(index.lines) - len(changed),
            "families_fetched": len(changed) - failed,
            "families_failed": failed,
            "feed_lines_skipped": len(index.problems),
        }
        log.info(
            "pulled",
            **counts,
            feed_fetch_seconds=round(time.monotonic() - started, 3),
            shopify_products=len(shop.products),
        )
        values = [record for _, record in records]
        refused = await refused_image_hosts(image_hosts(values), settings.promidata_private_hosts())
        products, media = await asyncio.gather(
            load_projected_mirror(ctx.pool, tenant.domain, EntityKind.PRODUCT),
            load_projected_mirror(ctx.pool, tenant.domain, EntityKind.PRODUCT_MEDIA),
        )
        prefs = preferences(
            tenant.promidata_languages,
            settings.promidata_languages,
            tenant.promidata_price_country,
            settings.promidata_price_regions,
        )
        inputs = PromidataInputs(
            records=values,
            listed=frozenset(family_key(line.sku) for line in index.lines),
            problems=problems,
            feed_counts=counts,
            prefs=prefs,
            refused_hosts=refused,
            shopify=shop.products,
            products=products,
            media=media,
        )
        return Gathered(SourcePull(SOURCE, records), inputs, notes=shop.notes)

    def plan(self, inputs: PromidataInputs) -> StepPlan:
        families = build_desired_families(inputs.records, inputs.prefs, inputs.refused_hosts)
        own, others = split_by_source(inputs.products, PROMIDATA)
        plan = plan_product_changes(
            families.products, inputs.shopify, own, source=PROMIDATA, others=others, keep=inputs.listed
        )
        media = plan_media_changes(families.images, plan.placements, inputs.media)
        plan.changes += media
        plan.skipped[:0] = [*inputs.problems, *families.skipped]
        plan.warnings += families.warnings
        plan.counts.update(inputs.feed_counts)
        plan.counts["products_planned"] = len(plan.changes) - len(media)
        plan.counts["images"] = sum(len(images) for images in families.images.values())
        plan.counts["image_jobs_planned"] = len(media)
        return StepPlan.model_validate(plan.model_dump(exclude={"placements"}))


async def _fetch_families(
    client: PromidataClient, lines: list[FeedLine], concurrency: int
) -> dict[str, dict[str, Any] | FamilyFetchFailed]:
    """Each changed family's record, or why it could not be had; at most `concurrency` fetches at once."""
    gate = asyncio.Semaphore(concurrency)

    async def one(line: FeedLine) -> tuple[str, dict[str, Any] | FamilyFetchFailed]:
        async with gate:
            try:
                document = await client.fetch_family(line)
            except FamilyFetchFailed as failed:
                return line.sku, failed
        return line.sku, family_record(document, sku=line.sku, url=line.url, feed_hash=line.hash)

    return dict(await asyncio.gather(*(one(line) for line in lines)))


async def refused_image_hosts(hosts: set[str], allowed: frozenset[str]) -> frozenset[str]:
    """The image hosts Shopify must not be sent to: those that resolve inside our network (or not at all)."""

    async def refused(host: str) -> str | None:
        try:
            await check_url(f"https://{host}/", allowed_hosts=allowed)
        except UnsafeUrl:
            return host
        return None

    return frozenset(host for host in await asyncio.gather(*(refused(h) for h in sorted(hosts))) if host)
