"""Inventory from Unleashed stock on hand, once the products and locations of the same sync have ended."""

from dataclasses import dataclass
from typing import Any

from producer.pipeline.mirror import MirrorEntry, load_mirror
from producer.pipeline.plan import StepPlan
from producer.pipeline.snapshot import SourcePull
from producer.pipeline.step import Gathered, StepContext
from producer.resources.inventory.plan import plan_inventory_changes
from producer.sources.unleashed import unleashed_client_for
from shared.logs import get_logger
from shared.models import EntityKind, SyncStep
from shared.queues import Queue
from shared.shopify_client import shop_of
from shared.tenants import Tenant

log = get_logger(__name__)

SOURCE = "unleashed:StockOnHand"


@dataclass(frozen=True)
class InventoryInputs:
    rows: list[Any]
    products: list[MirrorEntry]
    locations: list[MirrorEntry]
    levels: list[MirrorEntry]


class InventoryStep:
    name = SyncStep.INVENTORY
    queue = Queue.INVENTORY
    # Stock needs the inventory items of the products and the ids of the locations, which reach the mirror
    # only when their jobs succeed: so this step plans once those steps of the same sync have ended.
    depends_on: tuple[SyncStep, ...] = (SyncStep.PRODUCTS, SyncStep.LOCATIONS)

    async def gather(self, ctx: StepContext, tenant: Tenant) -> Gathered[InventoryInputs]:
        shop_of(tenant)
        rows = await unleashed_client_for(ctx.http, ctx.settings, tenant).fetch_all("StockOnHand")
        log.info("pulled", unleashed_stock_rows=len(rows))
        # The confirmed mirror: a plan against it covers what older batches still waiting would send.
        inputs = InventoryInputs(
            rows,
            await load_mirror(ctx.pool, tenant.domain, EntityKind.PRODUCT),
            await load_mirror(ctx.pool, tenant.domain, EntityKind.LOCATION),
            await load_mirror(ctx.pool, tenant.domain, EntityKind.INVENTORY_LEVEL),
        )
        return Gathered(SourcePull.keyed(SOURCE, rows, "ProductCode", "WarehouseCode"), inputs)

    def plan(self, inputs: InventoryInputs) -> StepPlan:
        return plan_inventory_changes(inputs.rows, inputs.products, inputs.locations, inputs.levels)
