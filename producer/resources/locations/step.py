"""Locations from Unleashed warehouses: pulled with the obsolete ones, planned by warehouse code."""

import asyncio
from dataclasses import dataclass
from typing import Any

from producer.pipeline.mirror import MirrorEntry, load_projected_mirror
from producer.pipeline.plan import StepPlan
from producer.pipeline.snapshot import SourcePull
from producer.pipeline.step import Gathered, StepContext
from producer.resources.locations.desired import build_desired_locations
from producer.resources.locations.plan import ShopifyLocation, plan_location_changes
from producer.sources.shopify import read_pages
from producer.sources.unleashed import unleashed_client_for
from shared.logs import get_logger
from shared.models import EntityKind, SyncStep
from shared.queues import Queue
from shared.shopify_client import ShopifyGraphQLClient, shop_of
from shared.shopify_documents import LOCATIONS_PAGE
from shared.tenants import Tenant

log = get_logger(__name__)

SOURCE = "unleashed:Warehouses"
PAGE_SIZE = 250


@dataclass(frozen=True)
class LocationInputs:
    records: list[Any]
    shopify: list[ShopifyLocation]
    mirror: list[MirrorEntry]


async def read_shopify_locations(client: ShopifyGraphQLClient, tenant: Tenant) -> list[ShopifyLocation]:
    found: list[ShopifyLocation] = []
    pages = read_pages(
        client, tenant, LOCATIONS_PAGE, {"first": PAGE_SIZE}, connection="locations", page_cost=2 + PAGE_SIZE * 2
    )
    async for nodes in pages:
        found += [
            ShopifyLocation(
                id=node["id"],
                name=node["name"],
                is_active=node["isActive"],
                is_primary=node["isPrimary"],
                warehouse_code=(node.get("warehouseCode") or {}).get("value"),
            )
            for node in nodes
        ]
    return found


class LocationsStep:
    name = SyncStep.LOCATIONS
    queue = Queue.LOCATIONS
    depends_on: tuple[SyncStep, ...] = ()

    async def gather(self, ctx: StepContext, tenant: Tenant) -> Gathered[LocationInputs]:
        shop_of(tenant)
        unleashed = unleashed_client_for(ctx.http, ctx.settings, tenant)
        records, shopify = await asyncio.gather(
            unleashed.fetch_all("Warehouses", {"includeObsolete": "true"}),
            read_shopify_locations(ctx.shopify, tenant),
        )
        log.info("pulled", unleashed_warehouses=len(records), shopify_locations=len(shopify))
        mirror = await load_projected_mirror(ctx.pool, tenant.domain, EntityKind.LOCATION)
        source = SourcePull.keyed(SOURCE, records, "WarehouseCode")
        return Gathered(source, LocationInputs(records, shopify, mirror))

    def plan(self, inputs: LocationInputs) -> StepPlan:
        desired, skipped, warnings = build_desired_locations(inputs.records)
        plan = plan_location_changes(desired, inputs.shopify, inputs.mirror)
        plan.skipped[:0] = skipped
        plan.warnings[:0] = warnings
        return plan
