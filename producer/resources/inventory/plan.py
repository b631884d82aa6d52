"""Inventory: Unleashed stock on hand → Shopify `available` quantities per item and location. Pure.

A level is one SKU at one warehouse. Only levels whose quantity (or item, or location) changed since the mirror
are sent, many per `inventorySetQuantities` call (one job is still one mutation); an item not stocked yet at a
location is stocked there first, with one `inventoryBulkToggleActivation` per item for all its new locations
(wave 0, the quantities that need it wait in wave 1). Stock of a SKU we do not manage, or at a warehouse that
is not an active location of ours, is skipped and counted. Every batch job is the same entity
(`inventory_levels`/`levels`): a newer plan, made against the confirmed mirror, supersedes older batches
still waiting, since it sends everything they would.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP
from typing import Any

from producer.pipeline.mirror import MirrorEntry
from producer.pipeline.plan import PlannedChange, SkippedRecord, StepPlan, content_hash
from producer.resources.locations.plan import ACTIVE, STOCK_EPOCH
from producer.sources.records import InvalidRecord, decimal_field, text
from shared.models import EntityKind, MirrorRow, MutationAction

BATCH_SIZE = 250  # Shopify caps input arrays at 250 items
LEVELS_KEY = "levels"
REASON = "correction"
REFERENCE = "gid://commerce-sync/UnleashedStockOnHand/levels"


@dataclass(frozen=True)
class Level:
    key: str  # SKU@WAREHOUSE
    item_id: str
    location_id: str
    epoch: int
    quantity: int

    @property
    def content_hash(self) -> str:
        return content_hash([self.item_id, self.location_id, self.epoch, self.quantity])

    def stocked_per(self, entry: MirrorEntry | None) -> bool:
        """Whether the mirror says this item is stocked at this location (in the location's current epoch)."""
        details = entry.details if entry else {}
        return (details.get("itemId"), details.get("locationId"), details.get("epoch")) == (
            self.item_id,
            self.location_id,
            self.epoch,
        )


def item_ids(products: list[MirrorEntry]) -> dict[str, str]:
    """SKU → inventory item id, for the SKUs of the live products we manage."""
    found: dict[str, str] = {}
    for product in products:
        if product.status == "ARCHIVED":
            continue
        for sku, variant in (product.details.get("variants") or {}).items():
            if variant.get("inventoryItemId"):
                found[sku] = variant["inventoryItemId"]
    return found


def active_locations(locations: list[MirrorEntry]) -> dict[str, tuple[str, int]]:
    """Warehouse code → (location id, stock epoch) for the active locations we manage."""
    return {
        entry.entity_key: (entry.shopify_id, int(entry.details.get(STOCK_EPOCH, 0)))
        for entry in locations
        if entry.shopify_id and entry.status == ACTIVE
    }


def _quantity(raw: dict[str, Any], reference: str) -> int:
    value = decimal_field(raw.get("AvailableQty"), "AvailableQty", reference, required=True)
    assert value is not None
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def plan_inventory_changes(
    stock_rows: list[Any], products: list[MirrorEntry], locations: list[MirrorEntry], levels: list[MirrorEntry]
) -> StepPlan:
    plan = StepPlan()
    items, places = item_ids(products), active_locations(locations)
    known = {entry.entity_key: entry for entry in levels}
    skipped = Counter[str]()
    desired: dict[str, Level] = {}
    for position, raw in enumerate(stock_rows):
        try:
            if not isinstance(raw, dict):
                raise InvalidRecord(f"stock row #{position}", "is not a JSON object")
            sku, warehouse = text(raw, "ProductCode"), text(raw, "WarehouseCode")
            reference = f"stock of {sku!r} at {warehouse!r}"
            if not sku or not warehouse:
                raise InvalidRecord(reference, "ProductCode or WarehouseCode is missing")
            quantity = _quantity(raw, reference)
        except InvalidRecord as invalid:
            plan.skipped.append(SkippedRecord(reference=invalid.reference, reason=invalid.reason))
            continue
        if sku not in items:
            skipped["skipped_unmanaged_sku"] += 1
            continue
        if warehouse not in places:
            skipped["skipped_no_location"] += 1
            continue
        location_id, epoch = places[warehouse]
        level = Level(f"{sku}@{warehouse}", items[sku], location_id, epoch, quantity)
        desired[level.key] = level
    changed = [
        lv for lv in desired.values() if known.get(lv.key) is None or known[lv.key].content_hash != lv.content_hash
    ]
    to_stock = [level for level in changed if not level.stocked_per(known.get(level.key))]
    plan.counts = {"levels": len(desired), "levels_changed": len(changed), "stockings": len(to_stock), **skipped}

    new_locations: dict[str, list[str]] = defaultdict(list)
    for level in to_stock:
        new_locations[level.item_id].append(level.location_id)
    sku_of = {level.item_id: level.key.split("@", 1)[0] for level in to_stock}
    plan.changes += [_stock(item, sku_of[item], sorted(set(wanted))) for item, wanted in sorted(new_locations.items())]
    waiting = {level.key for level in to_stock}
    for wave in (0, 1):
        group = sorted((lv for lv in changed if (lv.key in waiting) == (wave == 1)), key=lambda level: level.key)
        plan.changes += [set_levels(group[i : i + BATCH_SIZE], wave) for i in range(0, len(group), BATCH_SIZE)]
    return plan


def _differs(level: Level, entry: MirrorEntry | None) -> bool:
    return entry is None or entry.content_hash != level.content_hash


def _stock(item_id: str, sku: str, location_ids: list[str]) -> PlannedChange:
    return PlannedChange(
        action=MutationAction.ACTIVATE,
        entity_kind=EntityKind.INVENTORY_ITEM,
        entity_key=sku,
        content_hash=content_hash([item_id, location_ids]),
        variables={
            "inventoryItemId": item_id,
            "updates": [{"locationId": location_id, "activate": True} for location_id in location_ids],
        },
        shopify_id=item_id,
    )


def set_levels(levels: list[Level], wave: int) -> PlannedChange:
    """One `inventorySetQuantities` of these levels (also what a drift repair of one level sends)."""
    # changeFromQuantity null: Unleashed is the source of truth, no compare-and-set (the key is required, 2026-04+).
    quantities = [
        {
            "inventoryItemId": lv.item_id,
            "locationId": lv.location_id,
            "quantity": lv.quantity,
            "changeFromQuantity": None,
        }
        for lv in levels
    ]
    return PlannedChange(
        action=MutationAction.UPDATE,
        entity_kind=EntityKind.INVENTORY_LEVELS,
        entity_key=LEVELS_KEY,
        content_hash=content_hash(quantities),
        variables={
            "input": {
                "name": "available",
                "reason": REASON,
                "referenceDocumentUri": REFERENCE,
                "quantities": quantities,
            }
        },
        writes=tuple(
            MirrorRow(
                entity_kind=EntityKind.INVENTORY_LEVEL,
                entity_key=lv.key,
                content_hash=lv.content_hash,
                shopify_id=lv.item_id,
                details={
                    "itemId": lv.item_id,
                    "locationId": lv.location_id,
                    "epoch": lv.epoch,
                    "quantity": lv.quantity,
                },
            )
            for lv in levels
        ),
        wave=wave,
    )
