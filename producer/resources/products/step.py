"""Products from Unleashed: pulled with their attributes, planned by SKU identity, one job per product."""

import asyncio
from dataclasses import dataclass
from typing import Any

from producer.pipeline.mirror import MirrorEntry, load_projected_mirror
from producer.pipeline.plan import StepPlan
from producer.pipeline.snapshot import SourcePull
from producer.pipeline.step import Gathered, StepContext
from producer.resources.products.desired import build_desired_products
from producer.resources.products.plan import UNLEASHED, ShopifyProduct, plan_product_changes, split_by_source
from producer.resources.products.shopify import read_shopify_products
from producer.sources.unleashed import unleashed_client_for
from shared.logs import get_logger
from shared.models import EntityKind, SyncStep
from shared.queues import Queue
from shared.shopify_client import shop_of
from shared.tenants import Tenant

log = get_logger(__name__)

SOURCE = "unleashed:Products"


@dataclass(frozen=True)
class ProductInputs:
    records: list[Any]
    shopify: list[ShopifyProduct]
    mirror: list[MirrorEntry]


class ProductsStep:
    name = SyncStep.PRODUCTS
    queue = Queue.PRODUCTS
    depends_on: tuple[SyncStep, ...] = ()

    async def gather(self, ctx: StepContext, tenant: Tenant) -> Gathered[ProductInputs]:
        shop_of(tenant)  # no Shopify credentials: fail before pulling anything
        unleashed = unleashed_client_for(ctx.http, ctx.settings, tenant)
        records, shop = await asyncio.gather(
            unleashed.fetch_all("Products", {"includeAttributes": "true", "includeObsolete": "true"}),
            read_shopify_products(ctx, tenant),
        )
        log.info("pulled", unleashed_products=len(records), shopify_products=len(shop.products), shop_read=shop.read)
        mirror = await load_projected_mirror(ctx.pool, tenant.domain, EntityKind.PRODUCT)
        source = SourcePull.keyed(SOURCE, records, "ProductCode")
        return Gathered(source, ProductInputs(records, shop.products, mirror), notes=shop.notes)

    def plan(self, inputs: ProductInputs) -> StepPlan:
        desired, skipped = build_desired_products(inputs.records)
        own, others = split_by_source(inputs.mirror, UNLEASHED)
        plan = plan_product_changes(desired, inputs.shopify, own, source=UNLEASHED, others=others)
        plan.skipped[:0] = skipped
        return plan
